"""No sequence of inputs crashes the session machine or loses an event."""

from __future__ import annotations

from collections import Counter

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from lessons.events import EventKind
from lessons.session import LessonSession
from tests.lessons.conftest import FakeClock, make_lesson, make_screens

ELEMENTS = st.sampled_from(["answer", "decline", "caller", "key-1", "key-9", "call", "", "?"])


class SessionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.session = LessonSession(
            make_lesson(), self.clock, learner_id="lee", screens=make_screens()
        )
        self.expected: Counter[str] = Counter()
        self.events: list[str] = []
        self.ids: set[str] = set()
        self.steps_entered = 0

    def _active(self) -> bool:
        return self.session.started_at is not None and not self.session.finished

    @rule(at=st.integers(-3, 9))
    def start(self, at: int) -> None:
        if self.session.started_at is None:
            self.expected["lesson_started"] += 1
        self.session.start(at)

    @rule()
    def next(self) -> None:
        if self._active() and self.session.index == len(self.session.lesson.steps) - 1:
            self.expected["lesson_completed"] += 1
        self.session.next()

    @rule()
    def back(self) -> None:
        self.session.back()

    @rule()
    def repeat(self) -> None:
        self.session.repeat()

    @rule(element=ELEMENTS)
    def tap(self, element: str) -> None:
        view = self.session.view
        run = self.session.practice_run()
        tappable = run is not None and any(
            e.id == element and e.tappable for e in run.mock.visible(run.state)
        )
        if self._active() and tappable and not view.practice_done:
            self.expected["practice_attempt"] += 1
        self.session.tap(element)

    @rule(choice=st.integers(-1, 6))
    def answer(self, choice: int) -> None:
        quiz = self.session.view.step.quiz
        if self._active() and quiz and 1 <= choice <= len(quiz.choices):
            self.expected["quiz_answered"] += 1
        self.session.answer(choice)

    @rule()
    def help(self) -> None:
        if self._active():
            self.expected["help_requested"] += 1
        self.session.help()

    @rule(seconds=st.floats(0, 120))
    def wait(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.session.tick()

    @rule()
    def drain(self) -> None:
        for event in self.session.take_events():
            assert event.id not in self.ids
            self.ids.add(event.id)
            self.events.append(event.kind.value)

    @invariant()
    def nothing_is_lost(self) -> None:
        pending = [e.kind.value for e in self.session._events]
        seen = Counter(self.events + pending)
        for kind, count in self.expected.items():
            assert seen[kind] == count, (kind, seen, self.expected)
        assert seen["lesson_started"] <= 1 and seen["lesson_completed"] <= 1
        if self.session.finished:
            assert (self.events + pending)[-1] == EventKind.LESSON_COMPLETED.value
        view = self.session.view
        assert 0 <= view.index < view.total and 0 <= view.hint_level <= 3


TestSessionMachine = SessionMachine.TestCase
TestSessionMachine.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
