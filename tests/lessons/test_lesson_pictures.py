"""Which picture a step shows, and which picture names a lesson may give."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from lessons.model import Lesson

PRACTICE = {"screen": "call-incoming", "instruction": "받기를 누르세요", "target": "answer"}
QUIZ = {"question": "몇 번?", "choices": ["하나", "둘"], "answer": 1}
QUIZ |= {"right": "맞아요", "wrong": "아니에요"}


def lesson(picture: str | None, *steps: dict[str, Any]) -> Lesson:
    return Lesson.model_validate(
        {
            "id": "test",
            "version": 1,
            "title": "시험",
            "summary": "시험이에요",
            "level": 1,
            "minutes": 5,
            "picture": picture,
            "steps": [{"id": f"step-{i}", **step} for i, step in enumerate(steps)],
        }
    )


def test_narration_shows_its_own_picture_else_the_lessons() -> None:
    found = lesson(
        "bus.png", {"say": "안녕하세요", "show": {"picture": "map.png"}}, {"say": "버스예요"}
    )
    assert [found.picture_for(step) for step in found.steps] == ["map.png", "bus.png"]


def test_a_quiz_shows_only_its_own_picture() -> None:
    found = lesson("bus.png", {"quiz": QUIZ}, {"quiz": QUIZ, "show": {"picture": "map.png"}})
    assert [found.picture_for(step) for step in found.steps] == [None, "map.png"]


def test_practice_shows_no_picture_the_simulated_screen_needs_the_room() -> None:
    found = lesson("bus.png", {"practice": PRACTICE, "show": {"picture": "map.png"}})
    assert found.picture_for(found.steps[0]) is None


def test_a_lesson_without_pictures_shows_none() -> None:
    found = lesson(None, {"say": "안녕하세요", "show": {"text": "안녕"}})
    assert found.picture_for(found.steps[0]) is None


@pytest.mark.parametrize("name", ["bus.png", "family/grandson.png", "사진.png"])
def test_a_picture_is_named_inside_the_pictures_folder(name: str) -> None:
    assert lesson(name, {"say": "안녕하세요"}).picture == name


@pytest.mark.parametrize(
    "name", ["", "/etc/passwd.png", "../lessons/a.png", "family/../../a.png", "a\\b.png", "a//b"]
)
def test_a_picture_outside_the_pictures_folder_is_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="must be a file in the library's pictures/"):
        lesson(name, {"say": "안녕하세요"})
