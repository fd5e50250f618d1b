"""A box that tells what a finger did in it: tap, long press, or a swipe and its way
(kiosk_app/look/gestures.py decides, from the touch's trace in millimetres and seconds).

How a practice screen uses it::

    area = GestureArea()                      # put the list, the photo, … inside it
    area.bind(on_gesture=lambda area, g: handle(g.kind, g.direction))
    area.back_from_edges = True               # the phone's screen: swipes in from a side are 'back'


A long press is reported while the finger is still down, once it has been held still long
enough (a phone shows its copy/forward menu before the finger lifts); that touch reports
nothing more when it lifts. Taps on buttons inside the area still reach the buttons: the
area watches touches, it does not take them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty
from kivy.uix.floatlayout import FloatLayout

from kiosk_app.look.gestures import Gesture, Point, classify, long_press_due

POLL_SECONDS = 0.1  # how often a finger held down is looked at for a long press


class GestureArea(FloatLayout):
    """Reports `on_gesture(gesture)` for every touch that starts inside it."""

    __events__ = ("on_gesture",)
    back_from_edges = BooleanProperty(False)  # a swipe in from its left or right edge is back

    def __init__(self, clock: Callable[[], float] = time.monotonic, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.clock = clock
        self._traces: dict[int, list[Point]] = {}
        self._reported: set[int] = set()
        self._poll = Clock.schedule_interval(self._check_long_presses, POLL_SECONDS)
        self._poll.cancel()

    def on_gesture(self, gesture: Gesture) -> None:
        """What a touch was (tap, long_press, swipe with its direction, or none)."""

    def on_touch_down(self, touch: Any) -> bool:
        if self.collide_point(*touch.pos):
            self._traces[touch.uid] = [self._point(touch)]
            self._poll()
        return bool(super().on_touch_down(touch))

    def on_touch_move(self, touch: Any) -> bool:
        if touch.uid in self._traces:
            self._traces[touch.uid].append(self._point(touch))
        return bool(super().on_touch_move(touch))

    def on_touch_up(self, touch: Any) -> bool:
        trace = self._traces.pop(touch.uid, None)
        if trace is not None:
            trace.append(self._point(touch))
            if touch.uid not in self._reported:
                self.dispatch("on_gesture", classify(trace, self._width_mm()))
            self._reported.discard(touch.uid)
            if not self._traces:
                self._poll.cancel()
        return bool(super().on_touch_up(touch))

    def _check_long_presses(self, dt: float) -> None:
        now = self.clock()
        for uid, trace in self._traces.items():
            if uid not in self._reported and long_press_due(trace, now):
                self._reported.add(uid)
                held = trace[-1]
                self.dispatch("on_gesture", classify([*trace, (now, held[1], held[2])]))

    def _point(self, touch: Any) -> Point:
        """The touch where it is now, in millimetres of the physical screen from the area's
        bottom left corner."""
        px_mm = _px_mm()
        x, y = self.to_widget(*touch.pos)
        return (self.clock(), (x - self.x) / px_mm, (y - self.y) / px_mm)

    def _width_mm(self) -> float | None:
        return self.width / _px_mm() if self.back_from_edges else None


def _px_mm() -> float:
    app = App.get_running_app()
    return float(app.px_mm) if app is not None else 1.0
