"""Kiosk start and step change, against a bare Kivy window measured in the same run.

1. A bare Kivy window's first frame (a child process: one Kivy window per process).
2. The kiosk from process start to its first interactive screen drawn (welcome).
   Ratio 2 / 1, target <= 2x.
3. A step change in a lesson (next) to the new screen drawn, median of many, target <= 50 ms.

Runs offscreen (SDL_VIDEODRIVER=offscreen) unless a display is configured.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3

BARE = """
import os, time
t0 = time.perf_counter()
from kivy.app import App
from kivy.clock import Clock
from kivy.uix.widget import Widget

class Bare(App):
    def load_kv(self, filename=None):
        pass
    def build(self):
        return Widget()
    def on_start(self):
        Clock.schedule_once(self.done, 0)
    def done(self, dt):
        print(time.perf_counter() - t0, flush=True)
        self.stop()

Bare().run()
"""

KIOSK = """
import sys, time
t0 = time.perf_counter()
from pathlib import Path
from kivy.clock import Clock
from kivy.config import Config
from kiosk_app.demo import prepare_demo
config = prepare_demo(Path(sys.argv[1]))
Config.set("graphics", "width", str(config.screen.width_px))
Config.set("graphics", "height", str(config.screen.height_px))
from kiosk_app.app import KioskApp

class Timed(KioskApp):
    def load_kv(self, filename=None):
        pass
    def on_start(self):
        Clock.schedule_once(self.first_frame, 0)
    def first_frame(self, dt):
        first = time.perf_counter() - t0
        self.go("who")
        self.manager.current_screen.choose(self.kiosk.roster()[0])
        self.manager.current_screen.open(self.kiosk.lesson_cards()[0], resume=False)
        self.times = []
        self.first = first
        Clock.schedule_once(self.step, 0)
    def step(self, dt):
        from kivy.base import EventLoop
        run = self.kiosk.run
        if run.view.finished or len(self.times) >= 40:
            print(self.first, statistics.median(self.times), max(self.times), flush=True)
            self.stop()
            return
        if run.view.index > 0 and run.view.step.say is None and len(self.times) % 2:
            run.back()
        start = time.perf_counter()
        run.next()
        EventLoop.window.dispatch("on_draw")  # the new step drawn
        EventLoop.window.flip()
        self.times.append((time.perf_counter() - start) * 1000)
        if run.view.finished:
            self.go("home")
            self.manager.current_screen.open(self.kiosk.lesson_cards()[0], resume=False)
        Clock.schedule_once(self.step, 0)

import statistics
Timed(config).run()
"""


def child(code: str, *args: str) -> list[float]:
    env = os.environ | {
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "KIVY_HOME": tempfile.mkdtemp(prefix="kivy-bench-"),
        "PYTHONPATH": str(ROOT),
    }
    env.setdefault("SDL_VIDEODRIVER", "offscreen")
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        sys.exit(f"benchmark child failed:\n{out.stderr[-2000:]}")
    return [float(x) for x in out.stdout.split()]


def main() -> None:
    bare = [child(BARE)[0] for _ in range(RUNS)]
    kiosk = []
    steps = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as data:
            first, median_ms, worst_ms = child(KIOSK, data)
        kiosk.append(first)
        steps.append((median_ms, worst_ms))
    floor, start = min(bare), min(kiosk)
    print(f"bare Kivy window, first frame:      {floor * 1000:7.0f} ms (best of {RUNS})")
    print(f"kiosk start to welcome screen:      {start * 1000:7.0f} ms (best of {RUNS})")
    print(f"ratio:                              {start / floor:7.2f} x   (target <= 2x)")
    median = statistics.median(m for m, _ in steps)
    worst = max(w for _, w in steps)
    print(f"step change to new screen drawn:    {median:7.1f} ms median, {worst:.1f} ms worst")
    print("                                    (target <= 50 ms)")


if __name__ == "__main__":
    main()
