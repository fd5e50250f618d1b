"""Classes at central: store, change, cancel, list a week, and each center's day as the
retained `Schedule` the site's class runner and kiosks read."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils

from central.class_form import ClassDraft
from central.database import write_transaction
from central.schedule_rules import Clash, Slot, clashes, occurrences
from robot_bridge.protocol.class_messages import Schedule, ScheduledClass

_COLUMNS = "id, center, lesson_id, room, starts_at, minutes, weekly, robots, instructor_id, lang"


class ScheduleError(LookupError):
    """No such class at that center."""


@dataclass(frozen=True)
class StoredClass:
    id: str
    center: str
    lesson_id: str
    room: str
    starts_at: float
    minutes: int
    weekly: bool
    robots: tuple[str, ...]
    instructor_id: int | None
    lang: str

    @property
    def slot(self) -> Slot:
        return Slot(
            self.id,
            self.lesson_id,
            self.starts_at,
            self.minutes,
            self.weekly,
            self.room,
            frozenset(self.robots),
        )


@dataclass(frozen=True)
class Occurrence:
    """One time a class happens."""

    klass: StoredClass
    at: float


def save_class(
    db: sqlite_utils.Database, center: str, draft: ClassDraft, class_id: str | None = None
) -> str | list[Clash]:
    """Store a new class (or change `class_id`); the clashes instead if there are any.

    The check and the write happen in one write transaction, so two instructors saving at
    the same moment cannot both take the same robot.
    """
    with write_transaction(db) as conn:
        if (
            class_id is not None
            and not conn.execute(
                "SELECT 1 FROM classes WHERE id = ? AND center = ? AND cancelled = 0",
                (class_id, center),
            ).fetchone()
        ):
            raise ScheduleError(class_id)
        new_id = class_id or f"class-{uuid.uuid4().hex[:10]}"
        slot = Slot(
            new_id,
            draft.lesson_id,
            draft.starts_at,
            draft.minutes,
            draft.weekly,
            draft.room,
            frozenset(draft.robots),
        )
        found = clashes(slot, (c.slot for c in _active(conn, center)))
        if found:
            return found
        values = (
            draft.lesson_id,
            draft.room,
            draft.starts_at,
            draft.minutes,
            int(draft.weekly),
            json.dumps(list(draft.robots)),
            draft.instructor_id,
            draft.lang,
            time.time(),
        )
        if class_id is None:
            conn.execute(
                f"INSERT INTO classes ({_COLUMNS}, updated_at) VALUES (?, ?, {_marks(9)})",
                (new_id, center, *values),
            )
        else:
            conn.execute(
                "UPDATE classes SET lesson_id = ?, room = ?, starts_at = ?, minutes = ?, "
                "weekly = ?, robots = ?, instructor_id = ?, lang = ?, updated_at = ? "
                "WHERE id = ?",
                (*values, new_id),
            )
    return new_id


def cancel_class(db: sqlite_utils.Database, center: str, class_id: str) -> None:
    with write_transaction(db) as conn:
        cursor = conn.execute(
            "UPDATE classes SET cancelled = 1, updated_at = ? "
            "WHERE id = ? AND center = ? AND cancelled = 0",
            (time.time(), class_id, center),
        )
        if cursor.rowcount != 1:
            raise ScheduleError(class_id)


def get_class(db: sqlite_utils.Database, center: str, class_id: str) -> StoredClass:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM classes WHERE id = ? AND center = ? AND cancelled = 0",
        [class_id, center],
    ).fetchone()
    if row is None:
        raise ScheduleError(class_id)
    return _stored(row)


def between(db: sqlite_utils.Database, center: str, start: float, end: float) -> list[Occurrence]:
    """Every occurrence of the center's classes overlapping [start, end), in time order."""
    found = [
        Occurrence(klass, at)
        for klass in _active(db.conn, center, before=end)
        for at in occurrences(klass.slot, start, end)
    ]
    return sorted(found, key=lambda o: (o.at, o.klass.room))


def day_bounds(at: float, tz: ZoneInfo) -> tuple[float, float]:
    """Start and end (Unix time) of the local day containing `at`."""
    day = datetime.fromtimestamp(at, tz).replace(hour=0, minute=0, second=0, microsecond=0)
    return day.timestamp(), (day + timedelta(days=1)).timestamp()


def week_bounds(at: float, tz: ZoneInfo) -> tuple[float, float]:
    """Monday 00:00 to the next Monday 00:00 (local) of the week containing `at`."""
    day = datetime.fromtimestamp(at, tz).replace(hour=0, minute=0, second=0, microsecond=0)
    monday = day - timedelta(days=day.weekday())
    return monday.timestamp(), (monday + timedelta(days=7)).timestamp()


def todays_schedule(db: sqlite_utils.Database, center: str, now: float, tz: ZoneInfo) -> Schedule:
    """The center's classes of the local day around `now`, as the site reads them."""
    start, end = day_bounds(now, tz)
    classes = [
        ScheduledClass(
            class_id=o.klass.id,
            lesson_id=o.klass.lesson_id,
            starts_at=o.at,
            robots=list(o.klass.robots),
            lang="en" if o.klass.lang == "en" else "ko",
        )
        for o in between(db, center, start, end)
        if o.at >= start  # a class that began yesterday is yesterday's
    ]
    return Schedule(classes=classes)


def _active(
    conn: sqlite3.Connection, center: str, before: float | None = None
) -> list[StoredClass]:
    sql = f"SELECT {_COLUMNS} FROM classes WHERE center = ? AND cancelled = 0"
    params: list[object] = [center]
    if before is not None:
        sql += " AND starts_at < ?"
        params.append(before)
    rows = conn.execute(sql, params).fetchall()
    return [_stored(row) for row in rows]


def _stored(row: tuple[Any, ...]) -> StoredClass:
    (class_id, center, lesson_id, room, starts_at, minutes, weekly, robots, instructor, lang) = row
    return StoredClass(
        id=str(class_id),
        center=str(center),
        lesson_id=str(lesson_id),
        room=str(room),
        starts_at=float(starts_at),
        minutes=int(minutes),
        weekly=bool(weekly),
        robots=tuple(json.loads(str(robots))),
        instructor_id=None if instructor is None else int(instructor),
        lang=str(lang),
    )


def _marks(count: int) -> str:
    return ", ".join("?" * count)
