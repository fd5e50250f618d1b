"""Class mode without Kivy or MQTT: what the kiosk shows, says, records and reports for a
given class state."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk_app.storage.store import LessonState
from kiosk_app.teaching.class_mode import ClassRun
from lessons.events import EventKind, ProgressEvent
from lessons.library import load_library
from lessons.model import Language
from tests.robot_bridge.test_class_follower import state

LIBRARY = load_library()
STEPS = LIBRARY.lessons["phone-call"].steps


class Room:
    """A ClassRun with what it spoke and recorded."""

    def __init__(self, language: Language = "ko") -> None:
        self.spoken: list[str] = []
        self.events: list[ProgressEvent] = []
        self.places: list[LessonState] = []
        self.now = 1_000.0
        speak, record, clock = self.spoken.extend, self.record, self.clock
        self.run = ClassRun(LIBRARY, language, "learner-1", speak, record, clock)

    def clock(self) -> float:
        self.now += 1
        return self.now

    def record(self, events: list[ProgressEvent], place: LessonState) -> None:
        self.events += events
        self.places.append(place)

    def at(self, index: int, **fields: Any) -> None:
        step = STEPS[index]
        fields = {"step_index": index, "step_id": step.id, "step_kind": step.kind, **fields}
        self.run.follow(state(**fields))

    def kinds(self) -> list[EventKind]:
        return [e.kind for e in self.events]


@pytest.fixture
def room() -> Room:
    return Room()


def test_a_late_joiner_lands_on_the_current_step_silently(room: Room) -> None:
    room.at(3)
    view = room.run.view()
    assert view.step is not None and view.step.index == 3 and view.practising
    assert view.progress == "전화 걸고 받기  ·  수업 4 / 9 단계"
    assert view.steps == "수업 4 / 9 단계"  # where the title does not fit one line
    assert room.spoken == []  # the robot says the step; the kiosk does not talk over it
    assert room.kinds() == [EventKind.LESSON_STARTED]
    assert room.events[0].detail == {"resumed": True, "step": 3}


def test_narration_takes_no_input_and_the_kiosk_speaks_only_when_told(room: Room) -> None:
    room.at(0)
    assert not room.run.view().practising
    room.run.follow(state(speaker="kiosks", lines=["안녕하세요"], say_seq=2), speak=["안녕하세요"])
    assert room.spoken == ["안녕하세요"]


def test_practice_uses_the_hint_ladder_and_reports_done_once(room: Room) -> None:
    room.at(2)
    room.run.tap("messages")
    assert room.spoken and room.run.run is not None and room.run.run.view.hint_level == 1
    assert not room.run.report_due()
    room.run.tap("phone")
    assert room.run.report_due() and not room.run.report_due()
    assert room.run.view().notice.startswith("잘하셨어요")
    assert EventKind.STEP_COMPLETED in room.kinds()


def test_a_quiz_reports_only_the_right_answer(room: Room) -> None:
    room.at(7)
    room.run.answer(1)
    assert not room.run.report_due()
    room.run.answer(2)
    assert room.run.report_due()


def test_following_the_class_records_each_step_and_the_end(room: Room) -> None:
    for index in range(len(STEPS)):
        room.at(index)
        if index == 2:
            room.run.tap("phone")
    room.at(len(STEPS) - 1, status="finished")
    view = room.run.view()
    assert view.ended and view.step is None and "끝났어요" in view.notice
    kinds = room.kinds()
    assert kinds[0] == EventKind.LESSON_STARTED and kinds[-1] == EventKind.LESSON_COMPLETED
    assert kinds.count(EventKind.STEP_SKIPPED) == 4  # the practices and the quiz left undone
    assert room.places[-1].finished


def test_no_input_while_paused(room: Room) -> None:
    room.at(2, status="paused", paused_reason="instructor")
    room.run.tap("phone")
    assert not room.run.report_due() and "쉬어요" in room.run.view().notice


def test_a_lesson_this_kiosk_lacks_shows_the_lines(room: Room) -> None:
    room.run.follow(state(lesson_id="not-here", lines=["잘 보세요"]))
    view = room.run.view()
    assert view.step is None and view.lines == ("잘 보세요",) and not view.practising


def test_in_english_the_class_shows_and_says_english() -> None:
    room = Room("en")
    assert room.run.view().notice == "Waiting for the class to start."
    room.at(2)
    assert room.run.view().progress == "Making and answering a call  ·  Class step 3 of 9"
    room.run.tap("messages")
    room.run.tap("phone")
    assert room.run.report_due()
    assert room.run.view().notice == "Well done! Let's wait a moment for the others."
    assert room.spoken and not any(is_korean(line) for line in room.spoken)
    room.at(2, status="paused", paused_reason="instructor")
    assert room.run.view().notice == "A short break. Please wait for the teacher."


def is_korean(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)
