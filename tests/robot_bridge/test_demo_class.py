"""`make demo-class` (scripts/demo-class.sh): the two command-line programs run a whole class
on their own private broker and exit when it has finished."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "scripts" / "demo-class.sh"


def test_the_demo_class_runs_to_the_end_and_exits() -> None:
    env = {**os.environ, "PY": sys.executable, "SPEED": "0", "PRACTICE": "0.1"}
    done = subprocess.run(
        [str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "class demo-class: finished" in done.stdout
    assert "liku-1 🗣" in done.stdout and "🙌 bow" in done.stdout
