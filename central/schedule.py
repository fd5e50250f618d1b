"""Classes at central: store, change, cancel, list a week, and each center's day as the
retained `Schedule` the site's class runner and kiosks read.

A weekly series keeps its history: cancelling "this and later" ends it (`ends_before`),
cancelling one occurrence skips it (`class_skips`), and changing a series that has already
met ends it before its next occurrence and carries on as a new series from there. Only a
class that has never met is changed in place or cancelled whole.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from central.class_form import ClassDraft
from central.database import Connection, Database, write_transaction
from central.schedule_rules import (
    Clash,
    Slot,
    clashes,
    is_occurrence,
    next_occurrence,
    occurrences,
)
from robot_bridge.protocol.class_messages import Schedule, ScheduledClass

_WRITTEN = "id, center, lesson_id, room, starts_at, minutes, weekly, robots, instructor_id, lang"
_COLUMNS = f"{_WRITTEN}, ends_before"


class ScheduleError(LookupError):
    """No such class at that center (or none that can still change)."""


class CancelError(ValueError):
    """An occurrence cannot be cancelled; `key` names why (central/web/i18n.py)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class CancelScope(StrEnum):
    ONE = "one"  # this occurrence only
    LATER = "later"  # this occurrence and every later one


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
    ends_before: float | None = None
    skips: frozenset[float] = field(default_factory=frozenset)

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
            self.ends_before,
            self.skips,
        )

    def next_at(self, now: float) -> float | None:
        """Its next occurrence that has not started by `now` (None: it has no more)."""
        return next_occurrence(self.slot, now)

    def has_met(self, now: float) -> bool:
        """Whether an occurrence has started by `now` (so it has a history to keep)."""
        return self.starts_at <= now


@dataclass(frozen=True)
class Occurrence:
    """One time a class happens (or would have: `cancelled`)."""

    klass: StoredClass
    at: float
    cancelled: bool = False


def save_class(
    db: Database,
    center: str,
    draft: ClassDraft,
    class_id: str | None = None,
    now: float | None = None,
) -> str | list[Clash]:
    """Store a new class (or change `class_id`); its id, or the clashes if there are any.

    A weekly class that has already met is changed from its next occurrence on: the old
    series ends there and the changed one is stored as a new series (its id is returned).
    The check and the write happen in one write transaction, so two instructors saving at
    the same moment cannot both take the same robot.
    """
    now = time.time() if now is None else now
    with write_transaction(db) as conn:
        others = _active(conn, center)
        old = next((c for c in others if c.id == class_id), None)
        if class_id is not None and (old is None or old.next_at(now) is None):
            raise ScheduleError(class_id)
        split = old.next_at(now) if old and old.has_met(now) else None
        new_id = class_id if class_id and split is None else f"class-{uuid.uuid4().hex[:10]}"
        slot = Slot(
            new_id,
            draft.lesson_id,
            draft.starts_at,
            draft.minutes,
            draft.weekly,
            draft.room,
            frozenset(draft.robots),
        )
        existing = [c.slot for c in others if c.id != class_id]
        if old is not None and split is not None:
            existing.append(replace(old.slot, until=split))  # what is left of the old one
        found = clashes(slot, existing)
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
        if new_id == class_id:
            conn.execute(
                "UPDATE classes SET lesson_id = ?, room = ?, starts_at = ?, minutes = ?, "
                "weekly = ?, robots = ?, instructor_id = ?, lang = ?, updated_at = ? "
                "WHERE id = ?",
                (*values, new_id),
            )
        else:
            conn.execute(
                f"INSERT INTO classes ({_WRITTEN}, updated_at) VALUES (?, ?, {_marks(9)})",
                (new_id, center, *values),
            )
        if old is not None:
            _carry_skips(conn, old, slot, split)
        if old is not None and split is not None:
            conn.execute(
                "UPDATE classes SET ends_before = ?, updated_at = ? WHERE id = ?",
                (split, time.time(), old.id),
            )
    return new_id


def cancel_occurrence(
    db: Database,
    center: str,
    class_id: str,
    at: float,
    scope: CancelScope,
    by: int | None = None,
    now: float | None = None,
) -> None:
    """Cancel the occurrence of `class_id` starting at `at` (or it and every later one).

    An occurrence that has started cannot be cancelled (the site may be running it). A
    class that has not met yet and loses every occurrence is cancelled whole; otherwise
    its past stays in the history.
    """
    now = time.time() if now is None else now
    with write_transaction(db) as conn:
        klass = next((c for c in _active(conn, center) if c.id == class_id), None)
        if klass is None:
            raise ScheduleError(class_id)
        if not is_occurrence(klass.slot, at):
            raise CancelError("not_an_occurrence")
        if at <= now:
            raise CancelError("class_already_started")
        whole = at == klass.starts_at and (scope is CancelScope.LATER or not klass.weekly)
        if whole:
            conn.execute("UPDATE classes SET cancelled = 1 WHERE id = ?", (class_id,))
        elif scope is CancelScope.LATER:
            conn.execute("UPDATE classes SET ends_before = ? WHERE id = ?", (at, class_id))
            conn.execute("DELETE FROM class_skips WHERE class_id = ? AND at >= ?", (class_id, at))
        else:
            conn.execute(
                "INSERT OR IGNORE INTO class_skips (class_id, at, cancelled_at, cancelled_by) "
                "VALUES (?, ?, ?, ?)",
                (class_id, at, now, by),
            )
        # the site monitor publishes a center's day again when its classes change
        conn.execute("UPDATE classes SET updated_at = ? WHERE id = ?", (time.time(), class_id))


def get_class(db: Database, center: str, class_id: str) -> StoredClass:
    """A class of the center that is not cancelled (one that has ended included)."""
    found = next((c for c in _active(db.conn, center) if c.id == class_id), None)
    if found is None:
        raise ScheduleError(class_id)
    return found


def between(
    db: Database,
    center: str,
    start: float,
    end: float,
    with_cancelled: bool = False,
) -> list[Occurrence]:
    """Every occurrence of the center's classes overlapping [start, end), in time order;
    cancelled single occurrences too (marked) when `with_cancelled`."""
    return _occurring(_active(db.conn, center, start, end), start, end, with_cancelled)


def between_centers(
    db: Database, centers: Sequence[str], start: float, end: float
) -> dict[str, list[Occurrence]]:
    """`between` for several centers at once (a page of the overview): two statements
    whatever their number, where one call per center took two each."""
    found: dict[str, list[Occurrence]] = {center: [] for center in centers}
    if centers:
        for occurrence in _occurring(_active(db.conn, centers, start, end), start, end, False):
            found[occurrence.klass.center].append(occurrence)
    return found


def _occurring(
    classes: list[StoredClass], start: float, end: float, with_cancelled: bool
) -> list[Occurrence]:
    found = []
    for klass in classes:
        unskipped = replace(klass.slot, skips=frozenset())
        for at in occurrences(unskipped, start, end):
            cancelled = at in klass.skips
            if with_cancelled or not cancelled:
                found.append(Occurrence(klass, at, cancelled))
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


def todays_schedule(db: Database, center: str, now: float, tz: ZoneInfo) -> Schedule:
    """The center's classes of the local day around `now`, as the site reads them: a
    cancelled occurrence is simply not there, so the class runner never starts it."""
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


def _carry_skips(conn: Connection, old: StoredClass, new: Slot, split: float | None) -> None:
    """Skipped occurrences from `split` on go with the changed series where it still meets
    then; the rest are forgotten (those before `split` stay, as history)."""
    after = split if split is not None else float("-inf")
    for at in sorted(s for s in old.skips if s >= after):
        conn.execute("DELETE FROM class_skips WHERE class_id = ? AND at = ?", (old.id, at))
        if is_occurrence(new, at):
            conn.execute(
                "INSERT OR IGNORE INTO class_skips (class_id, at, cancelled_at) VALUES (?, ?, ?)",
                (new.class_id, at, time.time()),
            )


def _active(
    conn: Connection,
    center: str | Sequence[str],
    start: float | None = None,
    end: float | None = None,
) -> list[StoredClass]:
    """The center's (or centers') classes not cancelled whole (those meeting within
    [start, end) only)."""
    params: list[object]
    if isinstance(center, str):
        where, params = "center = ?", [center]
    else:  # one parameter, however many centers: one cached plan
        where, params = "center IN (SELECT value FROM json_each(?))", [json.dumps(list(center))]
    sql = f"SELECT {_COLUMNS} FROM classes WHERE {where} AND cancelled = 0"
    if end is not None:
        sql += " AND starts_at < ?"
        params.append(end)
    if start is not None:
        sql += " AND (ends_before IS NULL OR ends_before + minutes * 60 > ?)"
        params.append(start)
    rows = conn.execute(sql, params).fetchall()
    skips: dict[str, set[float]] = {}
    if rows:
        found = conn.execute(
            "SELECT k.class_id, k.at FROM class_skips k JOIN classes c ON c.id = k.class_id "
            f"WHERE c.{where} AND c.cancelled = 0",
            params[:1],
        )
        for class_id, at in found.fetchall():
            skips.setdefault(str(class_id), set()).add(float(at))
    return [_stored(row, frozenset(skips.get(str(row[0]), ()))) for row in rows]


def _stored(row: tuple[Any, ...], skips: frozenset[float]) -> StoredClass:
    class_id, center, lesson_id, room, starts_at, minutes, weekly, robots, instructor = row[:9]
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
        lang=str(row[9]),
        ends_before=None if row[10] is None else float(row[10]),
        skips=skips,
    )


def _marks(count: int) -> str:
    return ", ".join("?" * count)
