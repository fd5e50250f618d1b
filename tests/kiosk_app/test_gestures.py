"""Taps, long presses and swipes recognised with the tolerance a shaky, slow finger needs."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from kiosk_app.look.gestures import (
    BACK_EDGE_MM,
    LONG_PRESS_S,
    SWIPE_MIN_MM,
    TAP_WANDER_MM,
    Point,
    classify,
    long_press_due,
)

wander = st.floats(0, TAP_WANDER_MM * 0.99)
angles = st.floats(0, 2 * math.pi)


@st.composite
def shaky_touch(draw: st.DrawFn, longest: float) -> list[Point]:
    """A finger that lands, trembles within the tap wander, and lifts."""
    x0, y0 = draw(st.floats(0, 500)), draw(st.floats(0, 300))
    steps = draw(st.integers(1, 40))
    duration = draw(st.floats(0.01, longest))
    trace = [(0.0, x0, y0)]
    for i in range(1, steps + 1):
        r, a = draw(wander), draw(angles)
        trace.append((duration * i / steps, x0 + r * math.cos(a), y0 + r * math.sin(a)))
    return trace


@given(shaky_touch(longest=LONG_PRESS_S * 0.99))
def test_a_shaky_tap_is_a_tap(trace: list[Point]) -> None:
    assert classify(trace).kind == "tap"


@given(shaky_touch(longest=5.0).filter(lambda trace: trace[-1][0] >= LONG_PRESS_S))
def test_a_shaky_hold_is_a_long_press(trace: list[Point]) -> None:
    assert classify(trace).kind == "long_press"
    assert long_press_due(trace, trace[-1][0])


@given(
    st.sampled_from([("right", 0), ("up", 90), ("left", 180), ("down", 270)]),
    st.floats(-30, 30),  # a wrist that drags in an arc
    st.floats(SWIPE_MIN_MM + 0.01, 150),
    st.floats(0.05, 4.0),  # a slow two-second drag is still a swipe
    st.floats(-1.5, 1.5),  # tremor across the path
)
def test_a_slow_wobbly_drag_is_a_swipe(
    way: tuple[str, float], off: float, length: float, seconds: float, shake: float
) -> None:
    name, centre = way
    angle = math.radians(centre + off)
    trace = [
        (
            seconds * i / 20,
            100 + length * i / 20 * math.cos(angle) + shake * (i % 2) * math.sin(angle),
            100 + length * i / 20 * math.sin(angle) - shake * (i % 2) * math.cos(angle),
        )
        for i in range(21)
    ]
    gesture = classify(trace)
    assert (gesture.kind, gesture.direction) == ("swipe", name)


def test_a_short_drag_or_a_diagonal_is_nothing() -> None:
    assert classify([(0, 0, 0), (0.3, 9, 0)]).kind == "none"  # past a tap, short of a swipe
    assert classify([(0, 0, 0), (0.3, 30, 30)]).kind == "none"  # which way? unclear
    assert classify([]).kind == "none"


def test_a_finger_that_wanders_off_before_holding_long_is_not_a_long_press() -> None:
    trace = [(0, 0, 0), (0.5, 8, 0), (1.2, 0, 0)]
    assert not long_press_due(trace, 1.2)
    assert classify(trace).kind == "none"


@given(st.floats(0, BACK_EDGE_MM), st.floats(SWIPE_MIN_MM + 0.01, 100), st.floats(0.1, 3))
def test_a_swipe_in_from_a_side_edge_is_back(start: float, length: float, seconds: float) -> None:
    width = 150.0
    from_left = [(0.0, start, 80.0), (seconds, start + length, 82.0)]
    from_right = [(0.0, width - start, 80.0), (seconds, width - start - length, 78.0)]
    assert classify(from_left, width).kind == "back"
    assert classify(from_right, width).kind == "back"
    assert classify(from_left).kind == "swipe"  # without the phone's width: a swipe


def test_a_sideways_swipe_in_the_middle_or_outward_is_not_back() -> None:
    middle = [(0.0, 60.0, 80.0), (0.5, 100.0, 80.0)]
    outward = [(0.0, 140.0, 80.0), (0.5, 149.0 + 20, 80.0)]
    assert classify(middle, 150.0) == classify(middle)
    assert classify(outward, 150.0).kind == "swipe"
