"""Schedule rules: when classes happen and which ones clash. Pure: no database, no clock.

A class happens once, or every week from its first start until it is cancelled. Weekly
repeats are 7 × 24 h apart: Korea keeps no daylight saving time, so that is the same
wall-clock time every week. A weekly series may end (`until`: no occurrence starts at or
after it; what came before stays in the history) and may skip single occurrences (`skips`:
their start times).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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
    until: float | None = None  # a weekly series ends: nothing starts at or after this
    skips: frozenset[float] = field(default_factory=frozenset)  # cancelled occurrences

    @property
    def seconds(self) -> float:
        return self.minutes * 60.0

    @property
    def last_end(self) -> float:
        """When its last occurrence ends (infinity for a weekly series that runs on)."""
        if not self.weekly:
            return self.starts_at + self.seconds
        return float("inf") if self.until is None else self.until + self.seconds


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
    """Start times of `slot`'s occurrences that overlap [start, end), skipped ones left out."""
    if not slot.weekly:
        if slot.starts_at < end and slot.starts_at + slot.seconds > start:
            yield slot.starts_at
        return
    if slot.until is not None:
        end = min(end, slot.until)
    week = max(0, int((start - slot.starts_at - slot.seconds) // WEEK_SECONDS))
    while (at := slot.starts_at + week * WEEK_SECONDS) < end:
        if at + slot.seconds > start and at not in slot.skips:
            yield at
        week += 1


def is_occurrence(slot: Slot, at: float) -> bool:
    """Whether a (not skipped) occurrence of `slot` starts at `at`."""
    return next(occurrences(slot, at, at + 1), None) == at


def next_occurrence(slot: Slot, after: float) -> float | None:
    """The first (not skipped) occurrence starting after `after`; None if there is none."""
    return next((at for at in occurrences(slot, after, slot.last_end) if at > after), None)


def first_overlap(new: Slot, other: Slot) -> float | None:
    """When an occurrence of `other` first overlaps one of `new`; None if they never meet.

    Both repeat with the same period, so if one occurrence of `new` meets `other` every one
    does, except where `other` skips its occurrence: after one miss more than `other` has
    skips (and one for `new` starting first), they never meet.
    """
    start = max(new.starts_at, other.starts_at) - max(new.seconds, other.seconds)
    misses_allowed = len(other.skips) + 2
    for at in occurrences(new, start, min(new.last_end, other.last_end)):
        hit = _meets_once(at, new.seconds, other)
        if hit is not None:
            return hit
        misses_allowed -= 1
        if misses_allowed == 0:
            return None
    return None


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
