"""Stopping a long-running program on SIGINT or SIGTERM, within a bounded time.

Every long-running program (the simulated robot, the class runner, the sync agent, central's
intake and site monitor, the kiosk) starts with `stop = stop_on_signals()`, waits for `stop`
and then closes what it opened. Why not the usual ways:

- A handler that raises `KeyboardInterrupt` lands at an arbitrary point of the main thread:
  inside a lock, a `finally`, a queue wait or a thread join, and can leave a lock held that
  the shutdown path then waits on forever.
- A handler that calls `Event.set()` can deadlock on its own: Python runs handlers on the
  main thread between bytecodes, so when the main thread is inside `Event.wait()` holding
  the event's internal lock, `set()` in the handler waits for that same lock.

So the Python handler does nothing at all. The signal reaches a watcher thread through
`signal.set_wakeup_fd` (CPython's C-level handler writes the signal number to a pipe at once,
whatever the main thread is doing), and the watcher sets the event. If the program has not
exited `GRACE_SECONDS` after the signal (a broker that never answers, a library thread that
does not stop), the watcher ends the process (a second signal changes nothing: scripts
often send Ctrl-C to the whole group and then SIGTERM to each program). Every store
the programs write is safe against that (SQLite in WAL mode, the outbox survives `kill -9`,
central inserts idempotently), so a late stop costs nothing but the goodbye messages.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# A stop must be over within 3 s (a supervisor or the demo waits that long before it stops
# the brokers); the clean path takes well under 1 s, this leaves room on a busy machine.
GRACE_SECONDS = 2.5
# Exit status of a program that had to be ended because its clean stop took too long.
LATE_EXIT_STATUS = 3


def stop_on_signals(
    then: Callable[[], None] | None = None, grace: float = GRACE_SECONDS
) -> threading.Event:
    """An event set by the first SIGINT or SIGTERM; `then` (if given) runs right after, on
    the watcher thread. The process ends `grace` s after that signal if it has not exited
    by then. Call once, from the main thread."""
    stop = threading.Event()
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)  # a burst of signals must never block the handler
    for signum in STOP_SIGNALS:
        signal.signal(signum, _nothing)
    signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    watcher = threading.Thread(
        target=_watch, args=(read_end, stop, then, grace), name="stop-signal", daemon=True
    )
    watcher.start()
    return stop


def _nothing(_signum: int, _frame: FrameType | None) -> None:
    """The Python-level handler: the wakeup pipe already told the watcher."""


def _watch(
    read_end: int, stop: threading.Event, then: Callable[[], None] | None, grace: float
) -> None:
    signum = _next_stop_signal(read_end, None)
    log.info("stopping on %s", signal.Signals(signum).name)
    stop.set()
    if then is not None:
        try:
            then()
        except Exception:
            log.exception("while asking the program to stop")
    deadline = time.monotonic() + grace
    while _next_stop_signal(read_end, deadline):
        pass  # a script often sends both (Ctrl-C to the group, then SIGTERM): same stop
    sys.stderr.write(f"stopping now: still running {grace} s after the stop signal\n")
    sys.stderr.flush()
    os._exit(LATE_EXIT_STATUS)


def _next_stop_signal(read_end: int, deadline: float | None) -> int:
    """Wait for a stop signal from the wakeup pipe; 0 once `deadline` (monotonic) passes."""
    while True:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return 0
        ready, _, _ = select.select([read_end], [], [], left)
        if ready:
            for signum in os.read(read_end, 64):
                if signum in STOP_SIGNALS:
                    return signum
