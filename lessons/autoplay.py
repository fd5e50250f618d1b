"""Play a practice by itself: the input it expects now, done the way a learner would (the
terminal walk's `--auto`, the kiosk's tests and the screenshot gallery use it)."""

from __future__ import annotations

from lessons.mock_model import Input
from lessons.model import Line
from lessons.session import LessonSession


def play_expected(session: LessonSession) -> list[Line]:
    """Do the input the practice on screen expects now; [] when none is expected."""
    run = session.practice_run()
    if run is None or run.done:
        return []
    expected = run.expected
    assert expected is not None
    lines = perform(session, expected)
    if run.expected is expected and expected.type is not None:
        # typing counts with the next input: do that one too
        lines += perform(session, run.practice.inputs[run.position + 1])
    return lines


def perform(session: LessonSession, given: Input) -> list[Line]:
    """Do one input as a learner would."""
    if given.type is not None and given.into is not None:
        return session.typed(given.into, given.type)
    if given.tap is not None:
        return session.tap(given.tap)
    if given.hold is not None:
        return session.hold(given.hold)
    if given.swipe is not None:
        return session.swipe(given.swipe.value)
    return session.back_key()
