"""The kiosk says a line's spoken form and shows its written form (docs/lesson-format.md,
"Said otherwise than shown; brackets")."""

from __future__ import annotations

from kiosk_app.teaching.lesson_run import LessonRun
from kiosk_app.voice.prefetch import lesson_lines
from lessons.session import LessonSession
from tests.lessons.conftest import FakeClock, make_lesson, make_screens

SAY = {
    "ko": "[[통화]]를 누르면 010-1234-5678로 걸려요.",
    "speak": {"ko": "통화를 누르면 공일공, 일이삼사, 오육칠팔로 [pause] 걸려요."},
}
WRONG = {"ko": "[[거절]]이 아니라 [[받기]]예요."}
HINT = "[[받기]]를 누르세요."


def _run(spoken: list[list[str]]) -> LessonRun:
    lesson = make_lesson()
    steps = [s.model_dump(exclude_none=True) for s in lesson.steps]
    steps[0] = {"id": "hello", "say": SAY}
    steps[1]["practice"]["wrong"] = {"decline": WRONG}
    steps[1]["practice"]["hints"] = [HINT]
    lesson = type(lesson).model_validate({**lesson.model_dump(exclude_none=True), "steps": steps})
    clock = FakeClock()
    session = LessonSession(lesson, clock, learner_id="kim", screens=make_screens())
    return LessonRun(session, "ko", spoken.append, lambda events, state: None, clock)


def test_the_speaker_gets_the_spoken_form_and_the_screen_the_written_one() -> None:
    spoken: list[list[str]] = []
    run = _run(spoken)
    run.start()
    assert spoken[-1] == [SAY["speak"]["ko"]]  # type: ignore[index]  # cues kept for the pause
    run.next()
    run.tap("decline")
    assert spoken[-1] == [WRONG["ko"], HINT]  # the speaker drops the doubled brackets
    assert run.feedback == "[받기]를 누르세요."  # shown with one bracket each


def test_prefetch_makes_the_spoken_form_ready() -> None:
    run = _run([])
    lines = lesson_lines(run.session.lesson, "ko")
    assert SAY["speak"]["ko"] in lines and SAY["ko"] not in lines  # type: ignore[index]
