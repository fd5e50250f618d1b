from __future__ import annotations

import itertools

from lessons import phrases
from lessons.events import EventKind
from lessons.model import Line
from lessons.session import PAUSE_HINT_SECONDS, LessonSession
from tests.lessons.conftest import FakeClock, make_lesson, make_screens


def _session(clock: FakeClock, **lesson: object) -> LessonSession:
    counter = itertools.count()
    return LessonSession(
        make_lesson(**lesson),
        clock,
        learner_id="kim",
        new_id=lambda: f"event-{next(counter):04d}",
        screens=make_screens(),
    )


def _kinds(session: LessonSession) -> list[str]:
    return [e.kind.value for e in session.take_events()]


def test_start_says_the_first_line_and_emits_started(clock: FakeClock) -> None:
    session = _session(clock)
    lines = session.start()
    assert [line.spoken("ko") for line in lines] == ["안녕하세요"]
    (event,) = session.take_events()
    assert event.kind == EventKind.LESSON_STARTED
    assert (event.lesson_id, event.lesson_version, event.learner_id) == ("answer-a-call", 3, "kim")
    assert event.detail == {"resumed": False, "step": 0}
    assert event.at == clock.now


def test_inputs_before_start_do_nothing(clock: FakeClock) -> None:
    session = _session(clock)
    for action in (session.next, session.back, session.repeat, session.help, session.tick):
        assert action() == []
    assert session.tap("answer") == [] and session.answer(1) == []
    assert session.take_events() == []


def test_right_tap_completes_practice_with_success_line(clock: FakeClock) -> None:
    session = _session(clock)
    session.start()
    session.next()
    clock.advance(4)
    lines = session.tap("answer")
    assert [line.ko for line in lines] == ["잘하셨어요!"]
    assert session.view.practice_done
    events = session.take_events()
    attempt, completed = events[-2:]
    assert attempt.detail == {
        "element": "answer",
        "expected": "answer",
        "correct": True,
        "hint_level": 0,
    }
    assert completed.kind == EventKind.STEP_COMPLETED
    assert completed.detail == {"step_kind": "practice", "hint_level": 0, "seconds": 4.0}


def test_wrong_taps_climb_the_hint_ladder(clock: FakeClock) -> None:
    session = _session(clock)
    session.start()
    session.next()
    assert session.tap("decline")[0].ko == "초록색 버튼이에요."  # the lesson's own hint
    assert session.view.hint_level == 1 and session.view.highlight is None
    assert session.tap("decline") == [phrases.HINT_DEFAULTS[1]]
    assert session.view.highlight == "answer" and session.view.demonstrate is None
    assert session.tap("caller") == []  # a label: a tap on it does nothing, as on a phone
    assert session.tap("decline") == [phrases.HINT_DEFAULTS[2]]
    assert session.view.demonstrate == "answer"
    session.tap("decline")
    assert session.view.hint_level == 3  # the ladder stops at "let me show you"
    session.tap("answer")
    completed = session.take_events()[-1]
    assert completed.detail["hint_level"] == 3


def test_a_long_pause_offers_the_next_hint(clock: FakeClock) -> None:
    session = _session(clock)
    session.start()
    session.next()
    clock.advance(PAUSE_HINT_SECONDS - 1)
    assert session.tick() == []
    clock.advance(1)
    assert session.tick()[0].ko == "초록색 버튼이에요."
    assert session.tick() == []  # the pause starts again after a hint
    for _ in range(3):
        clock.advance(PAUSE_HINT_SECONDS)
        session.tick()
    assert session.view.hint_level == 3


def test_a_sequence_needs_every_tap_in_order(clock: FakeClock) -> None:
    session = _session(clock)
    session.start(at_step=2)
    assert session.tap("key-1") == [phrases.NEXT_TAP]
    session.tap("key-9")  # wrong: the second tap is key-1 again
    assert session.view.hint_level == 1 and session.view.taps_done == 1
    session.tap("key-1")
    assert session.view.hint_level == 0  # each right tap starts a fresh ladder
    assert session.view.expected_target == "key-9"
    session.tap("key-9")
    assert session.view.practice_done and session.view.expected_target is None


def test_quiz_wrong_then_right_explains_both(clock: FakeClock) -> None:
    session = _session(clock)
    lines = session.start(at_step=3)
    assert lines[1].ko == "첫 번째, 빨간색. 두 번째, 초록색."
    assert session.answer(1)[0].ko == "초록색이에요."
    assert session.answer(2)[0].ko == "맞아요!"
    assert session.answer(7) == []  # no such choice: ignored
    answers = [e.detail for e in session.take_events() if e.kind == EventKind.QUIZ_ANSWERED]
    assert answers == [
        {"choice": 1, "correct": False, "first_try": True},
        {"choice": 2, "correct": True, "first_try": False},
    ]


def _play_on(
    session: LessonSession, wrong_taps: int = 0, answers: tuple[int, ...] = (2,)
) -> list[Line]:
    """From the first step to the end: every practice done (after `wrong_taps` on the
    first), the quiz answered with `answers`; returns what the last `next` said."""
    session.next()
    for _ in range(wrong_taps):
        session.tap("decline")
    session.tap("answer")
    session.next()
    for key in ("key-1", "key-1", "key-9"):
        session.tap(key)
    session.next()
    for choice in answers:
        session.answer(choice)
    session.next()
    return session.next()


def test_finishing_right_is_mastered_with_time_spent(clock: FakeClock) -> None:
    session = _session(clock)
    session.start()
    clock.advance(60)
    assert _play_on(session) == [phrases.LESSON_MASTERED]
    assert session.finished and session.mastered
    final = session.take_events()[-1]
    assert final.kind == EventKind.LESSON_COMPLETED
    assert final.detail == {"mastered": True, "seconds": 60.0, "skipped": 0, "max_hint_level": 0}
    assert session.next() == [] and session.take_events() == []


def test_skipping_a_practice_is_allowed_but_not_mastered(clock: FakeClock) -> None:
    session = _session(clock)
    session.start()
    session.next()
    session.next()  # skip the practice: nobody is ever trapped on a step
    assert _kinds(session)[-1] == "step_skipped"
    while not session.finished:
        session.next()
    assert session.mastered is False
    assert session.take_events()[-1].detail["skipped"] == 3


def test_mastery_rule_limits_hint_level(clock: FakeClock) -> None:
    session = _session(clock, mastery={"max_hint_level": 1})
    session.start()
    assert _play_on(session, wrong_taps=2) == [phrases.LESSON_FINISHED]  # needed the highlight
    assert session.mastered is False


def test_quiz_rule_needs_the_first_answer_right(clock: FakeClock) -> None:
    for rule, expected in ((True, False), (False, True)):
        session = _session(clock, mastery={"quizzes": rule})
        session.start()
        _play_on(session, answers=(1, 2))
        assert session.mastered is expected


def test_back_and_repeat(clock: FakeClock) -> None:
    session = _session(clock)
    session.start()
    assert session.back() == []  # already at the first step
    session.next()
    assert session.repeat()[0].ko == "전화를 받아 보세요."
    assert session.back()[0].ko == "안녕하세요 [wave]"
    assert session.view.index == 0
    session.next()
    completed = [e for e in session.take_events() if e.kind == EventKind.STEP_COMPLETED]
    assert len(completed) == 1  # the narration counts once however often it is heard


def test_help_is_recorded_with_the_hint_level(clock: FakeClock) -> None:
    session = _session(clock)
    session.start()
    session.next()
    session.tap("decline")
    assert session.help() == [phrases.HELP_COMING]
    help_event = session.take_events()[-1]
    assert help_event.kind == EventKind.HELP_REQUESTED
    assert (help_event.step_id, help_event.detail) == ("answer", {"hint_level": 1})


def test_resume_starts_at_the_step_and_says_so(clock: FakeClock) -> None:
    session = _session(clock)
    assert session.start(at_step=3)[0].ko == "받기는 무슨 색일까요?"
    assert session.take_events()[0].detail == {"resumed": True, "step": 3}
    assert session.start() == []  # starting twice does nothing


def test_every_event_has_a_unique_id_and_the_session(clock: FakeClock) -> None:
    session = LessonSession(make_lesson(), clock, screens=make_screens())
    session.start()
    _play_on(session)
    events = session.take_events()
    assert len({e.id for e in events}) == len(events)
    assert {e.session_id for e in events} == {session.session_id}
    assert len(session.session_id) == 32
