"""The lesson session: a pure state machine that walks one learner through one lesson.

The kiosk (self-paced) and the class runner (robot-led) both drive it. Every input returns
the lines to speak now; the current screen is read from `view`; progress events pile up
until `take_events()`. Nothing here sleeps or reads a clock: the clock is passed in.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lessons import phrases
from lessons.events import DetailValue, EventKind, ProgressEvent
from lessons.mock_engine import MockState
from lessons.model import Lesson, Line, Screen, Step
from lessons.practice_run import Outcome, PracticeRun

Clock = Callable[[], float]

# A senior may read an instruction slowly; after this long without a tap on a practice
# screen, the next hint is offered. Long enough not to rush, short enough not to feel lost.
PAUSE_HINT_SECONDS = 30.0
MAX_HINT_LEVEL = 3  # 1 spoken hint, 2 target highlighted, 3 the step demonstrates itself


def new_event_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class StepView:
    """What the learner should see right now."""

    index: int
    total: int
    step: Step
    hint_level: int
    taps_done: int
    practice_done: bool
    quiz_choice: int | None
    quiz_correct: bool | None
    finished: bool
    mastered: bool | None
    mock: MockState | None = None  # what the simulated app shows (practice steps)
    target: str | None = None  # where the next input goes: an element, a key, "back-key"
    typing: tuple[str, str] | None = None  # (field, text) while typing is expected
    swipe: str | None = None  # the direction while a swipe is expected

    @property
    def highlight(self) -> str | None:
        """The element to highlight (hint level 2 and up), if any."""
        return self.expected_target if self.hint_level >= 2 else None

    @property
    def demonstrate(self) -> str | None:
        """The element whose tap is shown to the learner (hint level 3)."""
        return self.expected_target if self.hint_level >= 3 else None

    @property
    def expected_target(self) -> str | None:
        return None if self.practice_done else self.target

    @property
    def position_label(self) -> str:
        return f"{self.index + 1} / {self.total}"


@dataclass
class _Visit:
    """The state of the step on screen; reset each time a step is entered."""

    entered_at: float
    last_activity: float
    hint_level: int = 0
    max_hint_level: int = 0
    taps_done: int = 0
    practice_done: bool = False
    quiz_choice: int | None = None
    quiz_correct: bool | None = None
    run: PracticeRun | None = None


@dataclass
class LessonSession:
    """`screens`: the library's practice screens (a session without them, such as the class
    runner's, follows the lesson but takes no practice input)."""

    lesson: Lesson
    clock: Clock
    learner_id: str | None = None
    screens: Mapping[str, Screen] = field(default_factory=dict)
    new_id: Callable[[], str] = new_event_id
    session_id: str = ""
    index: int = 0
    started_at: float | None = None
    finished: bool = False
    mastered: bool | None = None
    _visit: _Visit = field(init=False)
    _events: list[ProgressEvent] = field(default_factory=list)
    _completed: set[int] = field(default_factory=set)
    _practice_hint: dict[int, int] = field(default_factory=dict)
    _quiz_first: dict[int, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.session_id = self.session_id or self.new_id()
        now = self.clock()
        self._visit = _Visit(entered_at=now, last_activity=now)

    # ---- inputs -------------------------------------------------------------------------

    def start(self, at_step: int = 0) -> list[Line]:
        """Begin (or resume at `at_step`) and return what to say first."""
        if self.started_at is not None:
            return []
        self.started_at = self.clock()
        self.index = max(0, min(at_step, len(self.lesson.steps) - 1))
        self._emit(EventKind.LESSON_STARTED, resumed=at_step > 0, step=self.index)
        return self._enter(self.index)

    def next(self) -> list[Line]:
        """Move on; past the last step the lesson finishes."""
        if not self._active():
            return []
        self._leave_current()
        if self.index + 1 >= len(self.lesson.steps):
            return self._finish()
        return self._enter(self.index + 1)

    def back(self) -> list[Line]:
        if not self._active() or self.index == 0:
            return []
        return self._enter(self.index - 1)

    def go_to(self, index: int) -> list[Line]:
        """Jump to step `index`, forward or back (an instructor steering a class); nothing
        if the lesson is not under way or has no such step."""
        if not self._active() or not 0 <= index < len(self.lesson.steps):
            return []
        return self._enter(index)

    def repeat(self) -> list[Line]:
        """Say the current step again (다시 듣기)."""
        if not self._active():
            return []
        self._visit.last_activity = self.clock()
        return self._opening_lines(self.step)

    def tap(self, element_id: str) -> list[Line]:
        """A tap on the practice screen: right moves the practice on, wrong climbs a hint."""
        return self._practice_input(lambda run: run.tap(element_id))

    def hold(self, element_id: str) -> list[Line]:
        """A long press on an element of the practice screen."""
        return self._practice_input(lambda run: run.hold(element_id))

    def back_key(self) -> list[Line]:
        """The simulated phone's back key."""
        return self._practice_input(lambda run: run.back())

    def swipe(self, direction: str) -> list[Line]:
        """A swipe on the practice screen (or one of its big arrows)."""
        return self._practice_input(lambda run: run.swipe(direction))

    def typed(self, field_id: str, text: str) -> list[Line]:
        """The on-screen keyboard left `text` in a field of the practice screen."""
        return self._practice_input(lambda run: run.typed(field_id, text))

    def answer(self, choice: int) -> list[Line]:
        """Answer the quiz with choice number `choice` (from 1)."""
        quiz = self.step.quiz
        if not self._active() or quiz is None or not 1 <= choice <= len(quiz.choices):
            return []
        visit = self._visit
        visit.last_activity = self.clock()
        correct = choice in quiz.answers
        first_try = self.index not in self._quiz_first
        if first_try:
            self._quiz_first[self.index] = correct
        visit.quiz_choice, visit.quiz_correct = choice, correct
        self._emit(EventKind.QUIZ_ANSWERED, choice=choice, correct=correct, first_try=first_try)
        if correct:
            self._complete_step()
        return [quiz.right if correct else quiz.wrong]

    def help(self) -> list[Line]:
        """The learner pressed 도와주세요."""
        if not self._active():
            return []
        self._visit.last_activity = self.clock()
        self._emit(EventKind.HELP_REQUESTED, hint_level=self._visit.hint_level)
        return [phrases.HELP_COMING]

    def tick(self) -> list[Line]:
        """Called now and then: a long pause on a practice screen offers the next hint."""
        visit = self._visit
        if (
            not self._active()
            or self.step.practice is None
            or visit.practice_done
            or visit.hint_level >= MAX_HINT_LEVEL
            or self.clock() - visit.last_activity < PAUSE_HINT_SECONDS
        ):
            return []
        visit.last_activity = self.clock()
        return [self._raise_hint()]

    def take_events(self) -> list[ProgressEvent]:
        """Hand over the events emitted since the last call."""
        events, self._events = self._events, []
        return events

    # ---- state --------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.index]

    @property
    def view(self) -> StepView:
        v = self._visit
        return StepView(
            index=self.index,
            total=len(self.lesson.steps),
            step=self.step,
            hint_level=v.hint_level,
            taps_done=v.taps_done,
            practice_done=v.practice_done,
            quiz_choice=v.quiz_choice,
            quiz_correct=v.quiz_correct,
            finished=self.finished,
            mastered=self.mastered,
            mock=v.run.state if v.run else None,
            target=v.run.target() if v.run else None,
            typing=v.run.typing_goal() if v.run else None,
            swipe=_swipe_expected(v.run),
        )

    def practice_run(self) -> PracticeRun | None:
        """The practice on screen, if the step is one (read-only use: the kiosk draws it)."""
        return self._visit.run

    # ---- internals ----------------------------------------------------------------------

    def _active(self) -> bool:
        return self.started_at is not None and not self.finished

    def _enter(self, index: int) -> list[Line]:
        self.index = index
        now = self.clock()
        self._visit = _Visit(entered_at=now, last_activity=now)
        practice = self.step.practice
        if practice is not None and practice.screen in self.screens:
            self._visit.run = PracticeRun(practice, self.screens)
        return self._opening_lines(self.step)

    def _practice_input(self, give: Callable[[PracticeRun], Outcome]) -> list[Line]:
        visit = self._visit
        run = visit.run
        if not self._active() or run is None or visit.practice_done:
            return []
        visit.last_activity = self.clock()
        expected = run.target() or ""
        outcome = give(run)
        if not outcome.counted:
            return []
        self._emit(
            EventKind.PRACTICE_ATTEMPT,
            element=outcome.element,
            expected=expected,
            correct=outcome.correct,
            hint_level=visit.hint_level,
        )
        if not outcome.correct:
            hint = self._raise_hint()
            return [outcome.feedback, hint] if outcome.feedback else [hint]
        visit.taps_done = run.position
        visit.hint_level = 0
        if not outcome.done:
            return [] if run.typing_goal() else [phrases.NEXT_TAP]
        visit.practice_done = True
        self._complete_step()
        practice = self.step.practice
        assert practice is not None
        return [practice.success or phrases.PRACTICE_SUCCESS]

    @staticmethod
    def _opening_lines(step: Step) -> list[Line]:
        if step.practice:
            return [step.practice.instruction]
        if step.quiz:
            return [step.quiz.question, phrases.choices_line(step.quiz.choices)]
        assert step.say is not None
        return [step.say]

    def _raise_hint(self) -> Line:
        visit = self._visit
        visit.hint_level = min(visit.hint_level + 1, MAX_HINT_LEVEL)
        visit.max_hint_level = max(visit.max_hint_level, visit.hint_level)
        practice = self.step.practice
        hints = list(practice.hints) if practice else []
        expected = visit.run.expected if visit.run else None
        if expected is not None and expected.hint is not None:
            hints = [expected.hint, *hints[1:]]  # this input's own first hint
        level = visit.hint_level - 1
        return hints[level] if level < len(hints) else phrases.HINT_DEFAULTS[level]

    def _leave_current(self) -> None:
        if self.step.say is not None:
            self._complete_step()
        elif self.index not in self._completed:
            self._emit(EventKind.STEP_SKIPPED, step_kind=self.step.kind)

    def _complete_step(self) -> None:
        if self.index in self._completed:
            return
        self._completed.add(self.index)
        visit = self._visit
        if self.step.practice is not None:
            self._practice_hint[self.index] = visit.max_hint_level
        self._emit(
            EventKind.STEP_COMPLETED,
            step_kind=self.step.kind,
            hint_level=visit.max_hint_level,
            seconds=round(self.clock() - visit.entered_at, 3),
        )

    def _finish(self) -> list[Line]:
        rule = self.lesson.mastery
        practices = [i for i, s in enumerate(self.lesson.steps) if s.practice]
        quizzes = [i for i, s in enumerate(self.lesson.steps) if s.quiz]
        skipped = [i for i in practices + quizzes if i not in self._completed]
        max_hint = max((self._practice_hint.get(i, 0) for i in practices), default=0)
        self.mastered = (
            (not rule.practices or all(i in self._completed for i in practices))
            and (not rule.quizzes or all(self._quiz_first.get(i, False) for i in quizzes))
            and max_hint <= rule.max_hint_level
        )
        self.finished = True
        assert self.started_at is not None
        self._emit(
            EventKind.LESSON_COMPLETED,
            mastered=self.mastered,
            seconds=round(self.clock() - self.started_at, 3),
            skipped=len(skipped),
            max_hint_level=max_hint,
        )
        return [phrases.LESSON_MASTERED if self.mastered else phrases.LESSON_FINISHED]

    def _emit(self, kind: EventKind, **detail: DetailValue) -> None:
        self._events.append(
            ProgressEvent(
                id=self.new_id(),
                kind=kind,
                session_id=self.session_id,
                learner_id=self.learner_id,
                lesson_id=self.lesson.id,
                lesson_version=self.lesson.version,
                step_index=self.index,
                step_id=self.step.id,
                at=self.clock(),
                detail=detail,
            )
        )


def _swipe_expected(run: PracticeRun | None) -> str | None:
    expected = run.expected if run else None
    return expected.swipe.value if expected is not None and expected.swipe else None
