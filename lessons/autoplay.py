"""Play a practice by itself: the input it expects now, done the way a learner would (the
terminal walk's `--auto`, the kiosk's tests and the screenshot gallery use it)."""

from __future__ import annotations

from lessons.model import Line
from lessons.session import LessonSession


def play_expected(session: LessonSession) -> list[Line]:
    """Do the input the practice on screen expects now; [] when none is expected."""
    run = session.practice_run()
    if run is None or run.done:
        return []
    expected = run.expected
    assert expected is not None
    if expected.type is not None and expected.into is not None:
        lines = session.typed(expected.into, expected.type)
        if run.expected is expected:  # typing counts with the next input: do that one too
            return lines + play_expected_after_typing(session)
        return lines
    if expected.tap is not None:
        return session.tap(expected.tap)
    if expected.hold is not None:
        return session.hold(expected.hold)
    if expected.swipe is not None:
        return session.swipe(expected.swipe.value)
    return session.back_key()


def play_expected_after_typing(session: LessonSession) -> list[Line]:
    run = session.practice_run()
    assert run is not None
    following = run.practice.inputs[run.position + 1]
    if following.tap is not None:
        return session.tap(following.tap)
    if following.hold is not None:
        return session.hold(following.hold)
    if following.swipe is not None:
        return session.swipe(following.swipe.value)
    return session.back_key()
