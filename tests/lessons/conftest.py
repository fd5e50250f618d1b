from __future__ import annotations

from typing import Any

import pytest

from lessons.model import Lesson


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


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
