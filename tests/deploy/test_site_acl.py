"""The site broker's logins and ACL (deploy/site_users.py), proven with real clients on a
real site broker rendered from deploy/ under Debian's stock mosquitto.conf, bridged over
TLS to a real central broker."""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.site_users import remove, site_acl
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import MAX_BATCH_BYTES
from robot_bridge.sync.sync_planner import MAX_SEND_BYTES
from tests.deploy.acl_client import Client
from tests.deploy.city import DEPLOY, Central, Site, make_tls
from tests.waiting import wait_for

CENTER = "gangnam-1"
SETTLE_SECONDS = 0.5  # for a message the ACL refuses to (not) arrive


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    central = Central(tmp_path / "central", make_tls(tmp_path / "tls"))
    central.broker.start()
    site = Site(CENTER, tmp_path / CENTER, central)
    for role, device in (("kiosk", "kiosk-1"), ("kiosk", "kiosk-2"), ("robot", "liku-1"),
                         ("robot", "liku-2"), ("runner", "main")):  # fmt: skip
        site.add_device(role, device)
    site.broker.start()
    yield site
    site.broker.stop()
    central.broker.stop()


def connect(site: Site, clients: list[Client], role: str, device: str) -> Client:
    client = Client(site.login(role, device))
    clients.append(client)
    assert client.connect_result == "Success", f"{role} {device}: {client.connect_result}"
    return client


def wait_for_bridge(client: Client) -> None:
    client.subscribe(topics.bridge_state(CENTER))
    state = (topics.bridge_state(CENTER), b"1")
    wait_for(lambda: state in client.received, 20, "the bridge to central")


def test_a_lan_device_without_a_login_or_with_a_wrong_one_is_refused(
    site: Site, clients: list[Client]
) -> None:
    anonymous = Client(BrokerAddress("127.0.0.1", site.port))
    guess = Client(BrokerAddress("127.0.0.1", site.port, "kiosk.kiosk-1", "guess"))
    clients += [anonymous, guess]
    assert anonymous.connect_result == guess.connect_result == "Not authorized"


def test_only_centrals_bridge_can_publish_a_kiosks_ack(site: Site, clients: list[Client]) -> None:
    kiosk_1 = connect(site, clients, "kiosk", "kiosk-1")
    wait_for_bridge(kiosk_1)
    ack_topic = topics.sync_ack(CENTER, "kiosk-1")
    kiosk_1.subscribe(ack_topic)
    forgers = [connect(site, clients, *who) for who in
               (("kiosk", "kiosk-2"), ("robot", "liku-1"), ("runner", "main"))]  # fmt: skip
    for forger in [*forgers, kiosk_1]:  # not even the kiosk itself
        forger.publish(ack_topic, b"forged ack")
    intake = Client(site.central.intake_address)
    clients.append(intake)
    intake.publish(ack_topic, b"central's ack")
    wait_for(lambda: (ack_topic, b"central's ack") in kiosk_1.received, 10, "central's ack")
    time.sleep(SETTLE_SECONDS)
    assert [payload for topic, payload in kiosk_1.received if topic == ack_topic] == [
        b"central's ack"
    ]


def test_a_kiosk_cannot_send_another_kiosks_batch_nor_read_its_acks(
    site: Site, clients: list[Client]
) -> None:
    intake = Client(site.central.intake_address)
    clients.append(intake)
    intake.subscribe(topics.every_center(topics.Kind.SYNC_BATCH))
    kiosk_1 = connect(site, clients, "kiosk", "kiosk-1")
    kiosk_2 = connect(site, clients, "kiosk", "kiosk-2")
    wait_for_bridge(kiosk_2)
    kiosk_2.subscribe(topics.sync_ack(CENTER, "kiosk-1"))
    kiosk_2.subscribe(f"sarangbang/v1/centers/{CENTER}/sync/#")
    kiosk_2.publish(topics.sync_batch(CENTER, "kiosk-1"), b"batch ahead of kiosk-1's numbering")
    kiosk_1.publish(topics.sync_batch(CENTER, "kiosk-1"), b"kiosk-1's own batch")
    wait_for(lambda: intake.received, 10, "kiosk-1's batch at central")
    intake.publish(topics.sync_ack(CENTER, "kiosk-1"), b"ack for kiosk-1")
    time.sleep(SETTLE_SECONDS)
    assert intake.received == [(topics.sync_batch(CENTER, "kiosk-1"), b"kiosk-1's own batch")]
    assert not [m for m in kiosk_2.received if "/sync/" in m[0]]


def test_robots_take_only_their_own_commands_and_only_the_runner_gives_them(
    site: Site, clients: list[Client]
) -> None:
    liku_1 = connect(site, clients, "robot", "liku-1")
    liku_1.subscribe(topics.robot_cmd(CENTER, "liku-1"))
    liku_1.subscribe(topics.robot_cmd(CENTER, "liku-2"))  # granted, but nothing arrives
    liku_2 = connect(site, clients, "robot", "liku-2")
    kiosk = connect(site, clients, "kiosk", "kiosk-1")
    runner = connect(site, clients, "runner", "main")
    for sender in (liku_2, kiosk):
        sender.publish(topics.robot_cmd(CENTER, "liku-1"), b"forged command")
    liku_2.publish(topics.robot_status(CENTER, "liku-1"), b"forged status", retain=True)
    runner.publish(topics.robot_cmd(CENTER, "liku-1"), b"runner's command")
    runner.publish(topics.robot_cmd(CENTER, "liku-2"), b"for liku-2")
    time.sleep(SETTLE_SECONDS)
    assert liku_1.received == [(topics.robot_cmd(CENTER, "liku-1"), b"runner's command")]
    runner.subscribe(topics.robot_status(CENTER, "liku-1"))
    time.sleep(SETTLE_SECONDS)
    assert not runner.received  # the forged retained status was never stored


def test_a_removed_device_is_dropped_and_can_no_longer_log_in(
    site: Site, clients: list[Client]
) -> None:
    address = site.login("kiosk", "kiosk-2")
    connected = connect(site, clients, "kiosk", "kiosk-2")
    remove(site.directory / "config", "kiosk", "kiosk-2")
    assert site.broker.process
    site.broker.process.send_signal(signal.SIGHUP)  # `systemctl reload mosquitto`
    wait_for(lambda: not connected.client.is_connected(), 10, "the open connection dropped")
    late = Client(address)
    clients.append(late)
    assert late.connect_result == "Not authorized"


def test_the_acl_lets_no_site_user_publish_what_central_sends() -> None:
    """But for the retainer, which may republish (retained) the roster, the schedule and
    the library offer behind a plain bridge, and nothing else (test_site_retainer.py)."""
    devices = [("kiosk", "k"), ("robot", "r"), ("runner", "main"), ("keeper", "main"),
               ("observer", "o"), ("retainer", "main")]  # fmt: skip
    acl = site_acl(CENTER, devices)
    users = acl.split("\nuser ")[1:]
    writable = {
        user.split("\n", 1)[0]: re.findall(r"^topic (?:write|readwrite) (\S+)$", user, re.M)
        for user in users
    }
    root = f"sarangbang/v1/centers/{CENTER}"
    retained = [f"{root}/{topic}" for topic in ("roster", "schedule", "library/offer")]
    assert writable.pop("retainer.main") == retained
    for central_topic in ("sync/+/ack", "roster", "schedule", "library/offer", "bridge/state"):
        for user, topics_ in writable.items():
            assert not [t for t in topics_ if t.endswith(central_topic)], (user, central_topic)
    every = [t for topics_ in writable.values() for t in topics_]
    assert not [t for t in every if t.endswith("#") and "/classes/" not in t]


def test_batches_fit_every_limit_on_the_way() -> None:
    """The agent's byte cap, central's limit and the brokers' packet limit stay in order."""
    for conf in ("site.conf.in", "central.conf.in"):
        text = (DEPLOY / "mosquitto" / conf).read_text()
        found = re.search(r"^max_packet_size (\d+)$", text, re.MULTILINE)
        assert found, f"{conf} sets no max_packet_size"
        assert MAX_SEND_BYTES * 1.5 < MAX_BATCH_BYTES < int(found.group(1)), conf


def test_deploy_snippets_leave_debians_stock_settings_alone() -> None:
    """Debian's mosquitto.conf sets these and includes conf.d; a snippet repeating them
    stops Mosquitto ("Duplicate persistence_location"), and an include_dir inside an
    included file is silently ignored (the bridge would never start)."""
    for conf in ("site.conf.in", "site-bridge.conf.in", "central.conf.in"):
        text = (DEPLOY / "mosquitto" / conf).read_text()
        for setting in ("persistence_location", "persistence ", "include_dir", "pid_file"):
            assert not re.search(rf"^{setting}", text, re.MULTILINE), f"{conf}: {setting}"


def test_a_kiosk_reaches_the_runner_only_as_itself(site: Site, clients: list[Client]) -> None:
    runner = connect(site, clients, "runner", "main")
    runner.subscribe(topics.help_calls(CENTER))
    runner.subscribe(f"sarangbang/v1/centers/{CENTER}/kiosks/+/class")
    runner.publish(topics.class_state(CENTER, "morning"), b"class state", retain=True)
    kiosk_1 = connect(site, clients, "kiosk", "kiosk-1")
    kiosk_1.subscribe(topics.class_state_subscription(CENTER))
    kiosk_2 = connect(site, clients, "kiosk", "kiosk-2")
    kiosk_1.publish(topics.kiosk_class(CENTER, "kiosk-1"), b"kiosk-1 joined")
    kiosk_1.publish(topics.help_calls(CENTER), b"help at kiosk-1")
    kiosk_2.publish(topics.kiosk_class(CENTER, "kiosk-1"), b"forged: kiosk-1 left")
    kiosk_2.publish(topics.class_state(CENTER, "morning"), b"forged class state", retain=True)
    time.sleep(SETTLE_SECONDS)
    assert sorted(payload for _, payload in runner.received) == [
        b"help at kiosk-1",
        b"kiosk-1 joined",
    ]
    assert [payload for _, payload in kiosk_1.received] == [b"class state"]


def test_a_retained_event_or_command_is_not_taken_again_by_later_subscribers(
    site: Site, clients: list[Client]
) -> None:
    """Mosquitto's ACL cannot refuse the retain flag: a kiosk can leave a help call, a robot
    an event, a runner a stop on the broker, which every reader would take again each time
    it subscribes (the runner sending a robot to the kiosk after every reconnect). Readers
    drop a retained copy on a topic that is never retained, and keep real retained ones."""
    kiosk = connect(site, clients, "kiosk", "kiosk-1")
    robot = connect(site, clients, "robot", "liku-1")
    runner = connect(site, clients, "runner", "main")
    help_call = b'{"v":1,"kiosk":"kiosk-1","class_id":"morning","step_index":2}'
    kiosk.publish(topics.help_calls(CENTER), help_call, retain=True)
    kiosk.publish(topics.kiosk_class(CENTER, "kiosk-1"), b'{"v":1,"kind":"left"}', retain=True)
    robot.publish(
        topics.robot_events(CENTER, "liku-1"), b'{"v":1,"id":"c-1","event":"done"}', retain=True
    )
    robot.publish(topics.robot_status(CENTER, "liku-1"), b'{"v":1,"state":"online"}', retain=True)
    runner.publish(topics.center_estop(CENTER), b'{"v":1,"id":"stop-1"}', retain=True)
    runner.publish(topics.robot_cmd(CENTER, "liku-1"), b'{"v":1,"id":"c-9"}', retain=True)
    later_runner = MqttLink(
        site.login("runner", "main"), "runner-later",
        [(t, 1) for t in topics.runner_subscriptions(CENTER)],
    )  # fmt: skip
    later_robot = MqttLink(
        site.login("robot", "liku-1"), "robot-later",
        [(t, 1) for t in topics.robot_subscriptions(CENTER, "liku-1")],
    )  # fmt: skip
    for link in (later_runner, later_robot):
        link.start()
    try:
        assert later_runner.connected.wait(10) and later_robot.connected.wait(10)
        time.sleep(SETTLE_SECONDS * 2)
        runner_got = [later_runner.inbox.get_nowait()[0] for _ in range(later_runner.inbox.qsize())]
        robot_got = later_robot.inbox.qsize()
    finally:
        later_runner.stop()
        later_robot.stop()
    assert runner_got == [topics.robot_status(CENTER, "liku-1")]  # retained by design
    assert robot_got == 0


def test_a_device_cannot_knock_another_off_by_taking_its_client_id(
    site: Site, clients: list[Client]
) -> None:
    """Mosquitto drops a client when another connects with the same client id (and its last
    will says it is offline). Our programs' ids used to be guessable from the center and the
    device (`sarangbang-bridge-{center}`); with a login they end in a secret derived from
    the password, so a kiosk's login cannot name the runner's or a robot's connection."""
    runner = MqttLink(site.login("runner", "main"), f"sarangbang-bridge-{CENTER}", [])
    robot = MqttLink(site.login("robot", "liku-1"), f"sarangbang-robot-{CENTER}-liku-1", [])
    drops: list[str] = []
    for link, name in ((runner, "runner"), (robot, "robot")):
        link.client.on_disconnect = lambda *_, name=name: drops.append(name)  # type: ignore[misc]
        link.start()
    try:
        assert runner.connected.wait(10) and robot.connected.wait(10)
        for stolen in (f"sarangbang-bridge-{CENTER}", f"sarangbang-robot-{CENTER}-liku-1"):
            thief = Client(site.login("kiosk", "kiosk-1"), stolen)
            clients.append(thief)
            assert thief.connect_result == "Success"
        time.sleep(SETTLE_SECONDS)
        dropped = list(drops)
    finally:
        runner.stop()
        robot.stop()
    assert dropped == []
