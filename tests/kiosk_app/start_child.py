"""A kiosk process for tests/kiosk_app/test_start.py: it holds the second half of starting
back, touches 시작하기 on the first frame, then lets the second half in, and prints what it
saw at each point as `SAW <name> <value>` lines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import tests.kiosk_app.conftest  # noqa: F401  (the offscreen environment, before Kivy)
from tests.kiosk_app.conftest import ManualClock, kiosk_config, seed_roster
from tests.kiosk_app.driver import Driver, wait_ready


def saw(name: str, value: Any) -> None:
    print(f"SAW {name} {value}", flush=True)


def first_frame_colours(kiosk: Driver) -> None:
    """The colours drawn before the services are up: the screen's, and the edge of
    시작하기 (its outline, 1.5 px inside its box)."""
    start = kiosk.screen.ids.start
    x, y = start.to_window(start.x, start.center_y)
    for name, (r, g, b) in (
        ("first_screen", kiosk.pixels(2, 2, 1)[0]),
        ("first_outline", kiosk.pixels(int(x) + 1, int(y), 1)[0]),
    ):
        saw(name, f"#{r:02X}{g:02X}{b:02X}")


def main(data_dir: Path) -> None:
    from kivy.config import Config

    config = kiosk_config(data_dir)
    seed_roster(config, ("김영희",))
    Config.set("graphics", "width", str(config.screen.width_px))
    Config.set("graphics", "height", str(config.screen.height_px))
    from kiosk_app.app import KioskApp

    clock = ManualClock()
    app = KioskApp(config, clock=clock)
    held: list[Any] = []
    app.post = held.append  # until `ready`, only the warm-up posts: hold it back
    app._run_prepare()
    kiosk = Driver(app, clock)
    while not held:  # the first frame is drawn, the warm-up runs, then it is done
        kiosk.drawn_frame()
    saw("ready", app.ready)
    saw("screen", kiosk.screen.name)
    saw("waiting_line", kiosk.screen.ids.today.text.replace("\n", " "))
    kiosk.screenshot("starting")
    first_frame_colours(kiosk)
    kiosk.press("시작하기")
    saw("after_touch", kiosk.screen.name)
    del app.post  # the class's own post again
    for call in held:
        app.post(call)
    wait_ready(app)
    kiosk.frames(3)
    saw("ready", app.ready)
    saw("screen", kiosk.screen.name)
    saw("tiles", sum(1 for w in kiosk.screen.walk() if getattr(w, "text", "") == "김영희"))
    app.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
