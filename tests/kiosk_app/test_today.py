"""Today's class on the welcome screen, from the center's schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from kiosk_app.teaching.today import clock_words, parse_schedule, today_line
from robot_bridge.protocol.class_messages import Schedule, ScheduledClass

SEOUL = timezone(timedelta(hours=9))
MORNING = datetime(2025, 5, 7, 9, 0, tzinfo=SEOUL).timestamp()
TITLES = {"video-call": "영상통화 배우기", "phone-call": "전화 걸고 받기"}


def at(hour: int, minute: int = 0, day: int = 7) -> float:
    return datetime(2025, 5, day, hour, minute, tzinfo=SEOUL).timestamp()


def schedule(*entries: tuple[str, float]) -> Schedule:
    classes = [
        ScheduledClass(class_id=f"c{number}", lesson_id=lesson, starts_at=starts)
        for number, (lesson, starts) in enumerate(entries)
    ]
    return Schedule(classes=classes)


def test_the_next_class_today_in_korean_words() -> None:
    tomorrow = at(10, 0, day=8)
    plan = schedule(("phone-call", at(16, 30)), ("video-call", at(14)), ("phone-call", tomorrow))
    assert today_line(plan, TITLES, MORNING, SEOUL) == "오늘의 수업: 영상통화 배우기, 오후 2시"


def test_a_class_that_just_started_still_shows_and_an_old_one_does_not() -> None:
    plan = schedule(("video-call", at(14)))
    assert today_line(plan, TITLES, at(14, 40), SEOUL).endswith("오후 2시")
    assert today_line(plan, TITLES, at(17), SEOUL) == ""
    assert today_line(None, TITLES, MORNING, SEOUL) == ""


def test_the_kept_schedule_round_trips_and_junk_is_none() -> None:
    plan = schedule(("video-call", at(14)))
    assert parse_schedule(plan.encode().decode()) == plan
    assert parse_schedule("{not json") is None and parse_schedule(None) is None


def test_in_english_the_line_and_the_time_are_english() -> None:
    plan = schedule(("video-call", at(14)), ("phone-call", at(16, 5)))
    titles = {"video-call": "Video calls", "phone-call": "Phone calls"}
    assert today_line(plan, titles, MORNING, SEOUL, "en") == "Today's class: Video calls, 2 pm"
    assert today_line(plan, titles, at(15, 40), SEOUL, "en").endswith("Phone calls, 4:05 pm")
    assert clock_words(at(0, 30), SEOUL, "en") == "12:30 am"
    assert clock_words(at(12), SEOUL, "en") == "12 pm"


@given(st.integers(0, 23), st.integers(0, 59))
def test_clock_words_cover_every_minute(hour: int, minute: int) -> None:
    words = clock_words(datetime(2025, 1, 1, hour, minute, tzinfo=UTC).timestamp(), UTC)
    half, hours = words.split()[:2]
    assert half == ("오전" if hour < 12 else "오후")
    assert hours == f"{hour % 12 or 12}시" and (f"{minute}분" in words) == (minute > 0)
