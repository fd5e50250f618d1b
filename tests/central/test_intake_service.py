"""Intake on a real broker: bad batches are refused with a log line and intake keeps going."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.database import open_database
from central.intake_service import IntakeWorker
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import (
    MAX_BATCH_BYTES,
    SyncAck,
    encode,
    parse_ack,
)
from tests.central.test_intake import batches
from tests.mosquitto import Broker
from tests.progress_events import walk

TOPIC = topics.sync_batch("gangnam-1", "kiosk-1")


@pytest.fixture
def site(tmp_path: Path, central_db: Path | str) -> Iterator[tuple[MqttLink, Path | str]]:
    """Intake on its own broker, storing on SQLite and on PostgreSQL."""
    broker = Broker(tmp_path / "broker").start()
    db_path = central_db
    worker = IntakeWorker(db_path, BrokerAddress.parse(broker.address))
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    kiosk = MqttLink(
        BrokerAddress.parse(broker.address), "kiosk", [(topics.sync_ack("gangnam-1", "kiosk-1"), 1)]
    )
    kiosk.start()
    assert kiosk.connected.wait(10) and worker.link.connected.wait(10)
    yield kiosk, db_path
    kiosk.stop()
    stop.set()
    thread.join(10)
    broker.stop()


def next_ack(kiosk: MqttLink) -> SyncAck:
    _, payload = kiosk.inbox.get(timeout=10)
    return parse_ack(payload)


def test_bad_batches_are_refused_and_intake_keeps_running(
    site: tuple[MqttLink, Path], caplog: pytest.LogCaptureFixture
) -> None:
    kiosk, db_path = site
    good = batches(walk("kim"), 500)[0]
    readable_but_wrong = json.loads(encode(good))
    readable_but_wrong["last_seq"] += 5  # says it carries more than it does
    with caplog.at_level(logging.INFO):
        kiosk.publish(TOPIC, b"\xff\xfe not json")
        kiosk.publish(TOPIC, b"[" * 100_000)  # deeply nested
        kiosk.publish(TOPIC, b" " * (MAX_BATCH_BYTES + 1))
        kiosk.publish(TOPIC, json.dumps(readable_but_wrong).encode())
        rejected = next_ack(kiosk)
        kiosk.publish(TOPIC, encode(good))
        stored = next_ack(kiosk)
        kiosk.publish(TOPIC, encode(good))  # a replay
        replayed = next_ack(kiosk)
    assert (rejected.status, rejected.batch_id) == ("rejected", good.batch_id)
    assert "must be seq 1…" in (rejected.reason or "")
    assert (stored.status, stored.inserted) == ("stored", len(good.events))
    assert (replayed.inserted, replayed.duplicates) == (0, len(good.events))
    reasons = [r.getMessage() for r in caplog.records if "rejected a batch" in r.getMessage()]
    assert len(reasons) == 4
    assert any("Invalid JSON" in r for r in reasons)
    assert any("exceeds" in r for r in reasons)
    assert any("already stored" in r.getMessage() for r in caplog.records)
    db = open_database(db_path)
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == len(good.events)
    db.close()


def start_worker(
    db_path: Path, broker: Broker
) -> tuple[IntakeWorker, threading.Event, threading.Thread]:
    worker = IntakeWorker(db_path, BrokerAddress.parse(broker.address))
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    assert worker.link.connected.wait(10)
    return worker, stop, thread


def test_a_poison_batch_queued_for_intake_is_set_aside_after_a_restart(tmp_path: Path) -> None:
    broker = Broker(tmp_path / "broker").start()
    db_path = tmp_path / "central.db"
    kiosk = MqttLink(
        BrokerAddress.parse(broker.address), "kiosk", [(topics.sync_ack("gangnam-1", "kiosk-1"), 1)]
    )
    kiosk.start()
    try:
        _, stop, thread = start_worker(db_path, broker)  # intake's session now exists
        time.sleep(0.3)
        stop.set()
        thread.join(10)
        poison, good = batches(walk("kim"), 10)[:2]
        data = json.loads(encode(poison))
        data["events"][1]["event"]["at"] = float("nan")  # stored, it broke the whole group
        assert kiosk.connected.wait(10)
        kiosk.publish(TOPIC, json.dumps(data).encode())  # queued in intake's session…
        kiosk.publish(TOPIC, encode(good))  # …with a good batch behind it
        time.sleep(0.5)
        _, stop, thread = start_worker(db_path, broker)  # intake comes back
        acks = {ack.batch_id: ack for ack in (next_ack(kiosk), next_ack(kiosk))}
        stop.set()
        thread.join(10)
    finally:
        kiosk.stop()
        broker.stop()
    assert acks[poison.batch_id].status == "rejected"
    assert (acks[good.batch_id].status, acks[good.batch_id].inserted) == (
        "stored",
        len(good.events),
    )
    db = open_database(db_path)
    assert db["events"].count == len(good.events)
    assert db.execute("select center, batch_id from set_aside").fetchall() == [
        ("gangnam-1", poison.batch_id)
    ]
    db.close()


def test_batches_that_reach_central_while_intake_is_away_after_a_broker_restart_are_kept(
    tmp_path: Path,
) -> None:
    """After central's broker restarts, the bridge delivers the site's queued batches at
    once, before intake is back. Mosquitto 2.0 does not restore a shared subscription from
    its persistence file, so those batches had no subscriber and were dropped; intake's own
    (not shared) persistent subscription is restored and keeps them."""
    broker = Broker(tmp_path / "broker").start()
    db_path = tmp_path / "central.db"
    try:
        _, stop, thread = start_worker(db_path, broker)  # intake's session now exists
        stop.set()
        thread.join(10)
        broker.restart()
        kiosk = MqttLink(
            BrokerAddress.parse(broker.address),
            "kiosk",
            [(topics.sync_ack("gangnam-1", "kiosk-1"), 1)],
        )
        kiosk.start()
        assert kiosk.connected.wait(10)
        batch = batches(walk("kim"), 10)[0]
        kiosk.publish(TOPIC, encode(batch))  # what the bridge delivers before intake is back
        time.sleep(0.5)
        _, stop, thread = start_worker(db_path, broker)
        ack = next_ack(kiosk)
        stop.set()
        thread.join(10)
        kiosk.stop()
    finally:
        broker.stop()
    assert (ack.batch_id, ack.status, ack.inserted) == (batch.batch_id, "stored", 10)


@pytest.mark.parametrize("before", [True, False], ids=["was-shared", "was-own"])
def test_a_worker_switched_between_shared_and_own_takes_each_batch_once(
    tmp_path: Path, before: bool
) -> None:
    broker = Broker(tmp_path / "broker").start()
    try:
        earlier = IntakeWorker(
            tmp_path / "central.db", BrokerAddress.parse(broker.address), shared=before
        )
        earlier.link.start()
        assert earlier.link.connected.wait(10)
        time.sleep(0.3)
        earlier.link.stop()
        worker = IntakeWorker(
            tmp_path / "central.db", BrokerAddress.parse(broker.address), shared=not before
        )
        worker.link.start()
        assert worker.link.connected.wait(10)
        time.sleep(0.3)
        site = MqttLink(BrokerAddress.parse(broker.address), "site", [])
        site.start()
        assert site.connected.wait(10)
        for n in range(5):
            site.publish(TOPIC, f"batch {n}".encode())
        time.sleep(1.0)
        site.stop()
        worker.link.stop()
    finally:
        broker.stop()
    assert worker.link.inbox.qsize() == 5


FLOOD_MESSAGES = 80
FAIR_ACK_SECONDS = 8.0  # before: ~50 s, the whole flood


def test_a_center_flooding_intake_with_junk_delays_only_itself(tmp_path: Path) -> None:
    """One intake worker reads every center's batches. A center that sends more than intake
    can read (here 80 MB of megabyte junk, ~0.1 s each to refuse) must not hold back another
    center's batch queued behind it: each center waits in its own line."""
    broker = Broker(tmp_path / "broker").start()
    db_path = tmp_path / "central.db"
    address = BrokerAddress.parse(broker.address)
    center_b = MqttLink(address, "center-b", [(topics.sync_ack("mapo-2", "kiosk-1"), 1)])
    flood = MqttLink(address, "flood", [])
    try:
        _, stop, thread = start_worker(db_path, broker)
        for link in (center_b, flood):
            link.start()
            assert link.connected.wait(10)
        junk = b'{"x":[' + b",".join([b"[]"] * 333_000) + b"]}"
        flood_topic = topics.sync_batch("gangnam-1", "kiosk-1")
        for _ in range(FLOOD_MESSAGES):
            flood.client.publish(flood_topic, junk, qos=1).wait_for_publish(10)
        good = batches(walk("kim"), 10)[0]
        good = good.model_copy(update={"center": "mapo-2"})
        sent = time.monotonic()
        center_b.publish(topics.sync_batch("mapo-2", "kiosk-1"), encode(good))
        _, payload = center_b.inbox.get(timeout=120)
        waited = time.monotonic() - sent
        stop.set()
        thread.join(30)
    finally:
        center_b.stop()
        flood.stop()
        broker.stop()
    assert parse_ack(payload).status == "stored"
    assert waited < FAIR_ACK_SECONDS, f"center B waited {waited:.1f} s behind the flood"
