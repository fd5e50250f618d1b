"""The learning path (lessons/learning_path.py): mastery on two days, a review after a week,
the next lesson in track order behind its prerequisites."""

from __future__ import annotations

from typing import Any

from lessons.learning_path import REVIEW_AFTER, Completion, local_day, plan, records
from lessons.library import load_library
from tests.lessons.conftest import make_lesson

DAY = 24 * 3600.0
T0 = 1_800_000_000.0  # a fixed clock


def day_of(at: float) -> str:  # days counted from T0, so the test needs no time zone
    return f"d{int((at - T0) // DAY)}"


def run(lesson_id: str, at: float, hint: int = 0, skipped: int = 0) -> Completion:
    return Completion(lesson_id, at, day_of(at), hint, skipped)


def lesson(id: str, level: int = 1, track: str = "basics", requires: Any = ()) -> Any:
    return make_lesson(id=id, level=level, tags=[f"track-{track}"], requires=list(requires))


LESSONS = [
    lesson("a"),
    lesson("b", requires=["a"]),
    lesson("c", track="everyday"),
    lesson("d", track="safety", requires=["c"]),
]


def test_mastered_needs_clean_runs_on_two_different_days() -> None:
    same_day = records([run("a", T0), run("a", T0 + 3600)])
    assert same_day["a"].finished and not same_day["a"].mastered
    two_days = records([run("a", T0), run("a", T0 + DAY)])
    assert two_days["a"].mastered
    # a run that needed the demonstration (hint 3) or skipped a step does not count
    assert not records([run("a", T0), run("a", T0 + DAY, hint=3)])["a"].mastered
    assert not records([run("a", T0), run("a", T0 + DAY, skipped=1)])["a"].mastered
    assert records([run("a", T0, hint=2), run("a", T0 + 5 * DAY, hint=1)])["a"].mastered


def test_a_new_learner_starts_with_the_first_lesson_of_the_first_track() -> None:
    path = plan(LESSONS, [], T0, day_of)
    assert path.next is not None and path.next.id == "a"
    assert path.review is None
    assert [(t.id if t else None, [x.id for x in xs]) for t, xs in path.by_track] == [
        ("basics", ["b"]),
        ("everyday", ["c"]),
        ("safety", ["d"]),
    ]


def test_the_same_day_moves_on_and_the_next_day_comes_back_for_the_second_run() -> None:
    done = [run("a", T0)]
    # b needs a mastered: not open; a was done cleanly today, so another run would not count
    assert (nxt := plan(LESSONS, done, T0 + 60, day_of).next) and nxt.id == "c"
    # the next day: a again, its second day makes it mastered
    assert (nxt := plan(LESSONS, done, T0 + DAY, day_of).next) and nxt.id == "a"
    done.append(run("a", T0 + DAY))
    assert (nxt := plan(LESSONS, done, T0 + DAY + 60, day_of).next) and nxt.id == "b"


def test_when_everything_open_was_done_today_it_is_offered_again() -> None:
    done = [run("a", T0), run("c", T0)]
    assert (nxt := plan(LESSONS, done, T0 + 60, day_of).next) and nxt.id == "a"


def test_a_review_is_due_a_week_after_the_last_run_of_a_mastered_lesson() -> None:
    done = [run("a", T0), run("a", T0 + DAY), run("c", T0), run("c", T0 + 2 * DAY)]
    assert plan(LESSONS, done, T0 + DAY + REVIEW_AFTER - 60, day_of).review is None
    path = plan(LESSONS, done, T0 + DAY + REVIEW_AFTER, day_of)
    assert path.review is not None and path.review.id == "a"  # left longest
    assert "a" not in [x.id for x in path.rest]
    # a review run (clean or not) starts the week again
    done.append(run("a", T0 + 8 * DAY, hint=3))
    later = plan(LESSONS, done, T0 + 9 * DAY + 60, day_of)
    assert later.review is not None and later.review.id == "c"
    assert later.record("a").mastered  # a harder review does not take mastery away


def test_everything_mastered_leaves_no_next_lesson() -> None:
    done = [run(x.id, T0 + d * DAY) for x in LESSONS for d in (0, 1)]
    assert plan(LESSONS, done, T0 + 2 * DAY, day_of).next is None


def test_the_library_path_starts_with_basics_and_every_lesson_is_reachable() -> None:
    library = load_library()
    lessons = list(library.lessons.values())
    path = plan(lessons, [], T0, day_of)
    assert path.next is not None and path.next.id == "phone-basics"
    assert len(path.rest) == len(lessons) - 1
    # a learner who masters each next lesson on two days reaches every lesson
    done: list[Completion] = []
    now, seen = T0, []
    for _ in range(len(lessons)):
        nxt = plan(lessons, done, now, day_of).next
        assert nxt is not None
        seen.append(nxt.id)
        done += [run(nxt.id, now), run(nxt.id, now + DAY)]
        now += 2 * DAY
    assert sorted(seen) == sorted(library.lessons)
    assert plan(lessons, done, now, day_of).next is None


def test_local_day_is_a_calendar_date() -> None:
    assert len(local_day(T0)) == 10 and local_day(T0).count("-") == 2
