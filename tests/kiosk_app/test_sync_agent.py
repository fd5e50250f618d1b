"""Kiosk outbox → sync agent → real Mosquitto → central intake → SQLite → ack → outbox."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from central.database import open_database
from central.intake_service import IntakeWorker
from central.roster import add_center, add_learner, update_learner
from kiosk_app.storage.store import Store
from kiosk_app.sync.sync_agent import SyncAgent
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol.sync_protocol import SyncAck, encode, parse_batch
from robot_bridge.protocol.topics import sync_ack, sync_batch, sync_status
from tests.mosquitto import Broker
from tests.progress_events import walk
from tests.waiting import wait_for

CENTER = "gangnam-1"


class Running:
    """Threads that run until the test ends."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        self.threads.append(thread)

    def close(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(10)


@pytest.fixture
def running() -> Iterator[Running]:
    r = Running()
    yield r
    r.close()


def start_intake(running: Running, db_path: Path, broker: Broker) -> IntakeWorker:
    worker = IntakeWorker(db_path, BrokerAddress.parse(broker.address))
    running.start(lambda: worker.run(running.stop))
    return worker


def start_agent(running: Running, store_path: Path, kiosk: str, broker: Broker) -> None:
    def run() -> None:
        store = Store.open(store_path, kiosk)  # a connection belongs to its thread
        link = MqttLink(
            BrokerAddress.parse(broker.address),
            f"sync-{kiosk}",
            SyncAgent.subscriptions(CENTER, kiosk),
        )
        link.start()
        try:
            SyncAgent(store, link, CENTER, kiosk).run(running.stop)
        finally:
            link.stop()
            store.close()

    running.start(run)


def test_two_kiosks_reach_central_exactly_once(
    tmp_path: Path, broker: Broker, running: Running
) -> None:
    stores = {k: Store.open(tmp_path / f"{k}.db", k) for k in ("kiosk-1", "kiosk-2")}
    expected = 0
    for kiosk, store in stores.items():
        for learner in ("kim", "lee", "park"):
            expected += len(events := walk(f"{kiosk}-{learner}", wrong_taps=1))
            store.record(events)
    central_path = tmp_path / "central.db"
    start_intake(running, central_path, broker)
    for kiosk in stores:
        start_agent(running, tmp_path / f"{kiosk}.db", kiosk, broker)
    # more events while syncing
    for store in stores.values():
        expected += len(events := walk("late"))
        store.record(events)
    wait_for(lambda: all(s.status().unsynced == 0 for s in stores.values()))
    central = open_database(central_path)
    assert central["events"].count == expected
    assert central.execute("select count(distinct id) from events").fetchone() == (expected,)
    per_kiosk = dict(central.execute("select kiosk, last_seq from kiosk_sync").fetchall())
    assert per_kiosk == {k: s.status().last_seq for k, s in stores.items()}


def test_roster_added_at_central_reaches_the_kiosk_store(
    tmp_path: Path, broker: Broker, running: Running
) -> None:
    central_path = tmp_path / "central.db"
    central = open_database(central_path)
    add_center(central, CENTER, "강남 경로당")
    kim = add_learner(central, CENTER, "김영희")
    start_intake(running, central_path, broker)
    store_path = tmp_path / "kiosk-1.db"
    store = Store.open(store_path, "kiosk-1")
    start_agent(running, store_path, "kiosk-1", broker)
    wait_for(lambda: [learner.name for learner in store.learners()] == ["김영희"])
    add_learner(central, CENTER, "이순자")
    update_learner(central, kim, name="김영희 어르신")
    wait_for(lambda: [ln.name for ln in store.learners()] == ["김영희 어르신", "이순자"])
    update_learner(central, kim, hidden=True)
    wait_for(lambda: [ln.name for ln in store.learners()] == ["이순자"])


class FakeCentral:
    """Answers every batch on a real broker like intake, refusing events whose id is in
    `refuse`, and records what it stored."""

    def __init__(self, broker: Broker, kiosk: str, refuse: set[str]) -> None:
        self.kiosk, self.refuse, self.stored = kiosk, refuse, set[str]()
        self.link = MqttLink(
            BrokerAddress.parse(broker.address), "fake-central", [(sync_batch(CENTER, kiosk), 1)]
        )

    def run(self, stop: threading.Event) -> None:
        self.link.start()
        try:
            while not stop.is_set():
                try:
                    topic, payload = self.link.inbox.get(timeout=0.05)
                except queue.Empty:
                    continue
                batch = parse_batch(topic, payload)
                ids = {e.event.id for e in batch.events}
                refused = sorted(ids & self.refuse)
                if not refused:
                    self.stored |= ids
                answer = SyncAck(
                    center=CENTER, kiosk=self.kiosk, batch_id=batch.batch_id,
                    first_seq=batch.first_seq, last_seq=batch.last_seq,
                    status="rejected" if refused else "stored",
                    reason=f"bad event {refused[0]}" if refused else None,
                )  # fmt: skip
                self.link.publish(sync_ack(CENTER, self.kiosk), encode(answer))
        finally:
            self.link.stop()


def test_a_refused_event_is_set_aside_reported_and_the_rest_synced(
    tmp_path: Path, broker: Broker, running: Running
) -> None:
    store = Store.open(tmp_path / "kiosk-1.db", "kiosk-1")
    events = walk("kim") + walk("lee")
    bad = events[5].id
    store.record(events)
    central = FakeCentral(broker, "kiosk-1", refuse={bad})
    running.start(lambda: central.run(running.stop))
    statuses = Subscriber(broker, sync_status(CENTER, "kiosk-1"))
    start_agent(running, tmp_path / "kiosk-1.db", "kiosk-1", broker)
    wait_for(lambda: store.status().unsynced == 0)
    assert central.stored == {e.id for e in events} - {bad}
    assert store.set_aside_events() == [(6, bad, f"bad event {bad}")]
    assert (store.status().set_aside, store.status().set_aside_reason) == (1, f"bad event {bad}")
    wait_for(lambda: statuses.last().get("set_aside") == 1)
    assert statuses.last()["set_aside_reason"] == f"bad event {bad}"
    assert store.status().events == len(events)  # nothing deleted from the outbox
    statuses.link.stop()


def test_a_forged_ack_on_the_broker_moves_nothing(
    tmp_path: Path, broker: Broker, running: Running
) -> None:
    store = Store.open(tmp_path / "kiosk-1.db", "kiosk-1")
    store.record(walk("kim"))
    start_agent(running, tmp_path / "kiosk-1.db", "kiosk-1", broker)  # no central to answer
    forger = MqttLink(BrokerAddress.parse(broker.address), "forger", [])
    forger.start()
    statuses = Subscriber(broker, sync_status(CENTER, "kiosk-1"))
    try:
        wait_for(forger.connected.is_set)
        # the agent reports itself connected once the broker confirmed its subscriptions:
        # a forged ack sent before that reaches nobody, and would never be counted
        wait_for(lambda: statuses.last().get("connected") is True, what="the agent subscribed")
        forged = SyncAck(
            center=CENTER, kiosk="kiosk-1", batch_id="forged", first_seq=1,
            last_seq=store.status().last_seq,
        )  # fmt: skip
        for _ in range(10):
            forger.publish(sync_ack(CENTER, "kiosk-1"), encode(forged))
            time.sleep(0.05)
        time.sleep(0.5)
        assert store.status().synced_up_to == 0
        wait_for(lambda: statuses.last().get("ignored_acks") == 10)
    finally:
        statuses.link.stop()
        forger.stop()


class Subscriber:
    """The last JSON message on a topic, from a real broker."""

    def __init__(self, broker: Broker, topic: str) -> None:
        self.link = MqttLink(
            BrokerAddress.parse(broker.address), f"sub-{topic[-20:]}", [(topic, 1)]
        )
        self.link.start()
        self.latest: dict[str, object] = {}

    def last(self) -> dict[str, object]:
        while not self.link.inbox.empty():
            self.latest = json.loads(self.link.inbox.get_nowait()[1])
        return self.latest


def test_big_events_reach_central_in_batches_the_broker_and_intake_accept(
    tmp_path: Path, running: Running
) -> None:
    """600 events of ~5 KB: 500 of them would make a 2.5 MB batch, over the brokers'
    max_packet_size (the broker drops the agent) and central's 1 MB (refused)."""
    broker = Broker(tmp_path / "broker", "max_packet_size 2000000").start()
    try:
        store = Store.open(tmp_path / "kiosk-1.db", "kiosk-1")
        events = []
        while len(events) < 600:
            events += [
                e.model_copy(update={"detail": {**e.detail, "note": "가" * 1_600}})
                for e in walk(f"learner-{len(events)}")
            ]
        store.record(events[:600])
        start_intake(running, tmp_path / "central.db", broker)
        start_agent(running, tmp_path / "kiosk-1.db", "kiosk-1", broker)
        wait_for(lambda: store.status().unsynced == 0, 30)
        assert store.status().set_aside == 0
        central = open_database(tmp_path / "central.db")
        assert central["events"].count == 600
    finally:
        running.close()
        broker.stop()
