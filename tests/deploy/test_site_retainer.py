"""The site's retainer (robot_bridge/link/retainer.py, sarangbang-site-retainer) behind the
plain bridge a center has towards a cluster of central nodes (docs/central-cluster.md,
"Retained messages through a plain bridge").

A real central Mosquitto (TLS, passwords, ACL from deploy/) and a real site Mosquitto bridged
to it with the bridge install-center renders for a cluster: two central addresses, so
`try_private false`, plain MQTT 3.1.1 (the second address is never reached: the bridge stays
on the first). Central has published version 1 of the roster, the schedule and the library
offer, retained, before the site starts: the bridge's subscription brings them in retained.
Then central publishes version 2 while the bridge is up, and later clears the schedule (an
empty retained message). A program that subscribes at the site afterwards must get version
2, retained, and no schedule. Without the retainer it gets version 1: the stale copy.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from deploy.site_users import RETAINER_TOPICS, needs_retainer, site_acl
from robot_bridge.link.mqtt_link import BrokerAddress
from robot_bridge.link.retainer import Retainer, decide, subscriptions
from robot_bridge.protocol import topics
from tests.deploy.acl_client import Client
from tests.deploy.city import DEPLOY, Central, Site, make_tls
from tests.mosquitto import free_port
from tests.waiting import wait_for

CENTER = "mapo-2"
ROSTER, SCHEDULE, OFFER = subscriptions(CENTER)
SETTLE_SECONDS = 1.0  # for a message that must not come (a loop, a copy sent back) not to
V1 = {ROSTER: b'{"v":1,"roster":1}', SCHEDULE: b'{"v":1,"schedule":1}', OFFER: b'{"offer":1}'}
# not JSON, not UTF-8, every byte value: the retainer passes it on without looking
BINARY = bytes(range(256)) + b"\xff\xfe\x00 not json"
V2 = {ROSTER: b'{"v":1,"roster":2}', SCHEDULE: b'{"v":1,"schedule":2}', OFFER: BINARY}
V3_ROSTER = b'{"v":1,"roster":3}'


class Recorder(Client):
    """A client that records each message with its retain flag."""

    def __init__(self, address: BrokerAddress) -> None:
        self.messages: list[tuple[str, bytes, bool]] = []
        super().__init__(address)
        self.client.on_message = self._record

    def _record(self, _c: object, _u: object, message: mqtt.MQTTMessage) -> None:
        self.messages.append((message.topic, bytes(message.payload), bool(message.retain)))

    def take(self, *names: str) -> Recorder:
        for name in names:
            assert self.subscribe(name) == [1], name
        return self


@dataclass
class City:
    central: Central
    site: Site
    clients: list[Client]

    def site_client(self, name: str) -> Recorder:
        """A late program at the site (an operator's observer login)."""
        return self.keep(Recorder(self.site.login("observer", name)))

    def central_client(self) -> Recorder:
        return self.keep(Recorder(self.central.intake_address))

    def keep(self, client: Recorder) -> Recorder:
        assert client.connect_result == "Success"
        self.clients.append(client)
        return client

    def kept_at_site(self, name: str) -> dict[str, tuple[bytes, bool]]:
        """What a program subscribing at the site now gets: {topic: (payload, retained)}."""
        late = self.site_client(name).take(ROSTER, SCHEDULE, OFFER)
        time.sleep(SETTLE_SECONDS)  # the broker sends kept copies at once; wait for all
        return {topic: (payload, retained) for topic, payload, retained in late.messages}


@pytest.fixture
def city(tmp_path: Path) -> Iterator[City]:
    central = Central(tmp_path / "central", make_tls(tmp_path / "tls"))
    central.broker.start()
    clients: list[Client] = []
    intake = Recorder(central.intake_address)
    clients.append(intake)
    for topic, payload in V1.items():  # before the site's bridge ever subscribed
        intake.publish(topic, payload, retain=True)
    # a cluster's bridge: several central addresses make it plain, as install-center does
    addresses = f"{central.bridge_addresses} localhost:{free_port()}"
    assert needs_retainer(addresses.split())
    site = Site(CENTER, tmp_path / CENTER, central, bridge_addresses=addresses)
    bridge = (site.directory / "conf.d" / "sarangbang-bridge.conf").read_text()
    assert "\ntry_private false\n" in bridge
    site.broker.start()
    city = City(central, site, clients)
    try:
        # the bridge's subscription reached central: version 1 came in with it, retained
        probe = city.site_client("probe").take(ROSTER, SCHEDULE, OFFER)
        wait_for(lambda: len(probe.messages) == 3, 20, "version 1 over the bridge")
        assert sorted(probe.messages) == sorted((t, p, True) for t, p in V1.items())
        yield city
    finally:
        for client in clients:
            client.close()
        site.broker.stop()
        central.broker.stop()


def publish_version_2_and_clear_the_schedule(city: City, retainer: Retainer | None) -> None:
    """Central publishes version 2 of all three, retained, while the bridge is up: they
    cross it as ordinary messages (a program already subscribed at the site sees them
    without the flag); then a late program looks."""
    live = city.site_client("live").take(ROSTER, SCHEDULE, OFFER)
    intake = city.clients[0]
    for topic, payload in V2.items():
        intake.publish(topic, payload, retain=True)
    # version 1 kept (sent on subscribing), version 2 live: without the flag; with the
    # retainer each of version 2 twice, from the bridge and from the retainer (receivers
    # take a repeated roster, schedule or offer as they do after each reconnect)
    copies = 2 if retainer else 1
    expected = sorted(
        [*((t, p, True) for t, p in V1.items()), *((t, p, False) for t, p in V2.items())]
        + [(t, p, False) for t, p in V2.items()] * (copies - 1)
    )
    wait_for(lambda: len(live.messages) == len(expected), 10, "version 2 over the bridge")
    assert sorted(live.messages) == expected
    if retainer:
        wait_for(lambda: retainer.republished == 3, 10, "the retainer's three copies")


def test_without_the_retainer_a_late_program_gets_the_stale_version(city: City) -> None:
    """The need: nothing republishes, the site broker keeps what the bridge's subscription
    brought (version 1), and central clearing the schedule does not clear it at the site."""
    publish_version_2_and_clear_the_schedule(city, None)
    assert city.kept_at_site("late-1") == {topic: (payload, True) for topic, payload in V1.items()}
    city.clients[0].publish(SCHEDULE, b"", retain=True)
    time.sleep(SETTLE_SECONDS)
    assert city.kept_at_site("late-2")[SCHEDULE] == (V1[SCHEDULE], True)


def test_with_the_retainer_a_late_program_gets_the_latest_version_retained(city: City) -> None:
    central_watch = city.central_client().take(ROSTER, SCHEDULE, OFFER)
    retainer = Retainer(city.site.login("retainer", "main"), CENTER)
    retainer.start()
    try:
        assert retainer.connected.wait(10), "the retainer's login and subscriptions"
        # on subscribing it got the kept version 1, retained: left alone
        wait_for(lambda: retainer.passed_over == 3, 10, "the kept copies at subscription")
        assert retainer.republished == 0

        publish_version_2_and_clear_the_schedule(city, retainer)
        kept = city.kept_at_site("late-1")
        assert kept == {topic: (payload, True) for topic, payload in V2.items()}
        assert kept[OFFER][0] == BINARY  # byte for byte

        city.clients[0].publish(SCHEDULE, b"", retain=True)  # central clears the schedule
        wait_for(lambda: retainer.republished == 4, 10, "the retainer clearing the schedule")
        kept = city.kept_at_site("late-2")
        assert kept == {ROSTER: (V2[ROSTER], True), OFFER: (V2[OFFER], True)}

        time.sleep(SETTLE_SECONDS)
        # no loop: with no_local its own copies never came back to it as live messages
        assert (retainer.republished, retainer.passed_over) == (4, 3)
    finally:
        retainer.stop()

    # stopped (a restart), its session waits on the site broker: what comes meanwhile is
    # republished when it is back
    watch = city.site_client("watch").take(ROSTER)
    city.clients[0].publish(ROSTER, V3_ROSTER, retain=True)
    wait_for(lambda: (ROSTER, V3_ROSTER, False) in watch.messages, 10, "version 3 at the site")
    again = Retainer(city.site.login("retainer", "main"), CENTER)
    again.start()
    try:
        wait_for(lambda: again.republished == 1, 10, "version 3 from its session")
        assert city.kept_at_site("late-3")[ROSTER] == (V3_ROSTER, True)
    finally:
        again.stop()

    # nothing it published went back over the bridge: central saw only its own messages
    assert central_watch.messages == [
        *((topic, payload, True) for topic, payload in V1.items()),  # kept, on subscribing
        *((topic, payload, False) for topic, payload in V2.items()),
        (SCHEDULE, b"", False),
        (ROSTER, V3_ROSTER, False),
    ]
    at_central = city.central_client().take(ROSTER, SCHEDULE, OFFER)
    time.sleep(SETTLE_SECONDS)
    assert sorted(at_central.messages) == sorted(
        [(ROSTER, V3_ROSTER, True), (OFFER, V2[OFFER], True)]
    )


def test_the_rule_republishes_only_live_copies_of_its_own_topics() -> None:
    kept = frozenset(subscriptions(CENTER))
    assert decide(ROSTER, b"x", retain=False, kept=kept) is not None
    assert decide(ROSTER, b"x", retain=True, kept=kept) is None  # the broker's kept copy
    cleared = decide(SCHEDULE, b"", retain=False, kept=kept)
    assert cleared is not None and cleared.payload == b""  # republished empty: clears it
    assert decide(topics.help_calls(CENTER), b"x", retain=False, kept=kept) is None
    assert decide(OFFER, BINARY, retain=False, kept=kept) == decide(
        OFFER, BINARY, retain=False, kept=kept
    )


def test_only_the_retainer_may_republish_them_and_the_bridge_never_sends_them_back() -> None:
    acl = site_acl(CENTER, [("retainer", "main"), ("kiosk", "k"), ("keeper", "main")])
    retainer = acl.split("\nuser retainer.main\n", 1)[1].split("\n\n", 1)[0].splitlines()
    root = f"sarangbang/v1/centers/{CENTER}"
    assert retainer == [f"topic readwrite {root}/{topic}" for topic in RETAINER_TOPICS]
    assert [f"{root}/{topic}" for topic in RETAINER_TOPICS] == subscriptions(CENTER)
    bridge = (DEPLOY / "mosquitto" / "site-bridge.conf.in").read_text()
    for topic in RETAINER_TOPICS:
        lines = re.findall(rf"^topic {re.escape(topic)} (\w+) ", bridge, re.MULTILINE)
        assert lines == ["in"], f"{topic}: {lines}"
