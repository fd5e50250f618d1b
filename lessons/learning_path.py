"""A learner's path through the library: what to do next, what is mastered, what to review.

Pure: the learner's completed runs and the clock come in, no Kivy, no SQL. The kiosk's
home shows `Path.next` first ("다음 수업"), `Path.review` when one is due ("복습"), then
the rest track by track.

**Mastered** (spaced practice): a lesson counts as mastered when it was finished with every
practice and quiz done (nothing skipped) and no practice needing a level-3 hint (the
pointer that shows the tap) on **two different days**. One clean run is not enough, nor
two on the same day: older adults keep what they practised a day apart much better than
what they practised twice in a row (Simone, Bell & Cepeda 2012, "Diminished but not
forgotten: effects of aging on magnitude of spacing effect benefits", J. Gerontol. B,
doi:10.1093/geronb/gbs096: a 24-hour gap against ~15 minutes, 10 days later, adults of
65 on average; Caffrey & Commins 2023, Eur. J. Ageing, doi:10.1007/s10433-023-00750-5:
the benefit of spacing in older adults shows at long retention intervals).

**Review**: a mastered lesson not practised for `REVIEW_AFTER` (a week) is offered again,
the one left longest first; doing it (any run) starts the week again. Spaced retrieval at
growing intervals is the standard memory aid for older adults (Logan & Balota 2008, Aging,
Neuropsychology, and Cognition 15:257–280); a fixed week keeps the rule one a senior and
an instructor can say aloud.

**Next lesson**: the first lesson in track order (`lessons.tracks.in_track_order`) that is
not mastered and whose `requires` are all mastered, preferring one not already finished
cleanly today (a second run today would not count). None when everything open is mastered.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from lessons.events import EventKind, EventRecord
from lessons.model import Lesson
from lessons.tracks import TRACKS, Track, in_track_order, track_of

CLEAN_MAX_HINT = 2  # a run with a level-3 hint (the tap demonstrated) does not count
MASTERY_DAYS = 2  # clean runs on this many different days
REVIEW_AFTER = 7 * 24 * 3600.0  # seconds since the last run of a mastered lesson

DayOf = Callable[[float], str]


def local_day(at: float) -> str:
    """The kiosk's local calendar day of `at` (seconds since the epoch): '2026-12-04'."""
    return time.strftime("%Y-%m-%d", time.localtime(at))


@dataclass(frozen=True)
class Completion:
    """One finished run of a lesson (a `lesson_completed` event)."""

    lesson_id: str
    at: float
    day: str  # the kiosk's local day of `at`
    max_hint_level: int  # the highest hint level any practice needed
    skipped: int = 0  # practices and quizzes left undone

    @property
    def clean(self) -> bool:
        return self.skipped == 0 and self.max_hint_level <= CLEAN_MAX_HINT


def completion_of(event: EventRecord) -> Completion | None:
    """The finished run a `lesson_completed` event of a learner tells of (None: another
    event, or nobody signed in); a detail number that is not one counts as 0."""
    if event.kind != EventKind.LESSON_COMPLETED or event.learner_id is None:
        return None
    hint, skipped = event.detail.get("max_hint_level"), event.detail.get("skipped")
    return Completion(
        event.lesson_id,
        event.at,
        local_day(event.at),
        int(hint) if isinstance(hint, int | float) else 0,
        int(skipped) if isinstance(skipped, int | float) else 0,
    )


@dataclass(frozen=True)
class LessonRecord:
    """What a learner did with one lesson, summed from its completions."""

    runs: int = 0
    clean_days: frozenset[str] = frozenset()
    last_at: float | None = None

    @property
    def mastered(self) -> bool:
        return len(self.clean_days) >= MASTERY_DAYS

    @property
    def finished(self) -> bool:
        return self.runs > 0


def records(completions: Iterable[Completion]) -> dict[str, LessonRecord]:
    """Each lesson's record from a learner's completions (any order)."""
    runs: dict[str, int] = {}
    days: dict[str, set[str]] = {}
    last: dict[str, float] = {}
    for c in completions:
        runs[c.lesson_id] = runs.get(c.lesson_id, 0) + 1
        days.setdefault(c.lesson_id, set())
        if c.clean:
            days[c.lesson_id].add(c.day)
        last[c.lesson_id] = max(last.get(c.lesson_id, c.at), c.at)
    return {
        lesson_id: LessonRecord(n, frozenset(days[lesson_id]), last[lesson_id])
        for lesson_id, n in runs.items()
    }


@dataclass(frozen=True)
class Path:
    next: Lesson | None
    review: Lesson | None
    by_track: list[tuple[Track | None, list[Lesson]]]  # the rest, track by track
    records: Mapping[str, LessonRecord] = field(default_factory=dict)

    def record(self, lesson_id: str) -> LessonRecord:
        return self.records.get(lesson_id, LessonRecord())

    @property
    def rest(self) -> list[Lesson]:
        return [lesson for _, lessons in self.by_track for lesson in lessons]


def plan(
    lessons: Iterable[Lesson],
    completions: Iterable[Completion],
    now: float,
    day_of: DayOf = local_day,
) -> Path:
    """The learner's path at `now`: next lesson, review due, the rest by track."""
    ordered = in_track_order(lessons)
    known = {lesson.id for lesson in ordered}
    done = records(completions)
    today = day_of(now)

    def mastered(lesson_id: str) -> bool:
        return lesson_id in done and done[lesson_id].mastered

    def open_(lesson: Lesson) -> bool:  # prerequisites met (one not in the library is moot)
        return all(mastered(r) or r not in known for r in lesson.requires)

    candidates = [x for x in ordered if not mastered(x.id) and open_(x)]
    fresh = [x for x in candidates if today not in done.get(x.id, LessonRecord()).clean_days]
    next_ = (fresh or candidates)[0] if candidates else None

    due = [
        x for x in ordered if mastered(x.id) and now - (done[x.id].last_at or now) >= REVIEW_AFTER
    ]
    review = min(due, key=lambda x: done[x.id].last_at or now, default=None)

    shown = {x.id for x in (next_, review) if x is not None}
    groups: list[tuple[Track | None, list[Lesson]]] = []
    for track in (*TRACKS, None):
        members = [x for x in ordered if track_of(x) == track and x.id not in shown]
        if members:
            groups.append((track, members))
    return Path(next_, review, groups, done)
