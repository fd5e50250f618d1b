"""Kiosks and robots as central last heard of them: online or not, when, sync backlog."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

from central.database import Database, write_transaction
from central.set_aside_notice import KioskAside, kiosk_aside

DeviceKind = Literal["kiosk", "robot"]
# The sync agent reports every 2 s (kiosk_app.sync.sync_agent.STATUS_SECONDS); a kiosk not
# heard of for 15 reports is taken as offline even if its last word was "connected" (the
# site's link to central may be down, so its last will cannot reach us either).
KIOSK_SILENT_SECONDS = 30.0


@dataclass(frozen=True)
class DeviceStatus:
    center: str
    kind: DeviceKind
    device: str
    online: bool
    last_seen: float
    backlog: int | None = None
    lag_seconds: float | None = None
    # what a kiosk's sync status says it set aside
    aside: KioskAside = field(default_factory=KioskAside)

    def online_at(self, now: float) -> bool:
        """Online now: robots say so themselves (retained, with a last will); kiosks must
        also have reported lately."""
        if self.kind == "kiosk":
            return self.online and now - self.last_seen <= KIOSK_SILENT_SECONDS
        return self.online


def record_status(
    db: Database, status: DeviceStatus, detail: dict[str, object], replay: bool
) -> None:
    """Store what a device said. A retained copy replayed on (re)subscribing is old news:
    it fills in a device we never heard of but never moves `last_seen` forward."""
    with write_transaction(db) as conn:
        conn.execute(
            "INSERT INTO devices (center, kind, device, online, last_seen, backlog, "
            "lag_seconds, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (center, kind, device) DO UPDATE SET online = excluded.online, "
            "last_seen = CASE WHEN ? = 1 THEN devices.last_seen ELSE excluded.last_seen END, "
            "backlog = excluded.backlog, "
            "lag_seconds = excluded.lag_seconds, detail = excluded.detail",
            (
                status.center,
                status.kind,
                status.device,
                int(status.online),
                status.last_seen,
                status.backlog,
                status.lag_seconds,
                json.dumps(detail, ensure_ascii=False),
                int(replay),
            ),
        )


def devices_of(db: Database, center: str) -> list[DeviceStatus]:
    rows = db.execute(
        "SELECT center, kind, device, online, last_seen, backlog, lag_seconds, detail "
        "FROM devices WHERE center = ? ORDER BY kind, device",
        [center],
    ).fetchall()
    return [
        DeviceStatus(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], _aside(r[1], r[7]))
        for r in rows
    ]


def _aside(kind: str, detail: str) -> KioskAside:
    """A kiosk's set-aside counts from its stored status (a robot's never has any)."""
    if kind != "kiosk":
        return KioskAside()
    try:
        data = json.loads(detail)
    except ValueError:
        return KioskAside()
    return kiosk_aside(data) if isinstance(data, dict) else KioskAside()
