"""The single writer thread: every store write runs here, in order, off the UI thread.

Results come back through `post` (the app passes a function that hops onto Kivy's Clock;
tests pass one that runs at once). A write that fails with a StoreError is kept and tried
again, in order, before the next write, so events wait in memory while the disk is full
and reach the file once there is room; the failure itself is reported to `on_problem`.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk_app.storage.store import Store, StoreError

# Runs a callable on the UI thread (Kivy's Clock in the app, at once in tests): how a worker
# thread hands a result back. One alias for every worker of the kiosk.
Post = Callable[[Callable[[], Any]], None]

log = logging.getLogger(__name__)

Job = Callable[[Store], Any]
Done = Callable[[Any], None]


@dataclass
class _Task:
    job: Job
    done: Done | None


_STOP = object()


class StoreWriter:
    """Owns the writing connection; `submit` queues a job, `flush` waits for the queue."""

    def __init__(
        self,
        open_store: Callable[[], Store],
        post: Post,
        on_problem: Callable[[StoreError | None], None],
    ) -> None:
        self._open_store = open_store
        self._post = post
        self._on_problem = on_problem
        self._queue: queue.Queue[Any] = queue.Queue()
        self._waiting: deque[_Task] = deque()
        self._failing = False
        self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self._thread.start()

    def submit(self, job: Job, done: Done | None = None) -> None:
        """Run `job(store)` on the writer thread; `done(result)` comes back through `post`."""
        self._queue.put(_Task(job, done))

    def retry(self) -> None:
        """Try the writes that failed again now (e.g. after the instructor freed space)."""
        self._queue.put(_Task(lambda store: None, None))

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until the writer has tried every job queued so far (failed ones stay in
        `waiting`); False if that took longer than `timeout`."""
        finished = threading.Event()
        self._queue.put(finished)
        return finished.wait(timeout)

    @property
    def waiting(self) -> int:
        """How many failed writes are kept for another try."""
        return len(self._waiting)

    def close(self, timeout: float = 10.0) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout)

    def _run(self) -> None:
        store = self._open_store()
        try:
            while (task := self._queue.get()) is not _STOP:
                if isinstance(task, threading.Event):
                    task.set()
                    continue
                self._waiting.append(task)
                self._drain(store)
        finally:
            store.close()

    def _drain(self, store: Store) -> None:
        while self._waiting:
            task = self._waiting[0]
            try:
                result = task.job(store)
            except StoreError as exc:
                if not self._failing:
                    log.warning("store write failed, kept for another try: %s", exc)
                    self._failing = True
                    self._report(exc)
                return
            except Exception:
                log.exception("store job failed and was dropped")
                self._waiting.popleft()
                continue
            self._waiting.popleft()
            if task.done is not None:
                self._deliver(task.done, result)
        if self._failing:
            self._failing = False
            self._report(None)

    def _deliver(self, done: Done, result: Any) -> None:
        self._post(lambda: done(result))

    def _report(self, problem: StoreError | None) -> None:
        self._post(lambda: self._on_problem(problem))
