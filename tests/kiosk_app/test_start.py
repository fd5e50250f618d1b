"""Starting in two halves: the welcome screen first, the services and the library after it.

Each test runs its own kiosk process (Kivy opens one window per process).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk_app.look.theme import NORMAL
from tests.kiosk_app.conftest import kiosk_config

ROOT = Path(__file__).parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(ROOT), "SDL_VIDEODRIVER": "offscreen"}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    """What a kiosk started by start_child.py saw, as [name, value] pairs."""
    done = run("-m", "tests.kiosk_app.start_child", str(tmp_path_factory.mktemp("start")))
    assert done.returncode == 0, done.stderr[-3000:]
    return [line.split(" ", 2)[1:] for line in done.stdout.splitlines() if line.startswith("SAW")]


def test_the_first_frame_is_drawn_in_the_configured_theme(started: list[list[str]]) -> None:
    seen = dict(pair for pair in started if pair[0].startswith("first_"))
    assert seen == {"first_screen": NORMAL.screen.bg, "first_outline": NORMAL.outline}


def test_a_touch_before_the_services_are_up_is_carried_out_once_they_are(
    started: list[list[str]],
) -> None:
    seen = [pair for pair in started if not pair[0].startswith("first_")]
    assert seen == [
        ["ready", "False"],
        ["screen", "welcome"],  # drawn before the library is even loaded
        ["waiting_line", "잠시만 기다려 주세요. 수업을 준비하고 있어요."],  # and says so
        ["after_touch", "welcome"],  # the touch waits for the services...
        ["ready", "True"],
        ["screen", "who"],  # ...and is then carried out
        ["tiles", "1"],
    ]


def test_a_broken_library_stops_the_kiosk_with_its_problems_named(tmp_path: Path) -> None:
    library = tmp_path / "library"
    (library / "lessons").mkdir(parents=True)
    (library / "screens").mkdir()
    (library / "lessons" / "broken.yaml").write_text("id: broken\ntitle: [\n", encoding="utf-8")
    config = kiosk_config(tmp_path / "data")
    toml = tmp_path / "kiosk.toml"
    toml.write_text(
        f'center_id = "{config.center_id}"\nkiosk_id = "{config.kiosk_id}"\n'
        f'instructor_pin = "2580"\ndata_dir = "data"\nlibrary_dir = "library"\n'
        "[screen]\ndiagonal_inches = 24.0\nfullscreen = false\n"
        f'[broker]\nhost = "127.0.0.1"\nport = {config.broker_port}\n',
        encoding="utf-8",
    )
    done = run("-m", "kiosk_app", "--config", str(toml))
    assert done.returncode == 2, done.stderr[-3000:]
    assert "the lesson library has problems" in done.stderr
    assert "broken.yaml:3: broken YAML" in done.stderr  # the file and line of the mistake
