"""Controls that waited in a bridge's queue (a center cut off from central for an hour): a
`start` or an `announce` pressed too long ago is dropped, the rest still apply."""

from __future__ import annotations

from lessons.library import load_library
from robot_bridge.classes.bridge import Bridge
from robot_bridge.protocol.class_messages import (
    CONTROL_FRESH_SECONDS,
    ClassControl,
    ClassState,
    ControlAction,
)

NOW = 1_900_000_000.0


def bridge() -> Bridge:
    return Bridge("c1", load_library(), lambda: NOW, lambda: "id")


def start(sent_at: float | None) -> ClassControl:
    return ClassControl(action=ControlAction.START, lesson_id="phone-call", sent_at=sent_at)


def test_a_start_pressed_too_long_ago_is_dropped() -> None:
    late = bridge()
    assert late.control("c-old", start(NOW - CONTROL_FRESH_SECONDS - 1)) == []
    assert "c-old" not in late.classes
    for sent_at in (NOW - 60, None):  # fresh, or from a dashboard before 1.2
        fresh = bridge()
        assert fresh.control("c-new", start(sent_at)) and fresh.classes["c-new"].active


def test_a_late_announcement_is_dropped_but_a_late_pause_applies() -> None:
    running = bridge()
    running.control("c1", start(NOW))
    late = NOW - CONTROL_FRESH_SECONDS - 1
    said = ClassControl(action=ControlAction.ANNOUNCE, text="5분 쉬었다 할게요.", sent_at=late)
    assert running.control("c1", said) == []
    paused = running.control("c1", ClassControl(action=ControlAction.PAUSE, sent_at=late))
    states = [o.message for o in paused if isinstance(o.message, ClassState)]
    assert states and states[-1].status == "paused"
    assert states[-1].heartbeat is not None  # a 1.2 runner says how often it speaks up
