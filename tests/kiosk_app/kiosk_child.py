"""The kiosk process the kill -9 test kills: it signs a learner in, walks a lesson by touch
to a practice step, prints READY with the step, then keeps tapping wrong elements (each tap
stores an event) until it is killed."""

from __future__ import annotations

import sys
from pathlib import Path

import tests.kiosk_app.conftest  # noqa: F401  (the offscreen environment, before Kivy)
from tests.kiosk_app.conftest import ManualClock, kiosk_config
from tests.kiosk_app.driver import Driver, start_app
from tests.kiosk_app.practice_driver import tap_element
from tests.kiosk_app.test_window import open_lesson, sign_in


def main(data_dir: Path) -> None:
    config = kiosk_config(data_dir)
    clock = ManualClock()
    kiosk = Driver(start_app(config, clock), clock)
    sign_in(kiosk, "김영희")
    open_lesson(kiosk, "phone-call")
    for _ in range(3):
        kiosk.press("다음")
    kiosk.settle()
    print(f"READY {kiosk.app.kiosk.run.view.index}", flush=True)
    while True:  # the dialer: 통화 before the number reads right is a wrong tap, stored
        tap_element(kiosk, "call")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
