"""Where each published lesson library has arrived (docs/lesson-publishing.md): each center's
keeper (its own retained status) and each kiosk (its sync status), against the versions
central published. The dashboard's library page and the site monitor's warning read it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from central.database import Database, is_postgres, write_transaction
from central.db.dialect import json_int
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
    # One center (a center's page, every poll): its key, not a list PostgreSQL guesses is
    # 100 rows long and joins by reading every kiosk of the country
    one = len(centers) == 1
    rows = db.execute(
        "SELECT center, device, last_seen, detail FROM devices WHERE kind = 'kiosk' AND "
        f"center {'= ?' if one else 'IN (SELECT value FROM json_each(?))'} ORDER BY center, device",
        [centers[0] if one else json.dumps(centers)],
    ).fetchall()
    return _reach(rows, published)


@dataclass(frozen=True)
class ReachCounts:
    keepers_current: int  # centers whose keeper has the current version
    kiosks: int
    kiosks_current: int  # kiosks teaching the current version


def reach_counts(db: Database, current: int | None) -> ReachCounts:
    """Keepers and kiosks of the registered centers that have version `current`, counted by
    the database: a country's 68,000 centers are not read into Python to be counted."""
    version = json_int("d.detail", "library_version", is_postgres(db))
    (keepers,) = db.execute(
        "SELECT count(*) FROM center_libraries k JOIN centers c ON c.id = k.center "
        "WHERE k.version = ?",
        [current],
    ).fetchone()
    kiosks, on = db.execute(
        f"SELECT count(*), coalesce(sum(CASE WHEN {version} = ? THEN 1 ELSE 0 END), 0) "
        "FROM devices d JOIN centers c ON c.id = d.center WHERE d.kind = 'kiosk'",
        [current],
    ).fetchone()
    return ReachCounts(int(keepers), int(kiosks), int(on))


def kiosks_behind(db: Database, published: list[Published]) -> list[KioskReach]:
    """The registered centers' kiosks more than one version behind the current one (the
    database picks them out by version; `_reach` decides as for every kiosk)."""
    current = next((p for p in published if p.current), None)
    if current is None:
        return []
    version = json_int("d.detail", "library_version", is_postgres(db))
    rows = db.execute(
        "SELECT d.center, d.device, d.last_seen, d.detail FROM devices d "
        "JOIN centers c ON c.id = d.center "
        f"WHERE d.kind = 'kiosk' AND coalesce({version}, 0) < ? ORDER BY d.center, d.device",
        [current.version - 1],
    ).fetchall()
    return [k for k in _reach(rows, published) if k.behind_since is not None]


def _reach(rows: list[Any], published: list[Published]) -> list[KioskReach]:
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
