"""Sync throughput: outbox → site broker → intake → central SQLite → ack → outbox marked.

Printed as events/s and as a ratio to the floor measured in the same run: a raw batched
SQLite insert of the same events (no MQTT, no validation, no summaries). Also the time to
drain a week offline (50,000 events) with the agent and intake as separate processes.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk_app.storage.store import Store
from lessons.events import ProgressEvent
from tests.mosquitto import Broker
from tests.progress_events import walk

WEEK_OFFLINE_EVENTS = 50_000


def make_events(count: int) -> list[ProgressEvent]:
    events: list[ProgressEvent] = []
    n = 0
    while len(events) < count:
        events += walk(f"learner-{n % 40}", wrong_taps=n % 3, help_calls=n % 5 == 0)
        n += 1
    return events[:count]


def raw_insert_rate(events: list[ProgressEvent], directory: Path) -> float:
    """The floor: the same rows into SQLite with executemany, in 500-row transactions."""
    conn = sqlite3.connect(directory / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE events (id TEXT PRIMARY KEY, kind TEXT, learner TEXT, lesson TEXT, "
        "at REAL, detail TEXT) WITHOUT ROWID"
    )
    rows = [(e.id, e.kind.value, e.learner_id, e.lesson_id, e.at, str(e.detail)) for e in events]
    start = time.perf_counter()
    for i in range(0, len(rows), 500):
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", rows[i : i + 500])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return len(rows) / elapsed


def end_to_end_seconds(events: list[ProgressEvent], directory: Path) -> float:
    broker = Broker(directory / "broker").start()
    config = directory / "kiosk.toml"
    config.write_text(
        'center_id = "gangnam-1"\nkiosk_id = "kiosk-1"\ninstructor_pin = "1234"\n'
        f'data_dir = "data"\n[broker]\nhost = "127.0.0.1"\nport = {broker.port}\n'
    )
    store = Store.open(directory / "data" / "kiosk.db", "kiosk-1")
    store.record(events)
    python = sys.executable
    intake = subprocess.Popen(
        [python, "-m", "central.cli", "--db", str(directory / "central.db"), "intake",
         "--broker", broker.address],
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1.0)  # intake connected and subscribed before the clock starts
    start = time.perf_counter()
    agent = subprocess.Popen([python, "-m", "kiosk_app.sync.sync_cli", "--config", str(config)])
    try:
        while store.status().unsynced:
            time.sleep(0.01)
        return time.perf_counter() - start
    finally:
        for process in (agent, intake):
            process.terminate()
            process.wait(10)
        store.close()
        broker.stop()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        print(f"making {WEEK_OFFLINE_EVENTS:,} real progress events…", file=sys.stderr)
        events = make_events(WEEK_OFFLINE_EVENTS)
        floor = raw_insert_rate(events, directory)
        seconds = end_to_end_seconds(events, directory)
        rate = len(events) / seconds
        print(f"floor: raw batched SQLite insert      {floor:12,.0f} events/s")
        print(f"sync end to end (agent+broker+intake) {rate:12,.0f} events/s")
        print(f"ratio end-to-end / floor              {rate / floor:12.2f}")
        print(f"week offline ({len(events):,} events) drained in {seconds:.1f} s "
              f"(target ≥ 20,000 events/s: {'met' if rate >= 20_000 else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    main()
