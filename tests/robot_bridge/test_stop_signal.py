"""`stop_on_signals`: a stop signal sets the event whatever the main thread is doing, and a
program whose stop hangs is ended anyway, within the grace period."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

# The main thread waits for the stop, runs `then`, and then hangs for good in a deadlock
# (as a join on a thread that never ends would): only the grace period can end it.
HANGS_AFTER_STOPPING = textwrap.dedent(
    """
    import sys, threading
    from robot_bridge.link.stop_signal import stop_on_signals
    stop = stop_on_signals(then=lambda: print("THEN", flush=True), grace=0.5)
    print("READY", flush=True)
    stop.wait()
    print("STOPPING", flush=True)
    lock = threading.Lock()
    lock.acquire()
    lock.acquire()
    """
)


def _ignore_sigint() -> None:  # as a shell script's `command &` starts it
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_that_hangs_is_ended_after_the_grace_period(signum: signal.Signals) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", HANGS_AFTER_STOPPING], cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_ignore_sigint,
    )  # fmt: skip
    try:
        assert child.stdout is not None and child.stdout.readline() == "READY\n"
        child.send_signal(signum)
        signalled = time.monotonic()
        out, err = child.communicate(timeout=10)
        took = time.monotonic() - signalled
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert "THEN" in out and "STOPPING" in out  # (two threads print: in either order)
    assert child.returncode == 3, err  # LATE_EXIT_STATUS
    assert "still running 0.5 s after the stop signal" in err
    assert took < 2.0, took
