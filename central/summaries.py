"""Per-learner, per-lesson (and per-step) summaries as additive deltas of new events.

Pure: the intake adds these deltas to the stored rows in the same transaction that stores
the events, so a summary always equals what the stored events say — a replayed event is
not new, so it adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from lessons.events import EventKind, EventRecord
from lessons.learning_path import completion_of
from lessons.session import MAX_HINT_LEVEL

ANONYMOUS = ""  # events of nobody signed in (e.g. a class-mode kiosk without a learner)
# No step or lesson takes a day: idle sign-out ends a session within minutes. A longer (or
# negative) duration means the kiosk's clock jumped mid-lesson; the event is kept, its
# duration is not counted.
MAX_COUNTED_SECONDS = 24 * 3600.0


@dataclass
class LessonDelta:
    started: int = 0
    completed: int = 0
    # 1 once the learner finished the lesson cleanly on MASTERY_DAYS days, as the kiosk's
    # learning path has it: set by intake from `clean_days`, never by a delta
    mastered: int = 0
    steps_completed: int = 0
    attempts: int = 0
    wrong_attempts: int = 0
    max_hint_level: int = 0  # combined with max
    help_calls: int = 0
    quiz_answers: int = 0
    quiz_right: int = 0
    seconds: float = 0.0
    first_at: float = float("inf")  # combined with min
    last_at: float = 0.0  # combined with max
    last_step: int = 0  # the step of the latest event

    @classmethod
    def columns(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass
class StepDelta:
    wrong_attempts: int = 0
    help_calls: int = 0
    max_hint_level: int = 0


LessonKey = tuple[str, str]  # learner, lesson
StepKey = tuple[str, str, str]  # learner, lesson, step


def summarize(
    events: Iterable[EventRecord],
) -> tuple[dict[LessonKey, LessonDelta], dict[StepKey, StepDelta]]:
    """Fold events into lesson and step deltas."""
    lessons: dict[LessonKey, LessonDelta] = {}
    steps: dict[StepKey, StepDelta] = {}
    for event in events:
        learner = event.learner_id or ANONYMOUS
        delta = lessons.setdefault((learner, event.lesson_id), LessonDelta())
        _fold(delta, event)
        if event.step_id and event.kind in (EventKind.PRACTICE_ATTEMPT, EventKind.HELP_REQUESTED):
            step = steps.setdefault((learner, event.lesson_id, event.step_id), StepDelta())
            _fold_step(step, event)
    return lessons, steps


def _fold(delta: LessonDelta, event: EventRecord) -> None:
    detail = event.detail
    if event.at >= delta.last_at:
        delta.last_at, delta.last_step = event.at, event.step_index or 0
    delta.first_at = min(delta.first_at, event.at)
    kind = event.kind
    if kind == EventKind.LESSON_STARTED:
        delta.started += 1
    elif kind == EventKind.STEP_COMPLETED:
        delta.steps_completed += 1
    elif kind == EventKind.PRACTICE_ATTEMPT:
        delta.attempts += 1
        delta.wrong_attempts += 0 if detail.get("correct") else 1
        delta.max_hint_level = max(delta.max_hint_level, hint_level(detail))
    elif kind == EventKind.QUIZ_ANSWERED:
        delta.quiz_answers += 1
        delta.quiz_right += 1 if detail.get("correct") else 0
    elif kind == EventKind.HELP_REQUESTED:
        delta.help_calls += 1
    elif kind == EventKind.LESSON_COMPLETED:
        delta.completed += 1  # mastered: from the clean days (`clean_days`, intake)
        delta.seconds += counted_seconds(detail)


def _fold_step(step: StepDelta, event: EventRecord) -> None:
    if event.kind == EventKind.HELP_REQUESTED:
        step.help_calls += 1
    elif not event.detail.get("correct"):
        step.wrong_attempts += 1
    step.max_hint_level = max(step.max_hint_level, hint_level(event.detail))


def hint_level(detail: Mapping[str, object]) -> int:
    """The event's hint level if it is one a lesson has (0…MAX_HINT_LEVEL), else 0."""
    value = detail.get("hint_level")
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_HINT_LEVEL:
        return value
    return 0


def counted_seconds(detail: Mapping[str, object]) -> float:
    """The event's duration if it is a believable one (0…MAX_COUNTED_SECONDS), else 0."""
    value = detail.get("seconds")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value) if 0 <= value <= MAX_COUNTED_SECONDS else 0.0  # NaN fails both


def clean_days(events: Iterable[EventRecord]) -> set[tuple[str, str, str]]:
    """(learner, lesson, local day) of every clean finished run among `events`: no level-3
    hint, nothing skipped (`lessons.learning_path.Completion.clean`)."""
    days = set()
    for event in events:
        run = completion_of(event)
        if run is not None and run.clean and event.learner_id is not None:
            days.add((event.learner_id, run.lesson_id, run.day))
    return days
