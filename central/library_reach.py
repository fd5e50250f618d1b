"""Where each published lesson library has arrived (docs/lesson-publishing.md): each center's
keeper (its own retained status) and each kiosk (its sync status), against the versions
central published. The dashboard's library page and the site monitor's warning read it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from central.database import Database, write_transaction
from central.library_publish import Published

# A kiosk more than one version behind for this long is worth an administrator's look: a
# center's link or a kiosk's sync agent is down, or the kiosk refuses what it is offered.
BEHIND_WARNING_SECONDS = 24 * 3600


@dataclass(frozen=True)
class KioskReach:
    center: str
    kiosk: str
    teaching: int | None  # None: not a published version (the bundled library)
    installed: int | None
    problem: str | None
    last_seen: float
    behind_since: float | None = None  # more than one version behind since then

    def warn_at(self, now: float) -> bool:
        return self.behind_since is not None and now - self.behind_since >= BEHIND_WARNING_SECONDS


@dataclass(frozen=True)
class CenterReach:
    center: str
    version: int | None
    offered: int | None
    missing_bytes: int | None
    problem: str | None
    heard_at: float


def record_keeper(
    db: Database, center: str, status: dict[str, object], now: float, replay: bool
) -> None:
    """Store a keeper's status (a retained copy replayed on subscribing keeps `heard_at`)."""
    with write_transaction(db) as conn:
        conn.execute(
            "INSERT INTO center_libraries VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (center) DO "
            "UPDATE SET version = excluded.version, offered = excluded.offered, missing_bytes = "
            "excluded.missing_bytes, problem = excluded.problem, "
            "heard_at = CASE WHEN ? = 1 THEN center_libraries.heard_at ELSE excluded.heard_at END",
            (
                center,
                status.get("version"),
                status.get("offered"),
                status.get("missing_bytes"),
                status.get("problem"),
                now,
                int(replay),
            ),
        )


def centers_reach(db: Database, centers: list[str]) -> list[CenterReach]:
    rows = db.execute(
        "SELECT center, version, offered, missing_bytes, problem, heard_at FROM "
        "center_libraries WHERE center IN (SELECT value FROM json_each(?)) ORDER BY center",
        [json.dumps(centers)],
    ).fetchall()
    return [CenterReach(*row) for row in rows]


def kiosks_reach(db: Database, centers: list[str], published: list[Published]) -> list[KioskReach]:
    """Every kiosk of `centers` with the library it teaches, behind how long."""
    rows = db.execute(
        "SELECT center, device, last_seen, detail FROM devices WHERE kind = 'kiosk' "
        "AND center IN (SELECT value FROM json_each(?)) ORDER BY center, device",
        [json.dumps(centers)],
    ).fetchall()
    current = next((p for p in published if p.current), None)
    created = {p.version: p.created for p in published}
    reach = []
    for center, kiosk, last_seen, detail in rows:
        data = _json(detail)
        teaching = _whole(data.get("library_version"))
        behind_since = None
        follows = data.get("library_follows") is not False  # (not said: an older agent)
        if follows and current is not None and (teaching or 0) < current.version - 1:
            # behind by more than one since the version two after its own was published
            behind_since = created.get((teaching or 0) + 2, current.created)
        problem = data.get("library_problem")
        reach.append(
            KioskReach(
                center,
                kiosk,
                teaching,
                _whole(data.get("library_installed")),
                problem if isinstance(problem, str) else None,
                last_seen,
                behind_since,
            )
        )
    return reach


def _json(text: str) -> dict[str, object]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
