from __future__ import annotations

from typing import Any

import pytest

from lessons.model import Lesson, Screen
from lessons.session import LessonSession


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_lesson(**overrides: Any) -> Lesson:
    data: dict[str, Any] = {
        "id": "answer-a-call",
        "version": 3,
        "title": {"ko": "전화 받기", "en": "Answering a call"},
        "summary": "전화를 받아요.",
        "level": 1,
        "minutes": 5,
        "steps": [
            {"id": "hello", "say": {"ko": "안녕하세요 [wave]", "en": "Hello [wave]"}},
            {
                "id": "answer",
                "practice": {
                    "screen": "call-incoming",
                    "instruction": "전화를 받아 보세요.",
                    "target": "answer",
                    "hints": ["초록색 버튼이에요."],
                    "success": "잘하셨어요!",
                },
            },
            {
                "id": "dial",
                "practice": {
                    "screen": "dialer",
                    "instruction": "1, 1, 9를 누르세요.",
                    "targets": ["key-1", "key-1", "key-9"],
                },
            },
            {
                "id": "quiz",
                "quiz": {
                    "question": "받기는 무슨 색일까요?",
                    "choices": ["빨간색", "초록색"],
                    "answer": 2,
                    "right": "맞아요!",
                    "wrong": "초록색이에요.",
                },
            },
            {"id": "bye", "say": "안녕히 가세요 [bow]"},
        ],
    }
    data.update(overrides)
    return Lesson.model_validate(data)


def make_screens() -> dict[str, Screen]:
    """The two screens of `make_lesson`: a call to answer, and a dialer whose keys type."""
    keys = [
        {
            "id": f"key-{d}",
            "kind": "keypad_key",
            "label": d,
            "on_tap": {"type": d, "into": "number"},
        }
        for d in "123456789"
    ]
    screens = [
        {
            "id": "call-incoming",
            "title": "전화가 왔어요",
            "app": "phone",
            "elements": [
                {"id": "caller", "kind": "label", "label": "딸"},
                {"id": "decline", "kind": "button", "label": "거절"},
                {"id": "answer", "kind": "button", "label": "받기"},
            ],
        },
        {
            "id": "dialer",
            "title": "전화",
            "app": "phone",
            "fields": {"number": ""},
            "elements": [
                {"id": "number", "kind": "text_field", "label": "번호", "shows": "number"},
                *keys,
                {"id": "call", "kind": "button", "label": "통화"},
            ],
        },
    ]
    return {s["id"]: Screen.model_validate(s) for s in screens}  # type: ignore[misc]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def wrong_element(session: LessonSession) -> str:
    """An element the learner could tap that is not the one the practice wants now and
    whose tap counts as a try: not a key that only types into the field being typed, and
    not the tap that undoes a detour."""
    run = session.practice_run()
    assert run is not None, "not on a practice step"
    target = run.target()
    typing = run.typing_goal()
    for element in run.mock.visible(run.state):
        if not element.tappable or element.id == target:
            continue
        if (
            typing
            and element.on_tap
            and all(
                typing[0] in (a.into if a.type is not None else None, a.erase, a.clear)
                for a in element.on_tap
            )
        ):
            continue
        return element.id
    raise AssertionError(f"screen '{run.state.screen}' has nothing to tap but the target")
