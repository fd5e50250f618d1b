"""Kiosk tests run a real Kivy window offscreen (real GL pixels, no X server).

Kivy reads its environment at import and can open one window per process, so the
environment is set here, before anything imports Kivy, and the app is one per session
(`kiosk`): tests resize its window and reset its state instead of making a new one.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ["KIVY_NO_ARGS"] = "1"
os.environ["KIVY_NO_CONSOLELOG"] = "1"
os.environ["KIVY_NO_FILELOG"] = "1"
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-home-"))
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
# No multisampling: in software GL (Mesa's llvmpipe, no GPU here) it more than doubles
# the cost of drawing a frame (141 ms against 56 ms a 1080p frame); it only smooths the
# edges of shapes, and text, sizes and colours are drawn the same (kiosks a test starts
# inherit it)
os.environ.setdefault("KCFG_GRAPHICS_MULTISAMPLES", "0")
# The kiosk speaks for real in every window test: SDL's disk driver writes what would be
# heard to a file (tests/kiosk_app/voice/conftest.py picks its own file when collected).
os.environ.setdefault("SDL_AUDIODRIVER", "disk")
os.environ.setdefault(
    "SDL_DISKAUDIOFILE", os.path.join(tempfile.mkdtemp(prefix="kiosk-audio-"), "heard.raw")
)

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk_app.config import KioskConfig, parse_config
from kiosk_app.demo import DEMO_ROSTER
from kiosk_app.storage.store import Store
from tests.mosquitto import free_port


class ManualClock:
    """The kiosk's clock in tests: it moves only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def kiosk_config(data_dir: Path, **screen: Any) -> KioskConfig:
    raw = {
        "center_id": "test-center",
        "kiosk_id": "test-kiosk",
        "instructor_pin": "2580",
        "data_dir": str(data_dir),
        "screen": {"diagonal_inches": 24.0, "fullscreen": False} | screen,
        # nothing listens there: the kiosk must teach with its broker down (the live class
        # tests point it at their own Mosquitto); never a broker that happens to run here
        "broker": {"host": "127.0.0.1", "port": free_port()},
    }
    return parse_config(raw, base=data_dir)


def seed_roster(config: KioskConfig, names: tuple[str, ...] = DEMO_ROSTER) -> None:
    store = Store.open(config.store_path, config.kiosk_id)
    for name in names:
        store.add_learner(name)
    store.close()


@pytest.fixture(scope="session")
def kiosk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The one kiosk app of this test session, on a 24-inch 1920×1080 window."""
    from tests.kiosk_app.driver import Driver, start_app

    config = kiosk_config(tmp_path_factory.mktemp("kiosk-data"))
    seed_roster(config)
    clock = ManualClock()
    app = start_app(config, clock)
    yield Driver(app, clock)
    app.stop()
