"""What the live class console shows of a class's state, as message keys and plain values
(pure): the class's status, the current step's words, each robot and each kiosk."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from central.step_titles import step_line
from lessons.model import Lesson
from robot_bridge.protocol.class_messages import (
    ClassState,
    ClassStatus,
    ControlAction,
    Desk,
    Speaker,
)


@dataclass(frozen=True)
class RobotView:
    robot: str
    key: str  # class_robot_speaking | class_robot_ready | class_robot_offline


@dataclass(frozen=True)
class KioskView:
    kiosk: str
    done: bool | None  # finished this step's practice or quiz; None on a narration step
    learner: str | None = None  # who is at it, as its own report said (runner 1.2)
    hint_level: int | None = None  # the hint it is on, this step (1–3: it needed help)
    answer: int | None = None  # the quiz choice taken
    right: bool | None = None  # whether that answer was right


def status_key(state: ClassState | None) -> str:
    """The class's status in words: not heard of, running, paused (by whom), over."""
    if state is None:
        return "class_status_none"
    if state.status is ClassStatus.PAUSED and state.paused_reason == "emergency_stop":
        return "class_status_estop"
    return f"class_status_{state.status.value}"


def robots_of(state: ClassState) -> list[RobotView]:
    speaking = (
        state.robot
        if state.status is ClassStatus.RUNNING and state.speaker is Speaker.ROBOT
        else None
    )
    views = []
    for robot, readiness in sorted(state.robots.items()):
        if readiness == "offline":
            key = "class_robot_offline"
        else:
            key = "class_robot_speaking" if robot == speaking else "class_robot_ready"
        views.append(RobotView(robot, key))
    return views


def kiosks_of(state: ClassState) -> list[KioskView]:
    asks = state.step_kind in ("practice", "quiz")
    done = set(state.practice_done)
    views = []
    for kiosk in sorted(state.kiosks):
        desk = state.desks.get(kiosk, Desk())
        views.append(
            KioskView(
                kiosk,
                (kiosk in done) if asks else None,
                desk.learner,
                desk.hint_level if asks else None,
                desk.answer if state.step_kind == "quiz" else None,
                desk.right if state.step_kind == "quiz" else None,
            )
        )
    return views


def step_words(lessons: Mapping[str, Lesson], state: ClassState) -> str | None:
    """What the current step says or asks, in the class's language (None: the dashboard's
    library has no such step, e.g. a newer lesson at the center)."""
    lesson = lessons.get(state.lesson_id)
    if lesson is None or not 0 <= state.step_index < len(lesson.steps):
        return None
    step = lesson.steps[state.step_index]
    if step.id != state.step_id:
        return None
    line = step_line(step)
    return line.shown(state.lang) if line is not None else None


def live_version(html: str, offered: Iterable[ControlAction]) -> str:
    """What a console's live part shows, in 16 hex digits: it changes exactly when the page
    would (a runner's heartbeat that changes nothing shown changes nothing)."""
    digest = hashlib.sha1(html.encode(), usedforsecurity=False)
    digest.update(",".join(sorted(a.value for a in offered)).encode())
    return digest.hexdigest()[:16]
