"""Kiosk outbox → sync agent → real Mosquitto → central intake → SQLite → ack → outbox."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from central.database import open_database
from central.intake_service import IntakeWorker
from central.roster import add_center, add_learner, update_learner
from kiosk_app.store import Store
from robot_bridge.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.sync_agent import SyncAgent
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
