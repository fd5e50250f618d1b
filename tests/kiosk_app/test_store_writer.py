import threading
from collections.abc import Callable
from pathlib import Path

from kiosk_app.storage.store import Store, StoreError
from kiosk_app.storage.store_writer import StoreWriter
from tests.kiosk_app.test_store import event


class Inbox:
    """Collects what the writer posts back, like Clock.schedule_once would."""

    def __init__(self) -> None:
        self.calls: list[Callable[[], None]] = []
        self.problems: list[StoreError | None] = []

    def post(self, call: Callable[[], None]) -> None:
        self.calls.append(call)

    def run(self) -> None:
        calls, self.calls = self.calls, []
        for call in calls:
            call()


def test_jobs_run_in_order_on_one_other_thread(tmp_path: Path) -> None:
    inbox = Inbox()
    path = tmp_path / "kiosk.db"
    writer = StoreWriter(lambda: Store.open(path, "k"), inbox.post, inbox.problems.append)
    threads: list[str] = []
    results: list[int] = []

    def job(n: int) -> Callable[[Store], int]:
        def write(store: Store) -> int:
            threads.append(threading.current_thread().name)
            return store.record([event(n)])

        return write

    for n in range(1, 4):
        writer.submit(job(n), results.append)
    assert writer.flush()
    inbox.run()
    assert results == [1, 2, 3]
    assert set(threads) == {"store-writer"}
    writer.close()


def test_failed_writes_wait_in_order_and_land_after_retry(tmp_path: Path) -> None:
    inbox = Inbox()
    path = tmp_path / "kiosk.db"
    writer = StoreWriter(lambda: Store.open(path, "k"), inbox.post, inbox.problems.append)
    disk_full = threading.Event()
    disk_full.set()

    def record(n: int) -> Callable[[Store], int]:
        def job(store: Store) -> int:
            if disk_full.is_set():
                raise StoreError("store.disk_full", "database or disk is full")
            return store.record([event(n)])

        return job

    stored: list[int] = []
    for n in (1, 2, 3):
        writer.submit(record(n), stored.append)
    assert writer.flush()
    inbox.run()
    assert [p.key if p else None for p in inbox.problems] == ["store.disk_full"]
    assert writer.waiting == 3 and stored == []
    disk_full.clear()  # the instructor made room
    writer.retry()
    assert writer.flush()
    inbox.run()
    assert stored == [1, 2, 3]  # nothing lost, order kept
    assert inbox.problems[-1] is None  # and the problem is reported as gone
    assert writer.waiting == 0
    writer.close()
