"""Reading the class form: every field checked, every problem named next to its field. Pure."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from central.schedule_rules import MAX_CLASS_MINUTES, MIN_CLASS_MINUTES, Clash, ClashKind
from central.text_input import TextError, clean_text

MAX_ROBOTS = 8  # robot_bridge.protocol.class_messages.ScheduledClass allows eight robots per class
MAX_ROOM_CHARS = 40
# A start may be a little in the past: the instructor fills in the form for a class that
# begins "now", and submitting takes a minute or two.
PAST_GRACE_SECONDS = 15 * 60
# Two years ahead is further than anyone plans a class at a senior center; without a bound
# a class in the year 9999 was accepted and its week could not be shown.
MAX_DAYS_AHEAD = 2 * 366
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_LOCAL_TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class FieldError:
    key: str  # message key in central/web/i18n.py
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ClassDraft:
    lesson_id: str
    starts_at: float
    minutes: int
    weekly: bool
    room: str
    robots: tuple[str, ...]
    instructor_id: int | None
    lang: str


@dataclass(frozen=True)
class Choices:
    """What the form may choose from."""

    lessons: Collection[str]
    instructors: Collection[int]
    tz: ZoneInfo
    now: float


Errors = dict[str, list[FieldError]]


def read_class_form(
    fields: Mapping[str, str], robots: Sequence[str], choices: Choices
) -> ClassDraft | Errors:
    """A draft class from the form's text fields, or the errors per field."""
    errors: Errors = {}

    def fail(name: str, key: str, **values: str) -> None:
        errors.setdefault(name, []).append(FieldError(key, values))

    lesson_id = fields.get("lesson_id", "").strip()
    if lesson_id not in choices.lessons:
        fail("lesson_id", "bad_lesson")
    starts_at = parse_local_time(fields.get("starts", ""), choices.tz)
    if starts_at is None:
        fail("starts", "bad_start")
    elif starts_at < choices.now - PAST_GRACE_SECONDS:
        fail("starts", "start_in_past")
    elif starts_at > choices.now + MAX_DAYS_AHEAD * 86400:
        fail("starts", "start_too_far")
    minutes = _int(fields.get("minutes", ""))
    if minutes is None or not MIN_CLASS_MINUTES <= minutes <= MAX_CLASS_MINUTES:
        fail("minutes", "bad_length")
    try:
        room = clean_text(fields.get("room", ""), MAX_ROOM_CHARS)
    except TextError as exc:
        room = ""
        fail("room", "bad_room" if exc.key == "text_length" else exc.key)
    chosen = _robot_ids(robots, fields.get("other_robots", ""))
    for robot in chosen:
        if not _SLUG.match(robot) or len(robot) > 64:
            fail("robots", "bad_robot", robot=robot[:40])
    if len(chosen) > MAX_ROBOTS:
        fail("robots", "too_many_robots")
    instructor = fields.get("instructor_id", "").strip()
    instructor_id = _int(instructor) if instructor else None
    if instructor and instructor_id not in choices.instructors:
        fail("instructor_id", "bad_instructor")
    if errors or starts_at is None or minutes is None:
        return errors
    return ClassDraft(
        lesson_id=lesson_id,
        starts_at=starts_at,
        minutes=minutes,
        weekly=fields.get("repeat") == "weekly",
        room=room,
        robots=chosen,
        instructor_id=instructor_id,
        lang="en" if fields.get("lang") == "en" else "ko",
    )


def clash_errors(found: Sequence[Clash], lesson_titles: Mapping[str, str], tz: ZoneInfo) -> Errors:
    """The clashes as errors next to the robots or the room field."""
    errors: Errors = {}
    for clash in found:
        when = format_local_time(clash.at, tz)
        lesson = lesson_titles.get(clash.other.lesson_id, clash.other.lesson_id)
        if clash.kind is ClashKind.ROBOT:
            error = FieldError("robot_busy", {"robot": clash.what, "when": when, "lesson": lesson})
            errors.setdefault("robots", []).append(error)
        else:
            error = FieldError("room_busy", {"room": clash.what, "when": when, "lesson": lesson})
            errors.setdefault("room", []).append(error)
    return errors


def parse_local_time(text: str, tz: ZoneInfo) -> float | None:
    """Unix time of a `datetime-local` value in `tz`; None if it is not one."""
    for pattern in _LOCAL_TIME_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).replace(tzinfo=tz).timestamp()
        except ValueError:
            continue
    return None


def format_local_time(at: float, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(at, tz).strftime("%Y-%m-%d %H:%M")


def input_local_time(at: float, tz: ZoneInfo) -> str:
    """The value a `datetime-local` input shows for `at`."""
    return datetime.fromtimestamp(at, tz).strftime("%Y-%m-%dT%H:%M")


def _robot_ids(checked: Sequence[str], typed: str) -> tuple[str, ...]:
    ids = [r.strip().lower() for r in [*checked, *typed.replace("，", ",").split(",")]]
    return tuple(dict.fromkeys(r for r in ids if r))


def _int(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None
