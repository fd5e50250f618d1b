"""Sync throughput: outbox → site broker → intake → central database → ack → outbox marked.

On SQLite, then on PostgreSQL (a server this bench starts, with PostgreSQL's default
durability: fsync on, synchronous commit), each printed as events/s and as a ratio to the
floor of the same database measured in the same run: a raw batched insert of the same events
(no MQTT, no validation, no summaries). Also the time to drain a week offline (50,000
events) with the agent and intake as separate processes. `--sqlite-only` skips PostgreSQL.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from central.db.url import STATE_ENV
from kiosk_app.storage.store import Store
from lessons.events import ProgressEvent
from tests.mosquitto import Broker
from tests.postgres import PostgresServer
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


def raw_postgres_rate(events: list[ProgressEvent], url: str) -> float:
    """PostgreSQL's floor: the same rows with executemany, in 500-row transactions."""
    import psycopg

    rows = [(e.id, e.kind.value, e.learner_id, e.lesson_id, e.at, str(e.detail)) for e in events]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE raw_events (id TEXT PRIMARY KEY, kind TEXT, learner TEXT, "
            "lesson TEXT, at DOUBLE PRECISION, detail TEXT)"
        )
        start = time.perf_counter()
        for i in range(0, len(rows), 500):
            with conn.transaction(), conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO raw_events VALUES (%s, %s, %s, %s, %s, %s)", rows[i : i + 500]
                )
        elapsed = time.perf_counter() - start
        conn.execute("DROP TABLE raw_events")
    return len(rows) / elapsed


def end_to_end_seconds(
    events: list[ProgressEvent], directory: Path, database: str | None = None
) -> float:
    directory.mkdir(parents=True, exist_ok=True)
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
        [python, "-m", "central.cli", "--db", database or str(directory / "central.db"),
         "intake", "--broker", broker.address],
        stderr=subprocess.DEVNULL,
        env={**os.environ, STATE_ENV: str(directory)},  # central's files, for PostgreSQL
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
        seconds = end_to_end_seconds(events, directory / "sqlite")
        report("SQLite", events, floor, seconds, target=20_000)
        if "--sqlite-only" in sys.argv:
            return
        server = PostgresServer(durable=True).start()
        try:
            server.sql("CREATE DATABASE raw")
            server.sql("CREATE DATABASE central")
            floor = raw_postgres_rate(events, server.url("raw"))
            seconds = end_to_end_seconds(events, directory / "pg", server.url("central"))
            report("PostgreSQL", events, floor, seconds, target=None)
        finally:
            server.stop()


def report(
    name: str, events: list[ProgressEvent], floor: float, seconds: float, target: int | None
) -> None:
    rate = len(events) / seconds
    print(f"{name}: floor, raw batched insert        {floor:12,.0f} events/s")
    print(f"{name}: sync end to end (agent+broker+intake) {rate:12,.0f} events/s")
    print(f"{name}: ratio end-to-end / floor          {rate / floor:12.2f}")
    met = (
        ""
        if target is None
        else (f" (target ≥ {target:,} events/s: {'met' if rate >= target else 'NOT met'})")
    )
    print(f"{name}: week offline ({len(events):,} events) drained in {seconds:.1f} s{met}")


if __name__ == "__main__":
    main()
