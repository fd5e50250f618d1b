"""A simulated robot: a `RobotAdapter` that takes realistic time and prints what it does.

Durations are module constants so tests can set `SPEED = 0` (everything instant). Speech can
go through a `voice` callable (e.g. the kiosk's speech service, a later issue) instead of
being only printed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from lessons.cues import GESTURES, POINT_TARGETS
from robot_bridge.robots.speech_timing import speech_seconds

# Seconds a LIKU/NAO-class humanoid takes for each gesture: a nod is one head movement, a bow
# bends and straightens the upper body, arm gestures raise and lower both arms.
GESTURE_SECONDS = {
    "wave": 2.0,
    "nod": 1.0,
    "bow": 2.5,
    "clap": 2.0,
    "cheer": 2.5,
    "think": 2.0,
    "shrug": 1.5,
    "thumbs-up": 1.5,
    "open-arms": 2.0,
    "listen": 2.0,
}
POINT_SECONDS = 1.5  # raise an arm toward the target and hold it long enough to be seen
DISPLAY_SECONDS = 0.1  # redrawing a chest screen
SPEED = 1.0  # multiplies every duration; tests set 0 so a whole class runs in moments
BATTERY_PERCENT = 87  # a simulated robot's battery never drains

Voice = Callable[[str, str, float], None]  # (text, lang, rate): speak it aloud


class SimulatedRobot:
    """Acts by waiting; `out` receives one readable line per act."""

    model = "Sarangbang simulated humanoid"

    def __init__(
        self, name: str, out: Callable[[str], None] = print, voice: Voice | None = None
    ) -> None:
        self.name, self.out, self.voice = name, out, voice

    def capabilities(self) -> list[str]:
        return [
            "say",
            "display",
            *(f"gesture:{g}" for g in sorted(GESTURES)),
            *(f"point:{t}" for t in sorted(POINT_TARGETS)),
        ]

    def battery(self) -> int | None:
        return BATTERY_PERCENT

    def speak(self, text: str, lang: str, rate: float, stop: threading.Event) -> None:
        seconds = speech_seconds(text, lang, rate)
        self.out(f"{self.name} 🗣  ({lang}, {rate:g}×, {seconds:.1f} s) {text}")
        if self.voice:
            self.voice(text, lang, rate)
        self._take(seconds, stop, "speaking")

    def gesture(self, name: str, stop: threading.Event) -> None:
        self.out(f"{self.name} 🙌 {name}")
        self._take(GESTURE_SECONDS.get(name, 1.5), stop, name)

    def point(self, target: str, kiosk: str | None, stop: threading.Event) -> None:
        self.out(f"{self.name} 👉 {target}{f' {kiosk}' if kiosk else ''}")
        self._take(POINT_SECONDS, stop, f"pointing at {target}")

    def display(self, text: str, stop: threading.Event) -> None:
        self.out(f"{self.name} 🖥  {text or '(cleared)'}")
        self._take(DISPLAY_SECONDS, stop, "display")

    def halt(self) -> None:
        self.out(f"{self.name} ⛔ halted")

    def _take(self, seconds: float, stop: threading.Event, what: str) -> None:
        if stop.wait(seconds * SPEED):
            self.out(f"{self.name} ⏹  stopped {what}")
