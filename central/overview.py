"""The centers overview: which centers a user sees, and each one's state at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from central.accounts import User
from central.database import Database, is_postgres
from central.db.dialect import json_int
from central.devices import KIOSK_SILENT_SECONDS
from central.schedule import between_centers, day_bounds

PAGE_SIZE = 50  # an admin sees the whole city (3,500 centers): a page at a time


@dataclass(frozen=True)
class CenterRow:
    id: str
    name: str
    learners: int
    kiosks_online: int
    kiosks: int
    robots_online: int
    robots: int
    backlog: int
    lag_seconds: float
    last_seen: float | None
    open_help: int
    classes_today: int = 0
    set_aside: int = 0  # rows intake set aside for this center (central/set_aside.py)
    set_aside_at: float | None = None  # the latest of them
    kiosk_set_aside: int = 0  # events the center's kiosks say they set aside
    ignored_acks: int = 0  # acks the center's kiosks ignored (forged or stray)


def visible_center_ids(db: Database, user: User) -> list[str] | None:
    """The ids a user may see; None means every center (an admin)."""
    return None if user.is_admin else sorted(user.centers)


def can_see(user: User, center: str) -> bool:
    return user.is_admin or center in user.centers


def center_name(db: Database, center: str) -> str | None:
    row = db.execute("SELECT name FROM centers WHERE id = ?", [center]).fetchone()
    return None if row is None else str(row[0])


def centers_page(
    db: Database,
    user: User,
    now: float,
    tz: ZoneInfo,
    query: str = "",
    page: int = 0,
) -> tuple[list[CenterRow], int]:
    """One page of the centers a user sees (matching `query`), and how many match in all."""
    where, params = "1 = 1", list[object]()
    if not user.is_admin:
        where = "c.id IN (SELECT center FROM user_centers WHERE user_id = ?)"
        params.append(user.id)
    if query:
        where += " AND (c.name LIKE ? OR c.id LIKE ?)"
        params += [f"%{query}%", f"%{query}%"]
    pg = is_postgres(db)
    matching = "count(*) OVER ()" if query else "0"
    rows = db.execute(
        f"""
        SELECT c.id, c.name,
          (SELECT count(*) FROM learners l WHERE l.center = c.id AND l.hidden = 0),
          (SELECT count(*) FROM devices d WHERE d.center = c.id AND d.kind = 'kiosk'
             AND d.online = 1 AND d.last_seen >= ?),
          (SELECT count(*) FROM devices d WHERE d.center = c.id AND d.kind = 'kiosk'),
          (SELECT count(*) FROM devices d WHERE d.center = c.id AND d.kind = 'robot'
             AND d.online = 1),
          (SELECT count(*) FROM devices d WHERE d.center = c.id AND d.kind = 'robot'),
          (SELECT coalesce(sum(backlog), 0) FROM devices d
             WHERE d.center = c.id AND d.kind = 'kiosk'),
          (SELECT coalesce(max(lag_seconds), 0) FROM devices d
             WHERE d.center = c.id AND d.kind = 'kiosk'),
          (SELECT max(last_seen) FROM devices d WHERE d.center = c.id),
          (SELECT count(*) FROM help_calls h WHERE h.center = c.id AND h.handled_at IS NULL),
          (SELECT count(*) FROM set_aside s WHERE s.center = c.id),
          (SELECT max(last_at) FROM set_aside s WHERE s.center = c.id),
          (SELECT {_kiosk_sum("set_aside", pg)} FROM devices d
             WHERE d.center = c.id AND d.kind = 'kiosk'),
          (SELECT {_kiosk_sum("ignored_acks", pg)} FROM devices d
             WHERE d.center = c.id AND d.kind = 'kiosk'),
          c.matching
        FROM (SELECT id, name, {matching} AS matching FROM centers c WHERE {where}
              ORDER BY c.name, c.id LIMIT ? OFFSET ?) AS c
        ORDER BY c.name, c.id
        """,
        [now - KIOSK_SILENT_SECONDS, *params, PAGE_SIZE, max(0, page) * PAGE_SIZE],
    ).fetchall()
    # The page's 50 centers are chosen first and only they are counted: the sub-queries of
    # rows an OFFSET skips would be run too. A search's matching count comes with them (the
    # names are read once, not twice); without one, or past the last page, it is asked for
    # on its own (a plain count and an index walk to the page beat counting in name order).
    if rows and query:
        total = rows[0][-1]
    else:
        total = db.execute(f"SELECT count(*) FROM centers c WHERE {where}", params).fetchone()[0]
    today = between_centers(db, [row[0] for row in rows], *day_bounds(now, tz))
    return [_row(row[:-1], len(today[row[0]])) for row in rows], int(total)


def _row(row: tuple[Any, ...], classes_today: int) -> CenterRow:
    counts, aside = row[:11], row[11:]  # the query's columns: CenterRow's, then set aside
    return CenterRow(*counts, classes_today, *aside)  # type: ignore[call-arg]


def _kiosk_sum(field: str, postgres: bool) -> str:
    """SQL: the sum of a count the kiosks' sync statuses carry (as the site sent them: what
    is not a positive integer counts as 0, as in central/set_aside_notice.py)."""
    value = json_int("d.detail", field, postgres)
    return f"coalesce(sum(CASE WHEN {value} > 0 THEN {value} ELSE 0 END), 0)"
