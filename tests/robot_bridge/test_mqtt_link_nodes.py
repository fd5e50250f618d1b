"""An MqttLink given several nodes of a broker cluster (robot_bridge/link/mqtt_link.py):
it connects to the first that answers and moves to the next when its node dies. Two real
Mosquittos stand in for two nodes (the three-node NATS cluster: tests/deploy/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from robot_bridge.link.mqtt_link import BrokerAddress, LinkError, MqttLink
from tests.deploy.acl_client import Client
from tests.mosquitto import Broker, free_port
from tests.waiting import wait_for

TOPIC = "sarangbang/v1/centers/mapo-2/roster"


def test_one_address_is_read_as_before() -> None:
    address = BrokerAddress.parse("central.example.org:8883", ca_file=Path("ca.crt"))
    assert (address.host, address.port, address.more) == ("central.example.org", 8883, ())
    assert str(address) == "central.example.org:8883"


def test_several_addresses_are_the_nodes_in_order() -> None:
    address = BrokerAddress.parse("n1:8883, n2 ,n3:9883", ca_file=Path("ca.crt"))
    assert address.nodes == (("n1", 8883), ("n2", 8883), ("n3", 9883))
    assert str(address) == "n1:8883,n2:8883,n3:9883"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("n1:1883,", "has no host"),
        ("n1:1883,n2:x", "'x' in 'n1:1883,n2:x' is not a number"),
        ("n1:1883,n1:1883", "names a node twice"),
        ("n1:1883,n2:70000", "out of range"),
    ],
)
def test_a_bad_list_is_refused_clearly(text: str, problem: str) -> None:
    with pytest.raises(LinkError, match=problem):
        BrokerAddress.parse(text)


def test_the_link_moves_to_the_next_node_when_its_node_dies(tmp_path: Path) -> None:
    first, second = Broker(tmp_path / "a").start(), Broker(tmp_path / "b").start()
    down = f"127.0.0.1:{free_port()}"  # a node that is not there at all
    link = MqttLink(
        BrokerAddress.parse(f"{down},{first.address},{second.address}"), "node-test", [(TOPIC, 1)]
    )
    link.start()
    publisher: Client | None = None
    try:
        assert link.connected.wait(10), "never connected past the node that is down"
        assert link.node == first.address
        first.stop()  # the node the link is on dies
        wait_for(lambda: link.node == second.address and link.connected.is_set(), 15, "next node")
        publisher = Client(BrokerAddress.parse(second.address))
        publisher.publish(TOPIC, b"roster")
        assert link.inbox.get(timeout=5) == (TOPIC, b"roster")
    finally:
        link.stop()
        if publisher:
            publisher.close()
        second.stop()
    assert link.node == second.address, "stopping moved the link on"
