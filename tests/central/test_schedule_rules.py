"""Schedule rules, tested directly: occurrences, clashes of robots and rooms, the class form."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from central.class_form import Choices, ClassDraft, read_class_form
from central.schedule_rules import (
    WEEK_SECONDS,
    ClashKind,
    Slot,
    clashes,
    first_overlap,
    is_occurrence,
    next_occurrence,
    occurrences,
)

SEOUL = ZoneInfo("Asia/Seoul")
MONDAY_10 = datetime(2030, 3, 4, 10, 0, tzinfo=SEOUL).timestamp()
HOUR = 3600.0


def slot(
    class_id: str,
    at: float = MONDAY_10,
    minutes: int = 60,
    weekly: bool = False,
    room: str = "교실",
    robots: tuple[str, ...] = (),
) -> Slot:
    return Slot(class_id, "phone-call", at, minutes, weekly, room, frozenset(robots))


def test_a_robot_cannot_teach_two_overlapping_classes() -> None:
    first = slot("a", robots=("r1",), room="1층")
    second = slot("b", at=MONDAY_10 + 30 * 60, robots=("r1", "r2"), room="2층")
    [clash] = clashes(second, [first])
    assert (clash.kind, clash.what, clash.other, clash.at) == (
        ClashKind.ROBOT,
        "r1",
        first,
        MONDAY_10,
    )


def test_back_to_back_classes_do_not_clash() -> None:
    first = slot("a", robots=("r1",))
    assert clashes(slot("b", at=MONDAY_10 + HOUR, robots=("r1",)), [first]) == []
    assert clashes(slot("c", at=MONDAY_10 - HOUR, robots=("r1",)), [first]) == []


def test_a_room_is_the_same_room_whatever_the_case() -> None:
    [clash] = clashes(slot("b", room="Room A"), [slot("a", room="room a")])
    assert clash.kind is ClashKind.ROOM


def test_a_weekly_class_blocks_the_same_hour_every_later_week_only() -> None:
    weekly = slot("w", weekly=True, robots=("r1",), room="1층")
    three_weeks_on = slot("o", at=MONDAY_10 + 3 * WEEK_SECONDS + 600, robots=("r1",), room="2층")
    week_before = slot("p", at=MONDAY_10 - WEEK_SECONDS, robots=("r1",), room="2층")
    assert [c.at for c in clashes(three_weeks_on, [weekly])] == [MONDAY_10 + 3 * WEEK_SECONDS]
    assert clashes(week_before, [weekly]) == []
    assert clashes(week_before.__class__(**{**week_before.__dict__, "weekly": True}), [weekly])


def test_two_weekly_classes_clash_when_their_hours_meet() -> None:
    monday = slot("m", weekly=True, room="교실")
    next_month_monday = slot("n", at=MONDAY_10 + 4 * WEEK_SECONDS + 1800, weekly=True)
    tuesday = slot("t", at=MONDAY_10 + 24 * HOUR, weekly=True)
    assert first_overlap(next_month_monday, monday) == MONDAY_10 + 4 * WEEK_SECONDS
    assert first_overlap(monday, next_month_monday) == next_month_monday.starts_at
    assert first_overlap(tuesday, monday) is None


def test_editing_a_class_does_not_clash_with_itself() -> None:
    original = slot("a", robots=("r1",))
    assert clashes(slot("a", at=MONDAY_10 + 600, robots=("r1",)), [original]) == []


@given(
    start=st.integers(0, 20 * 24 * 7),
    length=st.integers(1, 24 * 7 * 3),
    weekly=st.booleans(),
    offset=st.integers(-5 * 24 * 7, 5 * 24 * 7),
)
def test_occurrences_are_exactly_the_weekly_starts_that_overlap(
    start: int, length: int, weekly: bool, offset: int
) -> None:
    klass = slot("x", at=MONDAY_10 + offset * HOUR, minutes=90, weekly=weekly)
    window = (MONDAY_10 + start * HOUR, MONDAY_10 + (start + length) * HOUR)
    expected = [
        at
        for k in range(0, 40 if weekly else 1)
        if (at := klass.starts_at + k * WEEK_SECONDS) < window[1] and at + 5400 > window[0]
    ]
    assert list(occurrences(klass, *window)) == expected


CHOICES = Choices(lessons={"phone-call"}, instructors={2}, tz=SEOUL, now=MONDAY_10 - HOUR)
GOOD = {
    "lesson_id": "phone-call",
    "starts": "2030-03-04T10:00",
    "minutes": "60",
    "room": " 2층   교실 ",
    "repeat": "weekly",
    "instructor_id": "2",
    "other_robots": "R2, r1",
}


def test_a_good_form_becomes_a_draft() -> None:
    draft = read_class_form(GOOD, ["r1"], CHOICES)
    assert draft == ClassDraft("phone-call", MONDAY_10, 60, True, "2층 교실", ("r1", "r2"), 2, "ko")


def test_every_bad_field_is_named() -> None:
    bad = {
        "lesson_id": "nope",
        "starts": "next tuesday",
        "minutes": "5",
        "room": "",
        "instructor_id": "9",
        "other_robots": "로봇!",
    }
    errors = read_class_form(bad, [], CHOICES)
    assert isinstance(errors, dict)
    keys = {name: [e.key for e in found] for name, found in errors.items()}
    assert keys == {
        "lesson_id": ["bad_lesson"],
        "starts": ["bad_start"],
        "minutes": ["bad_length"],
        "room": ["bad_room"],
        "robots": ["bad_robot"],
        "instructor_id": ["bad_instructor"],
    }


def test_a_class_cannot_start_in_the_past() -> None:
    errors = read_class_form({**GOOD, "starts": "2030-03-04T07:00"}, [], CHOICES)
    assert isinstance(errors, dict) and errors["starts"][0].key == "start_in_past"


def test_a_skipped_or_ended_occurrence_is_not_there() -> None:
    weekly = slot("w", weekly=True)
    skipped = Slot(**{**weekly.__dict__, "skips": frozenset({MONDAY_10 + WEEK_SECONDS})})
    window = (MONDAY_10, MONDAY_10 + 3 * WEEK_SECONDS)
    assert list(occurrences(skipped, *window)) == [MONDAY_10, MONDAY_10 + 2 * WEEK_SECONDS]
    ended = Slot(**{**weekly.__dict__, "until": MONDAY_10 + 2 * WEEK_SECONDS})
    assert list(occurrences(ended, *window)) == [MONDAY_10, MONDAY_10 + WEEK_SECONDS]
    assert next_occurrence(skipped, MONDAY_10) == MONDAY_10 + 2 * WEEK_SECONDS
    assert next_occurrence(ended, MONDAY_10 + WEEK_SECONDS) is None
    assert is_occurrence(ended, MONDAY_10 + WEEK_SECONDS)
    assert not is_occurrence(skipped, MONDAY_10 + WEEK_SECONDS)
    assert not is_occurrence(weekly, MONDAY_10 + 600)


def test_a_cancelled_occurrence_frees_its_robot() -> None:
    weekly = slot("w", weekly=True, robots=("r1",), room="1층")
    next_week = MONDAY_10 + WEEK_SECONDS
    skipped = Slot(**{**weekly.__dict__, "skips": frozenset({next_week})})
    one_off = slot("o", at=next_week, robots=("r1",), room="2층")
    assert clashes(one_off, [weekly]) and clashes(one_off, [skipped]) == []
    ended = Slot(**{**weekly.__dict__, "until": next_week})
    assert clashes(slot("n", at=next_week, weekly=True, robots=("r1",)), [ended]) == []


def _brute_first_overlap(new: Slot, other: Slot, horizon: float) -> float | None:
    for a in occurrences(new, 0, horizon):
        for b in occurrences(other, 0, horizon):
            if a < b + other.seconds and b < a + new.seconds:
                return b
    return None


SERIES = st.builds(
    lambda hours, minutes, weekly, until, skips: (hours, minutes, weekly, until, skips),
    st.integers(0, 6 * 24 * 7),
    st.sampled_from([30, 60, 90, 240]),
    st.booleans(),
    st.none() | st.integers(1, 8),
    st.sets(st.integers(0, 7), max_size=4),
)


@given(new=SERIES, other=SERIES)
def test_first_overlap_agrees_with_trying_every_pair(
    new: tuple[int, int, bool, int | None, set[int]],
    other: tuple[int, int, bool, int | None, set[int]],
) -> None:
    def made(name: str, spec: tuple[int, int, bool, int | None, set[int]]) -> Slot:
        hours, minutes, weekly, until, skips = spec
        at = MONDAY_10 + hours * HOUR
        return Slot(
            name, "phone-call", at, minutes, weekly, "교실", frozenset(),
            at + until * WEEK_SECONDS if until and weekly else None,
            frozenset(at + k * WEEK_SECONDS for k in skips) if weekly else frozenset(),
        )  # fmt: skip

    a, b = made("a", new), made("b", other)
    horizon = MONDAY_10 + 30 * WEEK_SECONDS
    assert first_overlap(a, b) == _brute_first_overlap(a, b, horizon)
