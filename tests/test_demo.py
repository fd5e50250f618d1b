"""`make run`'s demo (scripts/demo.sh) starts every part and they reach each other."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.mosquitto import free_port

ROOT = Path(__file__).parents[1]
STARTUP_SECONDS = 60.0


def _learners(store: Path) -> int:
    if not store.exists():
        return 0
    with sqlite3.connect(store) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM learners").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


def _dashboard_status(url: str, deadline: float) -> int:
    while True:
        try:
            return int(urllib.request.urlopen(url, timeout=10).status)
        except OSError:
            assert time.monotonic() < deadline, f"no dashboard at {url}"
            time.sleep(0.2)


def test_demo_runs_central_and_a_site_that_reach_each_other(tmp_path: Path) -> None:
    ports = {name: str(free_port()) for name in ("WEB", "CENTRAL", "CENTRAL_TLS", "SITE")}
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("SDL_VIDEODRIVER", None)  # no screen: the kiosk stays closed, the rest runs
    env.update({f"DEMO_{name}_PORT": port for name, port in ports.items()})
    env.update(DEMO_DATA=str(tmp_path / "demo"), PY=str(ROOT / ".venv" / "bin" / "python"))
    log = tmp_path / "demo.out"
    with log.open("wb") as out:
        demo = subprocess.Popen(
            [ROOT / "scripts" / "demo.sh"], cwd=ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    store = tmp_path / "demo" / "site" / "kiosk-data" / "kiosk.db"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while _learners(store) < 6:  # the roster went central → bridge → sync agent → store
            assert demo.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        assert _dashboard_status(f"http://127.0.0.1:{ports['WEB']}/login", deadline) == 200
        text = log.read_text()
        assert "admin password" in text and "no kiosk window" in text
    finally:
        os.killpg(demo.pid, signal.SIGINT)
        demo.wait(30)
