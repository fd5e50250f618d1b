"""A kiosk killed with SIGKILL in the middle of a lesson: the store survives whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kiosk_app.storage.store import Store
from tests.kiosk_app.conftest import kiosk_config, seed_roster

ROOT = Path(__file__).parents[2]


def test_kill_9_mid_lesson_keeps_every_committed_event_and_the_place(tmp_path: Path) -> None:
    config = kiosk_config(tmp_path)
    seed_roster(config, ("김영희",))
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.kiosk_app.kiosk_child", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith("READY"), f"child said {line!r}"
        step = int(line.split()[1])
        time.sleep(1.0)  # let it write a stream of wrong-tap events
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    store = Store.open(config.store_path, config.kiosk_id)
    assert store.integrity() == "ok"
    rows = store.unsynced(limit=100_000)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    kinds = [r.event.kind.value for r in rows]
    assert kinds[:1] == ["lesson_started"]
    assert kinds.count("practice_attempt") >= 1  # it was writing when it died
    learner = store.learners()[0]
    state = store.lesson_states(learner.id)["phone-call"]
    assert state.in_progress and state.step_index == step
