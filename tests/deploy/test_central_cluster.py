"""Central's broker as a three-node NATS cluster (docs/central-cluster.md): two centers'
site brokers bridged to every node over TLS (deploy/mosquitto/site-bridge.conf.in), kiosks'
sync agents and central's intake as real processes, and one node killed with SIGKILL at a
random moment while events flow, then started again, round after round. Nothing may be lost
or stored twice, and the test prints how long events stopped flowing after each kill
(more rounds: bench/broker_failover.py). And the route port: a nats-server without the
cluster's route login, or without a certificate of central's CA, cannot join the cluster."""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.city import make_tls
from tests.deploy.failover import FailoverCity
from tests.deploy.nats_cluster import NODES, NatsCentral
from tests.deploy.test_city_sync import assert_summaries_match_events

ROUNDS = 3  # each node killed once: intake's, the bridges'
# A kill to the first event recorded after it being stored at central and acknowledged.
# What it is made of (measured, docs/central-cluster.md): the bridges and intake reconnect
# to another node within 1–3 s, but nats-server 2.9.10 serves an MQTT CONNECT and a QoS 1
# PUBLISH with JetStream requests that wait up to 4 s each (no setting in 2.9) while the
# dead node's stream and consumer leaders are elected again: a client may be refused on
# the next node too, and try the one after.
RECOVERY_SECONDS = 30.0
JOIN_SECONDS = 15.0  # a route retries every second; the stranger that may join does in ~1 s
# Three nats-servers, two Mosquittos, intake and four agents, timed by the wall clock: with
# nothing beside it (make test runs `alone` tests after the parallel part). ~45 s.
pytestmark = pytest.mark.alone


@pytest.fixture
def city(tmp_path: Path) -> Iterator[FailoverCity]:
    made = FailoverCity(tmp_path)
    yield made
    made.close()


def test_a_node_killed_while_events_flow_loses_nothing_and_counts_nothing_twice(
    city: FailoverCity,
) -> None:
    rng = random.Random()
    baseline = city.warm_up()
    recoveries = [city.kill_round(rng) for _ in range(ROUNDS)]
    city.wait_drained()
    print(f"\nevents flowing again after a node's SIGKILL: "
          f"{', '.join(f'{r:.1f}' for r in recoveries)} s "
          f"(with no node killed: {baseline:.1f} s)")  # fmt: skip
    produced, stored, distinct = city.counts()
    assert stored == distinct == produced  # nothing lost, nothing stored twice
    assert_summaries_match_events(city.db_path)
    assert max(recoveries) <= RECOVERY_SECONDS


@pytest.fixture
def central(tmp_path: Path) -> Iterator[NatsCentral]:
    made = NatsCentral(tmp_path / "central", make_tls(tmp_path / "tls"))
    yield made
    made.stop()


def test_only_a_server_with_the_route_login_and_certificate_joins(
    central: NatsCentral, tmp_path: Path
) -> None:
    central.start()
    nodes = {name: str(central.monitor(name, "varz")["server_id"]) for name in NODES}
    # another CA's certificate, from a stranger that trusts central's CA (so it is the
    # nodes that must refuse it, not the stranger that gives up)
    foreign = make_tls(tmp_path / "foreign")
    shutil.copy(central.tls_dir / "ca.crt", foreign / "ca.crt")
    login = central.route_login
    central.start_stranger("no-login", central.tls_dir, None)
    central.start_stranger("foreign-cert", foreign, login)
    refusals = (  # what each node logs on refusing them, in that order
        "authentication error",
        "TLS route handshake error: tls: failed to verify client certificate",
    )
    # what a fourth node would have: shows that a stranger had the time to join
    welcome = central.start_stranger("with-both", central.tls_dir, login)
    deadline = time.monotonic() + JOIN_SECONDS
    while time.monotonic() < deadline and not all(
        welcome in central.route_ids(name) and all(why in central.log(name) for why in refusals)
        for name in NODES
    ):
        time.sleep(0.2)
    for name, server_id in nodes.items():
        others = {other for other in nodes.values() if other != server_id}
        assert central.route_ids(name) == others | {welcome}, central.log(name)
        for why in refusals:
            assert why in central.log(name)
    for stranger in ("no-login", "foreign-cert"):
        assert central.route_ids(stranger) == set(), central.log(stranger)
    assert login.password not in "".join(central.log(n) for n in central.processes)
