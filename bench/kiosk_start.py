"""Kiosk start and step change, against a bare Kivy window measured in the same run.

1. A bare Kivy window's first frame drawn (a child process: one Kivy window per process).
2. The kiosk, as `sarangbang-kiosk --config` starts it (the demo folder is written first,
   outside the timing), from process start to its welcome screen drawn, and on to `ready`
   (library loaded, store, speaker and site link up: a touch is then acted on at once).
   Ratio 2 / 1, target <= 2x.
3. A step change in a lesson (next) to the new screen drawn, median and worst of many,
   target <= 50 ms.

"Drawn" is the window's `on_flip` after the frame: the same event for both windows.
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
RUNS = 5

BARE = """
import time
t0 = time.perf_counter()
from kivy.app import App
from kivy.core.window import Window
from kivy.uix.widget import Widget

class Bare(App):
    def load_kv(self, filename=None):
        return False  # no .kv file (as the kiosk: its screens load their own)
    def build(self):
        Window.bind(on_flip=self.drawn)
        return Widget()
    def drawn(self, window):
        print(time.perf_counter() - t0, flush=True)
        self.stop()

Bare().run()
"""

KIOSK = """
import time
t0 = time.perf_counter()
import statistics, sys
from pathlib import Path
from kivy.config import Config
from kiosk_app.config import load_config
config = load_config(Path(sys.argv[1]))
Config.set("graphics", "width", str(config.screen.width_px))
Config.set("graphics", "height", str(config.screen.height_px))
from kivy.clock import Clock
from kivy.base import EventLoop
from kivy.core.window import Window
from kiosk_app.app import KioskApp

class Timed(KioskApp):
    def build(self):
        Window.bind(on_flip=self.drawn)
        return super().build()
    def drawn(self, window):
        Window.unbind(on_flip=self.drawn)
        self.first = time.perf_counter() - t0
    def on_ready(self, app, ready):
        self.up = time.perf_counter() - t0
        Clock.schedule_once(self.begin, 0.5)  # the other screens are built meanwhile
    def begin(self, dt):
        self.go("who")
        self.manager.current_screen.choose(self.kiosk.roster()[0])
        self.manager.current_screen.open(self.kiosk.lesson_cards()[0], resume=False)
        self.times = []
        Clock.schedule_once(self.step, 0)
    def step(self, dt):
        run = self.kiosk.run
        if run.view.finished or len(self.times) >= 40:
            times = (self.first, self.up, statistics.median(self.times), max(self.times))
            print(*times, flush=True)
            self.stop()
            return
        if run.view.index > 0 and run.view.step.say is None and len(self.times) % 2:
            run.back()
        self.collector.busy()  # as a touch on 다음 would
        start = time.perf_counter()
        run.next()
        EventLoop.window.dispatch("on_draw")  # the new step drawn
        EventLoop.window.flip()
        self.times.append((time.perf_counter() - start) * 1000)
        if run.view.finished:
            self.go("home")
            self.manager.current_screen.open(self.kiosk.lesson_cards()[0], resume=False)
        # a few frames apart, as taps are: the app's own timers (the quiet collector's
        # passes among them) run between steps, as they would between real taps
        Clock.schedule_once(self.step, 0.05)

Timed(config).run()
"""


def child(code: str, *args: str) -> list[float]:
    env = os.environ | {
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "KIVY_CLIPBOARD": "sdl2",  # as sarangbang-kiosk sets it
        "KIVY_HOME": tempfile.mkdtemp(prefix="kivy-bench-"),
        "PYTHONPATH": str(ROOT),
    }
    env.setdefault("SDL_VIDEODRIVER", "offscreen")
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        sys.exit(f"benchmark child failed ({out.returncode}):\n{out.stderr[-2000:]}")
    return [float(x) for x in out.stdout.split()]


def main() -> None:
    from kiosk_app.demo import prepare_demo

    bare = [child(BARE)[0] for _ in range(RUNS)]
    kiosk, ready, steps = [], [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as data:
            prepare_demo(Path(data))
            first, up, median_ms, worst_ms = child(KIOSK, str(Path(data) / "kiosk.toml"))
        kiosk.append(first)
        ready.append(up)
        steps.append((median_ms, worst_ms))
    floor, start = statistics.median(bare), statistics.median(kiosk)
    print(f"bare Kivy window, first frame:      {floor * 1000:7.0f} ms (median of {RUNS})")
    print(f"kiosk start to welcome screen:      {start * 1000:7.0f} ms (median of {RUNS})")
    print(f"ratio:                              {start / floor:7.2f} x   (target <= 2x)")
    up = statistics.median(ready)
    print(f"kiosk start to ready (library ...): {up * 1000:7.0f} ms = {up / floor:.2f} x bare")
    median = statistics.median(m for m, _ in steps)
    worst = max(w for _, w in steps)
    print(f"step change to new screen drawn:    {median:7.1f} ms median, {worst:.1f} ms worst")
    print("                                    (target <= 50 ms)")


if __name__ == "__main__":
    main()
