"""The bundled library: valid, complete enough to teach, and every lesson walkable."""

from __future__ import annotations

import pytest

from lessons.autoplay import play_expected
from lessons.events import EventKind
from lessons.library import load_library
from lessons.model import Lesson
from lessons.practice_run import BACK_KEY
from lessons.session import MAX_HINT_LEVEL, LessonSession
from tests.lessons.conftest import FakeClock, wrong_element

LIBRARY = load_library()
LESSONS = sorted(LIBRARY.lessons.values(), key=lambda lesson: lesson.id)
REQUIRED_LESSONS = {
    "phone-basics",
    "phone-call",
    "kakaotalk-message",
    "video-call",
    "take-photo",
    "restaurant-kiosk",
    "public-wifi",
    "phishing-sms",
    "bus-map",
    "clinic-checkin",
}
REQUIRED_SCREENS = {
    "phone-home",
    "dialer",
    "call-incoming",
    "call-ongoing",
    "kakao-chat-list",
    "kakao-chat-room",
    "camera",
    "kiosk-menu",
    "kiosk-cart",
    "kiosk-payment",
    "wifi-settings",
    "sms-inbox",
}


def test_library_has_the_planned_lessons_and_screens() -> None:
    assert REQUIRED_LESSONS <= set(LIBRARY.lessons)
    assert REQUIRED_SCREENS <= set(LIBRARY.screens)


def test_every_lesson_has_a_picture_and_every_picture_is_used() -> None:
    assert all(lesson.picture for lesson in LESSONS)
    used = (
        {lesson.picture for lesson in LESSONS}
        | {step.show.picture for lesson in LESSONS for step in lesson.steps if step.show}
        | {e.icon for screen in LIBRARY.screens.values() for e in screen.elements if e.icon}
    )
    files = {path.name for path in (LIBRARY.root / "pictures").glob("*.png")}
    assert files == used - {None}, "pictures/ holds unused files, or a lesson names a missing one"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_is_substantial_and_bilingual(lesson: Lesson) -> None:
    kinds = [step.kind for step in lesson.steps]
    assert len(kinds) >= 6
    assert kinds.count("practice") >= 2
    assert kinds.count("quiz") >= 1
    assert lesson.title.en and lesson.summary.en
    for step in lesson.steps:
        line = step.say or (step.practice and step.practice.instruction) or step.quiz.question  # type: ignore[union-attr]
        assert line.en, f"{lesson.id}/{step.id} has no English"


def _play_practice(session: LessonSession) -> None:
    """Finish the practice on screen the way a learner would: undo a detour (the back key or
    the tap the hint points at), then do each expected input (taps, typing, swipes, holds)."""
    run = session.practice_run()
    assert run is not None
    while not session.view.practice_done:
        if run.off_path:
            way_back = run.target()
            assert way_back, "a detour always has a way back"
            session.back_key() if way_back == BACK_KEY else session.tap(way_back)
        else:
            assert play_expected(session) is not None


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_walks_to_mastery_with_right_answers(lesson: Lesson) -> None:
    session = LessonSession(lesson, FakeClock(), learner_id="test", screens=LIBRARY.screens)
    session.start()
    while not session.finished:
        view = session.view
        if view.step.practice and not view.practice_done:
            _play_practice(session)
        elif view.step.quiz and not view.quiz_correct:
            session.answer(min(view.step.quiz.answers))
        else:
            session.next()
    assert session.mastered
    kinds = [event.kind for event in session.take_events()]
    assert kinds[0] == EventKind.LESSON_STARTED and kinds[-1] == EventKind.LESSON_COMPLETED
    assert kinds.count(EventKind.STEP_COMPLETED) == len(lesson.steps)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_practice_finishes_on_its_goal(lesson: Lesson) -> None:
    """Played right, every input of every practice is taken: none is left waiting."""
    session = LessonSession(lesson, FakeClock(), learner_id="test", screens=LIBRARY.screens)
    session.start()
    while not session.finished:
        view = session.view
        if view.step.practice:
            run = session.practice_run()
            assert run is not None, f"{lesson.id}/{view.step.id}: no screen"
            for _ in range(len(view.step.practice.inputs) * 2):
                if session.view.practice_done:
                    break
                play_expected(session)
            assert session.view.practice_done, f"{lesson.id}/{view.step.id} did not finish"
            assert session.view.hint_level == 0, f"{lesson.id}/{view.step.id}: a right input hinted"
        elif view.step.quiz and not view.quiz_correct:
            session.answer(min(view.step.quiz.answers))
            continue
        session.next()


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_wrong_taps_climb_the_whole_hint_ladder(lesson: Lesson) -> None:
    """Three wrong taps on real buttons at the start of each practice climb the ladder to 3;
    the highlight and the demonstration then point at what to do next (the expected input,
    or the way back when a wrong tap opened something). The learner then finishes."""
    session = LessonSession(lesson, FakeClock(), learner_id="test", screens=LIBRARY.screens)
    session.start()
    levels_seen: list[list[int]] = []
    while not session.finished:
        view = session.view
        if view.step.practice and not view.practice_done:
            ladder = []
            for _ in range(MAX_HINT_LEVEL):
                lines = session.tap(wrong_element(session))
                assert lines and all(line.ko for line in lines)
                ladder.append(session.view.hint_level)
            now = session.view
            assert now.highlight == now.demonstrate == now.expected_target
            levels_seen.append(ladder)
            _play_practice(session)
        elif view.step.quiz and view.quiz_choice is None:
            session.answer(next(c for c in range(1, 5) if c not in view.step.quiz.answers))  # wrong
        else:
            session.next()
    assert levels_seen and all(ladder == [1, 2, 3] for ladder in levels_seen)
    assert session.mastered is (lesson.mastery.max_hint_level >= 3 and not lesson.mastery.quizzes)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_following_the_highlight_finishes_each_practice_without_a_hint(lesson: Lesson) -> None:
    """What the kiosk shines on is always the right next input: the next key of a number typed
    on the app's own keypad, then (once it reads right) the button after it. Where the next
    input needs the keyboard or a swipe, the learner does that; the highlight takes over again."""
    session = LessonSession(lesson, FakeClock(), learner_id="test", screens=LIBRARY.screens)
    session.start()
    while not session.finished:
        view = session.view
        if view.step.practice and not view.practice_done:
            for _ in range(60):
                now = session.view
                if now.practice_done:
                    break
                if (now.typing and now.target == now.typing[0]) or now.swipe:
                    play_expected(session)  # the keyboard, or a swipe: nothing to shine on
                elif now.target == BACK_KEY:
                    session.back_key()
                else:
                    assert now.target, f"{lesson.id}/{view.step.id}: nothing to shine on"
                    expected = session.practice_run().expected  # type: ignore[union-attr]
                    held = expected is not None and expected.hold == now.target
                    session.hold(now.target) if held else session.tap(now.target)
                assert session.view.hint_level == 0, f"{lesson.id}/{view.step.id}: {now.target}"
            assert session.view.practice_done, f"{lesson.id}/{view.step.id} did not finish"
        elif view.step.quiz and not view.quiz_correct:
            session.answer(min(view.step.quiz.answers))
        else:
            session.next()
    assert session.mastered
