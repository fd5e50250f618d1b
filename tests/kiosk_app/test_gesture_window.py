"""Gestures from real touches in the kiosk window (10-inch tablet): a shaky tap, a slow
swipe, and a long press reported while the finger is still down."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kivy.tests.common import UnitTestTouch
from kivy.uix.screenmanager import Screen

from kiosk_app.look.gestures import Gesture
from kiosk_app.widgets.gesture_area import GestureArea


@contextmanager
def gesture_screen(kiosk: Any, back_from_edges: bool = False) -> Iterator[list[Gesture]]:
    app = kiosk.app
    kiosk.use_screen(1280, 800, 10.1)
    screen = Screen(name="gesture-test")
    area = GestureArea(clock=kiosk.clock, back_from_edges=back_from_edges)
    seen: list[Gesture] = []
    area.bind(on_gesture=lambda area, gesture: seen.append(gesture))
    screen.add_widget(area)
    app.manager.add_widget(screen)
    app.manager.current = "gesture-test"
    kiosk.frames(3)
    try:
        yield seen
    finally:
        app.manager.current = "welcome"
        app.manager.remove_widget(screen)
        kiosk.use_screen(1920, 1080, 24.0)


def drag(kiosk: Any, points_mm: list[tuple[float, float, float]]) -> None:
    """A real touch through the window along (seconds after the last, x mm, y mm)."""
    px = kiosk.app.px_mm
    _, x, y = points_mm[0]
    touch = UnitTestTouch(x * px, y * px)
    touch.touch_down()
    kiosk.frames(1)
    for seconds, x, y in points_mm[1:]:
        kiosk.clock.advance(seconds)
        touch.touch_move(x * px, y * px)
        kiosk.frames(1)
    touch.touch_up()
    kiosk.frames(2)


def test_a_shaky_tap_in_the_window_is_a_tap(kiosk: Any) -> None:
    with gesture_screen(kiosk) as seen:
        drag(kiosk, [(0, 100, 60), (0.1, 102.5, 61), (0.1, 99, 58.5), (0.1, 101, 62)])
    assert [g.kind for g in seen] == ["tap"]


def test_a_slow_two_second_drag_up_is_a_swipe_up(kiosk: Any) -> None:
    with gesture_screen(kiosk) as seen:
        drag(kiosk, [(0, 100, 30), *((0.2, 100 + (i % 2), 30 + 3 * i) for i in range(1, 11))])
    assert [(g.kind, g.direction) for g in seen] == [("swipe", "up")]
    assert seen[0].duration_s >= 2.0


def test_a_long_press_is_told_before_the_finger_lifts(kiosk: Any) -> None:
    with gesture_screen(kiosk) as seen:
        px = kiosk.app.px_mm
        touch = UnitTestTouch(100 * px, 60 * px)
        touch.touch_down()
        kiosk.frames(1)
        kiosk.clock.advance(0.5)
        touch.touch_move(101.5 * px, 60.5 * px)  # a finger resting, not quite still
        kiosk.frames(2)
        assert seen == []
        kiosk.clock.advance(0.5)
        for _ in range(10):  # the area looks every POLL_SECONDS of real time
            kiosk.frames(1)
            if seen:
                break
            time.sleep(0.03)
        assert [g.kind for g in seen] == ["long_press"]
        touch.touch_up()
        kiosk.frames(2)
    assert [g.kind for g in seen] == ["long_press"]  # nothing more when it lifts


def test_a_swipe_in_from_the_left_edge_is_back(kiosk: Any) -> None:
    with gesture_screen(kiosk, back_from_edges=True) as seen:
        drag(kiosk, [(0, 4, 60), *((0.15, 4 + 6 * i, 60 + (i % 2)) for i in range(1, 8))])
        drag(kiosk, [(0, 80, 60), *((0.15, 80 + 6 * i, 60) for i in range(1, 8))])
    assert [(g.kind, g.direction) for g in seen] == [("back", "right"), ("swipe", "right")]
