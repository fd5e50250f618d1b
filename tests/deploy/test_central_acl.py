"""The central broker's passwords and ACLs, proven with real clients over TLS."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from central.intake_service import IntakeWorker, intake_share_group
from robot_bridge.link.mqtt_link import BrokerAddress
from robot_bridge.protocol.topics import intake_subscription
from robot_bridge.protocol.topics import roster as roster_topic
from robot_bridge.protocol.topics import sync_ack as ack_topic
from robot_bridge.protocol.topics import sync_batch as batch_topic
from robot_bridge.protocol.topics import sync_status as status_topic
from tests import waiting
from tests.deploy.acl_client import Client
from tests.deploy.city import Central, make_tls


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    c = Central(tmp_path / "central", make_tls(tmp_path / "tls"))
    c.add_center("gangnam-1", "secret-a")
    c.add_center("mapo-2", "secret-b")
    c.broker.start()
    yield c
    c.broker.stop()


def test_a_center_can_publish_only_its_own_sync_topics(
    central: Central, clients: list[Client]
) -> None:
    intake = Client(central.intake_address)
    center_a = Client(central.center_address("gangnam-1", "secret-a"))
    clients += [intake, center_a]
    assert center_a.connect_result == "Success"
    intake.subscribe("sarangbang/v1/centers/+/sync/+/batch")
    center_a.publish(batch_topic("mapo-2", "kiosk-1"), b"forged")  # refused by the ACL
    center_a.publish(batch_topic("gangnam-1", "kiosk-1"), b"own")  # allowed
    time.sleep(0.5)
    assert intake.received == [(batch_topic("gangnam-1", "kiosk-1"), b"own")]


def test_a_center_cannot_read_another_centers_roster(
    central: Central, clients: list[Client]
) -> None:
    intake = Client(central.intake_address)
    center_a = Client(central.center_address("gangnam-1", "secret-a"))
    clients += [intake, center_a]
    intake.publish(roster_topic("mapo-2"), b"roster of B", retain=True)
    intake.publish(roster_topic("gangnam-1"), b"roster of A", retain=True)
    center_a.subscribe(roster_topic("mapo-2"))  # Mosquitto 2.0 grants it, then delivers nothing
    center_a.subscribe("sarangbang/v1/centers/+/roster")  # nor through a wildcard
    center_a.subscribe(roster_topic("gangnam-1"))
    time.sleep(0.5)
    assert set(center_a.received) == {(roster_topic("gangnam-1"), b"roster of A")}


def test_wrong_password_and_anonymous_clients_are_refused(
    central: Central, clients: list[Client]
) -> None:
    good = central.center_address("gangnam-1", "secret-a")
    wrong = Client(BrokerAddress(good.host, good.port, "gangnam-1", "guess", good.ca_file))
    anonymous = Client(BrokerAddress(good.host, good.port, None, None, good.ca_file))
    clients += [wrong, anonymous]
    assert wrong.connect_result == anonymous.connect_result == "Not authorized"


# A center tried to join intake's shared group with this many connections: the ten of them
# plus one intake worker would have taken 10 of every 11 batches and dropped them.
GREEDY_CONNECTIONS = 10
BATCHES = 33


def test_a_center_cannot_take_other_centers_batches_from_intake(
    central: Central, clients: list[Client]
) -> None:
    intake = Client(central.intake_address)
    clients.append(intake)
    intake.subscribe(intake_subscription(intake_share_group(central.intake_address.password)))
    greedy = []
    for _ in range(GREEDY_CONNECTIONS):
        member = Client(central.center_address("gangnam-1", "secret-a"))
        clients.append(member)
        greedy.append(member)
        member.subscribe(intake_subscription())  # the group name in the docs and the code
        member.subscribe("$share/central-intake/sarangbang/v1/centers/#")
        member.subscribe("sarangbang/v1/centers/#")
        member.subscribe("#")
    center_b = Client(central.center_address("mapo-2", "secret-b"))
    clients.append(center_b)
    for n in range(BATCHES):
        center_b.publish(batch_topic("mapo-2", "kiosk-1"), f"batch {n}".encode())
    waiting.wait_for(lambda: len(intake.received) >= BATCHES, 10, "every batch at intake")
    time.sleep(0.3)
    assert sorted(payload for _, payload in intake.received) == sorted(
        f"batch {n}".encode() for n in range(BATCHES)
    )
    assert all(member.received == [] for member in greedy)


def test_a_center_reads_nothing_of_another_center(central: Central, clients: list[Client]) -> None:
    intake = Client(central.intake_address)
    center_a = Client(central.center_address("gangnam-1", "secret-a"))
    center_b = Client(central.center_address("mapo-2", "secret-b"))
    clients += [intake, center_a, center_b]
    center_a.subscribe("#")
    center_a.subscribe("$SYS/#")
    center_a.subscribe("$share/any/#")
    center_b.publish(batch_topic("mapo-2", "kiosk-1"), b"b's batch")
    center_b.publish(status_topic("mapo-2", "kiosk-1"), b"b's status", retain=True)
    intake.publish(ack_topic("mapo-2", "kiosk-1"), b"b's ack")
    intake.publish(roster_topic("mapo-2"), b"b's roster", retain=True)
    center_a.publish(ack_topic("mapo-2", "kiosk-1"), b"a forged ack for b")  # refused
    intake.publish(ack_topic("gangnam-1", "kiosk-1"), b"a's ack")
    waiting.wait_for(lambda: center_a.received != [], 10, "a's own ack")
    time.sleep(0.3)
    assert center_a.received == [(ack_topic("gangnam-1", "kiosk-1"), b"a's ack")]


def test_intake_takes_each_batch_once_after_leaving_its_old_public_group(
    central: Central, clients: list[Client], tmp_path: Path
) -> None:
    old = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        "sarangbang-intake-1",
        clean_session=False,
        protocol=mqtt.MQTTv311,
    )  # intake as it was: a persistent session in the group every center could read about
    old.username_pw_set(central.intake_address.username, central.intake_address.password)
    old.connect(central.intake_address.host, central.intake_address.port)
    old.loop_start()
    old.subscribe(intake_subscription(), 1)
    time.sleep(0.3)
    old.disconnect()
    old.loop_stop()
    worker = IntakeWorker(tmp_path / "central.db", central.intake_address)
    worker.link.start()
    try:
        assert worker.link.connected.wait(10)
        greedy = Client(central.center_address("gangnam-1", "secret-a"))
        clients.append(greedy)
        greedy.subscribe(intake_subscription())
        time.sleep(0.3)
        center_b = Client(central.center_address("mapo-2", "secret-b"))
        clients.append(center_b)
        for n in range(BATCHES):
            center_b.publish(batch_topic("mapo-2", "kiosk-1"), f"batch {n}".encode())
        waiting.wait_for(lambda: worker.link.inbox.qsize() >= BATCHES, 10, "every batch")
        time.sleep(0.3)
        assert worker.link.inbox.qsize() == BATCHES  # each once: not also via the old group
    finally:
        worker.link.stop()


def test_a_center_cannot_take_over_intakes_or_another_centers_session(
    central: Central, clients: list[Client]
) -> None:
    """Mosquitto drops a client when another connects with its client id, and a clean
    session wipes the persistent one with its queued batches: on the centers' listener the
    client id is the user name, so a center can only ever replace its own bridge."""
    intake = Client(central.intake_address, "sarangbang-intake-1", clean_session=False)
    bridge_b = Client(
        central.center_address("mapo-2", "secret-b"), "sarangbang-bridge-mapo-2", False
    )
    clients += [intake, bridge_b]
    group = intake_share_group(central.intake_address.password)
    intake.subscribe(intake_subscription(group))
    bridge_b.subscribe(ack_topic("mapo-2", "kiosk-1"))
    center_a = central.center_address("gangnam-1", "secret-a")
    for stolen in ("sarangbang-intake-1", "sarangbang-bridge-mapo-2", "mapo-2"):
        thief = Client(center_a, stolen, clean_session=True)
        clients.append(thief)
        assert thief.connect_result == "Success"
    time.sleep(0.5)
    assert intake.disconnects == bridge_b.disconnects == 0
    bridge_b.publish(batch_topic("mapo-2", "kiosk-1"), b"still reaches intake")
    intake.publish(ack_topic("mapo-2", "kiosk-1"), b"still reaches the bridge")
    waiting.wait_for(lambda: intake.received and bridge_b.received, 10, "both still served")
