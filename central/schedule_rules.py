"""Schedule rules: when classes happen and which ones clash. Pure: no database, no clock.

A class happens once, or every week from its first start until it is cancelled. Weekly
repeats are 7 × 24 h apart: Korea keeps no daylight saving time, so that is the same
wall-clock time every week.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from central.text_input import normalise_key

WEEK_SECONDS = 7 * 24 * 3600
MIN_CLASS_MINUTES = 10  # shorter is not a class, it is a notice
MAX_CLASS_MINUTES = 240  # seniors' classes are 40–90 minutes; four hours catches typos


@dataclass(frozen=True)
class Slot:
    """One class as the rules see it."""

    class_id: str
    lesson_id: str
    starts_at: float
    minutes: int
    weekly: bool
    room: str
    robots: frozenset[str]

    @property
    def seconds(self) -> float:
        return self.minutes * 60.0


class ClashKind(StrEnum):
    ROBOT = "robot"
    ROOM = "room"


@dataclass(frozen=True)
class Clash:
    kind: ClashKind
    what: str  # the robot id or the room
    other: Slot  # the class already there
    at: float  # when the other class's clashing occurrence starts


def occurrences(slot: Slot, start: float, end: float) -> Iterator[float]:
    """Start times of `slot`'s occurrences that overlap [start, end)."""
    if not slot.weekly:
        if slot.starts_at < end and slot.starts_at + slot.seconds > start:
            yield slot.starts_at
        return
    week = max(0, int((start - slot.starts_at - slot.seconds) // WEEK_SECONDS))
    while (at := slot.starts_at + week * WEEK_SECONDS) < end:
        if at + slot.seconds > start:
            yield at
        week += 1


def first_overlap(new: Slot, other: Slot) -> float | None:
    """When an occurrence of `other` first overlaps one of `new`; None if they never meet."""
    if new.weekly and other.weekly:
        later, earlier = (new, other) if new.starts_at >= other.starts_at else (other, new)
        hit = _meets_once(later.starts_at, later.seconds, earlier)
        if hit is None:
            return None
        return hit if earlier is other else later.starts_at
    if other.weekly:
        return _meets_once(new.starts_at, new.seconds, other)
    if new.weekly:
        hit = _meets_once(other.starts_at, other.seconds, new)
        return None if hit is None else other.starts_at
    return next(occurrences(other, new.starts_at, new.starts_at + new.seconds), None)


def clashes(new: Slot, existing: Iterable[Slot]) -> list[Clash]:
    """Every robot or room `new` would share at the same time with another class."""
    found = []
    for other in existing:
        if other.class_id == new.class_id:
            continue
        shared_robots = sorted(new.robots & other.robots)
        same_room = normalise_key(new.room) == normalise_key(other.room)
        if not (shared_robots or same_room):
            continue
        at = first_overlap(new, other)
        if at is None:
            continue
        found += [Clash(ClashKind.ROBOT, robot, other, at) for robot in shared_robots]
        if same_room:
            found.append(Clash(ClashKind.ROOM, other.room, other, at))
    return sorted(found, key=lambda clash: (clash.at, clash.kind, clash.what))


def _meets_once(start: float, seconds: float, series: Slot) -> float | None:
    """The start of `series`'s occurrence overlapping [start, start + seconds), if any."""
    return next(occurrences(series, start, start + seconds), None)
