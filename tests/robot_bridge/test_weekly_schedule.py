"""A weekly class keeps its class id every week: the class runner starts it again each week
(a finished run of last week is not this week's), but never twice for one occurrence."""

from __future__ import annotations

import itertools

from lessons.library import load_library
from robot_bridge.classes.bridge import Bridge
from robot_bridge.protocol.class_messages import (
    ClassControl,
    ControlAction,
    Schedule,
    ScheduledClass,
)

WEEK = 7 * 86400.0
MONDAY_10 = 1_900_000_000.0


def test_a_weekly_class_starts_every_week_and_once_a_week() -> None:
    now = [MONDAY_10]
    ids = itertools.count()
    bridge = Bridge("c1", load_library(), lambda: now[0], lambda: f"id-{next(ids)}")

    def scheduled(at: float) -> None:
        entry = ScheduledClass(class_id="class-w", lesson_id="phone-call", starts_at=at)
        bridge.schedule = Schedule(classes=[entry])

    scheduled(MONDAY_10)
    assert bridge.tick() and bridge.classes["class-w"].active
    bridge.control("class-w", ClassControl(action=ControlAction.STOP))
    now[0] += 60
    assert bridge.tick() == [] and not bridge.classes["class-w"].active  # stopped: stays so
    now[0] = MONDAY_10 + WEEK
    scheduled(MONDAY_10 + WEEK)
    assert bridge.tick() and bridge.classes["class-w"].active  # next week's occurrence


def test_a_class_started_early_by_hand_is_not_started_again() -> None:
    now = [MONDAY_10 - 600]
    bridge = Bridge("c1", load_library(), lambda: now[0], lambda: "id")
    bridge.control("class-w", ClassControl(action=ControlAction.START, lesson_id="phone-call"))
    bridge.control("class-w", ClassControl(action=ControlAction.STOP))
    now[0] = MONDAY_10
    entry = ScheduledClass(class_id="class-w", lesson_id="phone-call", starts_at=MONDAY_10)
    bridge.schedule = Schedule(classes=[entry])
    assert bridge.tick() == []
