"""Real progress events for sync and intake tests: learners walking a real lesson."""

from __future__ import annotations

from lessons.autoplay import play_expected
from lessons.events import ProgressEvent
from lessons.library import load_library
from lessons.practice_run import BACK_KEY
from lessons.session import LessonSession
from tests.lessons.conftest import FakeClock, wrong_element

LIBRARY = load_library()
LESSON = LIBRARY.lessons["phone-call"]
# Walks happen on 1 June 2025: central sets aside events from before 2024 (a kiosk clock
# that was reset) and more than a day ahead of its own clock.
WALK_STARTS_AT = 1_748_736_000.0


def walk(
    learner: str, wrong_taps: int = 0, help_calls: int = 0, starts_at: float = WALK_STARTS_AT
) -> list[ProgressEvent]:
    """Real events: a learner walks phone-call, with some wrong taps (each undone the way
    the hint shows, as a learner would) and help calls on every practice."""
    clock = FakeClock(starts_at)
    session = LessonSession(LESSON, clock, learner_id=learner, screens=LIBRARY.screens)
    session.start()
    while not session.finished:
        view = session.view
        clock.advance(5)
        run = session.practice_run()
        if run is not None and not view.practice_done:
            if view.hint_level == 0 and run.position == 0:
                for _ in range(wrong_taps):
                    session.tap(wrong_element(session))
                    while run.off_path:  # back on the path the way the hint points
                        way = run.target()
                        session.back_key() if way == BACK_KEY else session.tap(way or "")
                for _ in range(help_calls):
                    session.help()
            play_expected(session)
        elif view.step.quiz and not view.quiz_correct:
            session.answer(min(view.step.quiz.answers))
        else:
            session.next()
    return session.take_events()
