"""Sync throughput: outbox → site broker → intake → central database → ack → outbox marked.

Two cases, each on SQLite and then on PostgreSQL (a server this bench starts, with
PostgreSQL's default durability: fsync on, synchronous commit): one center draining a week
offline (50,000 events, one kiosk), and 50 centers at once (one kiosk each, 2,000 events
each) into one intake. Each is printed as events/s and as a ratio to the floor of the same
database measured in the same run on the same events: a raw batched insert (no MQTT, no
validation, no summaries). The clock runs from the first batch published to the last
outbox marked synced. `--sqlite-only` skips PostgreSQL.
"""

from __future__ import annotations

import os
import queue
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
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import encode_batch
from robot_bridge.protocol.topics import Kind
from tests.mosquitto import Broker
from tests.postgres import PostgresServer
from tests.progress_events import walk

WEEK_OFFLINE_EVENTS = 50_000
# The "50 centers at once": each center's kiosk with a day or two offline, all
# synced together into one intake (100,000 events in all).
CENTERS = 50
CENTER_EVENTS = 2_000
WAIT_SECONDS = 60.0  # for the broker, intake's warm-up ack and the first batch
DRAIN_TIMEOUT_SECONDS = 600.0
POLL_SECONDS = 0.01
WARM_UP_RESEND_SECONDS = 1.0


def make_events(count: int) -> list[ProgressEvent]:
    events: list[ProgressEvent] = []
    n = 0
    while len(events) < count:
        events += walk(f"learner-{n % 40}", wrong_taps=n % 3, help_calls=n % 5 == 0)
        n += 1
    return events[:count]


def raw_insert_rate(events: list[ProgressEvent], directory: Path) -> float:
    """The floor: the same rows into SQLite with executemany, in 500-row transactions."""
    directory.mkdir(parents=True, exist_ok=True)
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
    outboxes: dict[str, list[ProgressEvent]], directory: Path, database: str | None = None
) -> float:
    """Seconds from the first batch published to the last outbox marked synced: one sync
    agent per center in `outboxes` (center → its kiosk's events), all into one intake.

    Intake is started and warmed up first (its lesson catalog takes a second or more to
    load) and the agents' program is started before the clock too: what is timed is sync,
    not Python starting. One center's agent is the real `sarangbang-sync` program; many
    centers' agents run as threads of one process (bench/site_agents.py)."""
    directory.mkdir(parents=True, exist_ok=True)
    broker = Broker(directory / "broker").start()
    python = sys.executable
    intake = subprocess.Popen(
        [python, "-m", "central.cli", "--db", database or str(directory / "central.db"),
         "intake", "--broker", broker.address],
        stderr=subprocess.DEVNULL,
        env={**os.environ, STATE_ENV: str(directory)},  # central's files, for PostgreSQL
    )  # fmt: skip
    agents: subprocess.Popen[bytes] | None = None
    address = BrokerAddress.parse(broker.address)
    try:
        warm_up(address)
        outbox_files = [_outbox(directory / center, center, events)
                        for center, events in outboxes.items()]  # fmt: skip
        first_batch = MqttLink(address, "bench-clock", [(topics.every_center(Kind.SYNC_BATCH), 0)])
        first_batch.start()
        if not first_batch.connected.wait(WAIT_SECONDS):
            raise SystemExit("bench: cannot subscribe to the batches")
        if len(outboxes) == 1:
            center = next(iter(outboxes))
            config = _kiosk_config(directory / center, center, broker.port)
            agents = subprocess.Popen(
                [python, "-m", "kiosk_app.sync.sync_cli", "--config", str(config)],
                stderr=subprocess.DEVNULL,
            )
        else:
            agents = subprocess.Popen(
                [python, str(Path(__file__).with_name("site_agents.py")), broker.address,
                 *(str(directory / center) for center in outboxes)],
            )  # fmt: skip
        first_batch.inbox.get(timeout=WAIT_SECONDS)
        start = time.perf_counter()
        assert broker.process is not None and agents is not None
        processes = {"intake": intake, "agents": agents, "broker": broker.process}
        cpu_before = {name: cpu_seconds(p.pid) for name, p in processes.items()}
        first_batch.stop()
        _wait_synced(outbox_files)
        seconds = time.perf_counter() - start
        events = sum(len(e) for e in outboxes.values())
        used = {name: cpu_seconds(p.pid) - cpu_before[name] for name, p in processes.items()}
        print("  CPU during the drain, µs an event: " + ", ".join(
            f"{name} {used[name] / events * 1e6:.1f}" for name in processes
        ))  # fmt: skip
        return seconds
    finally:
        for process in (agents, intake):
            if process is not None:
                process.terminate()
                process.wait(10)
        broker.stop()


def cpu_seconds(pid: int) -> float:
    """User and system CPU a running process has used so far (Linux: /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def warm_up(broker: BrokerAddress) -> None:
    """Send intake one batch (center `warm-up`) and wait for its ack: intake is subscribed,
    its catalog loaded and its database open."""
    center, kiosk = "warm-up", "kiosk-1"
    link = MqttLink(broker, "bench-warm-up", [(topics.sync_ack(center, kiosk), 1)])
    link.start()
    try:
        if not link.connected.wait(WAIT_SECONDS):
            raise SystemExit("bench: cannot reach the broker")
        event = make_events(1)[0]
        payload = encode_batch(center, kiosk, "warm-up", [(1, event.model_dump_json())])
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:  # sent again until intake is there to take it
            link.publish(topics.sync_batch(center, kiosk), payload)
            try:
                link.inbox.get(timeout=WARM_UP_RESEND_SECONDS)
                return
            except queue.Empty:
                continue
        raise SystemExit("bench: intake did not answer")
    finally:
        link.stop()


def _outbox(directory: Path, center: str, events: list[ProgressEvent]) -> tuple[Path, int]:
    """The center's kiosk store holding `events`, unsynced: its file and its last seq."""
    store = Store.open(directory / "data" / "kiosk.db", "kiosk-1")
    last = store.record(events)
    store.close()
    return directory / "data" / "kiosk.db", last


def _kiosk_config(directory: Path, center: str, port: int) -> Path:
    config = directory / "kiosk.toml"
    config.write_text(
        f'center_id = "{center}"\nkiosk_id = "kiosk-1"\ninstructor_pin = "1234"\n'
        f'data_dir = "data"\n[broker]\nhost = "127.0.0.1"\nport = {port}\n'
    )
    return config


def _wait_synced(outboxes: list[tuple[Path, int]]) -> None:
    """Until every outbox's high-water mark reaches its last seq (one cheap query each)."""
    waiting = {}
    for path, last in outboxes:
        conn = sqlite3.connect(path, timeout=30)
        waiting[conn] = last
    deadline = time.monotonic() + DRAIN_TIMEOUT_SECONDS
    while waiting:
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: {len(waiting)} outboxes not synced in time")
        for conn, last in list(waiting.items()):
            row = conn.execute("SELECT value FROM meta WHERE key = 'synced_up_to'").fetchone()
            if row and int(row[0]) >= last:
                conn.close()
                del waiting[conn]
        time.sleep(POLL_SECONDS)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        print(f"making {WEEK_OFFLINE_EVENTS:,} real progress events…", file=sys.stderr)
        one = {"gangnam-1": make_events(WEEK_OFFLINE_EVENTS)}
        many = {f"center-{n:02d}": make_events(CENTER_EVENTS) for n in range(CENTERS)}
        cases = [("one center", one), (f"{CENTERS} centers", many)]
        for name, outboxes in cases:
            floor = raw_insert_rate(_all(outboxes), directory / name)
            seconds = end_to_end_seconds(outboxes, directory / "sqlite" / name)
            report("SQLite", name, outboxes, floor, seconds, target=50_000, ratio=0.8)
        if "--sqlite-only" in sys.argv:
            return
        server = PostgresServer(durable=True).start()
        try:
            for n, (name, outboxes) in enumerate(cases):
                server.sql(f"CREATE DATABASE raw{n}")
                server.sql(f"CREATE DATABASE central{n}")
                floor = raw_postgres_rate(_all(outboxes), server.url(f"raw{n}"))
                url = server.url(f"central{n}")
                seconds = end_to_end_seconds(outboxes, directory / "pg" / name, url)
                report("PostgreSQL", name, outboxes, floor, seconds, target=None, ratio=0.5)
        finally:
            server.stop()


def _all(outboxes: dict[str, list[ProgressEvent]]) -> list[ProgressEvent]:
    return [event for events in outboxes.values() for event in events]


def report(
    db: str,
    case: str,
    outboxes: dict[str, list[ProgressEvent]],
    floor: float,
    seconds: float,
    target: int | None,
    ratio: float,
) -> None:
    count = len(_all(outboxes))
    rate = count / seconds
    name = f"{db}, {case}"
    print(f"{name}: floor, raw batched insert          {floor:12,.0f} events/s")
    print(f"{name}: sync end to end (agent+broker+intake) {rate:12,.0f} events/s")
    met = "met" if rate / floor >= ratio else "NOT met"
    print(f"{name}: ratio end-to-end / floor            {rate / floor:12.2f} "
          f"(target ≥ {ratio}: {met})")  # fmt: skip
    met = (
        ""
        if target is None
        else (f" (target ≥ {target:,} events/s: {'met' if rate >= target else 'NOT met'})")
    )
    print(f"{name}: {count:,} events drained in {seconds:.2f} s{met}")
    print(f"{name}: load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
