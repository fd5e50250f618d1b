"""Real progress events for sync and intake tests: learners walking a real lesson."""

from __future__ import annotations

from lessons.events import ProgressEvent
from lessons.library import load_library
from lessons.session import LessonSession
from tests.lessons.conftest import FakeClock, wrong_element

LIBRARY = load_library()
LESSON = LIBRARY.lessons["phone-call"]
# Walks happen on 1 June 2025: central sets aside events from before 2024 (a kiosk clock
# that was reset) and more than a day ahead of its own clock.
WALK_STARTS_AT = 1_748_736_000.0


def walk(learner: str, wrong_taps: int = 0, help_calls: int = 0) -> list[ProgressEvent]:
    """Real events: a learner walks phone-call, with some wrong taps and help calls."""
    clock = FakeClock(WALK_STARTS_AT)
    session = LessonSession(LESSON, clock, learner_id=learner, screens=LIBRARY.screens)
    session.start()
    while not session.finished:
        view = session.view
        clock.advance(5)
        if view.expected_target:
            for _ in range(wrong_taps):
                session.tap(wrong_element(session))
            for _ in range(help_calls):
                session.help()
            session.tap(view.expected_target)
        elif view.step.quiz and not view.quiz_correct:
            session.answer(min(view.step.quiz.answers))
        else:
            session.next()
    return session.take_events()
