"""A small city whose central broker is the three-node NATS cluster (nats_cluster.py): two
centers' site Mosquittos bridged to every node (the real site-bridge.conf.in), two kiosks
each with its sync agent, and central's intake, all real processes; and nodes killed with
SIGKILL while events flow. For test_central_cluster.py and bench/broker_failover.py."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

from kiosk_app.storage.store import Store
from tests import waiting
from tests.deploy.city import Site, make_tls, spawn_agent, spawn_intake, stop
from tests.deploy.nats_cluster import NODES, NatsCentral
from tests.deploy.test_city_sync import central_counts
from tests.progress_events import walk

CENTERS = ("gangnam-1", "mapo-2")
KIOSKS = ("kiosk-1", "kiosk-2")
BACKLOG_LEARNERS = 4  # walks per kiosk recorded just before a kill: batches on their way
DOWN_SECONDS = 2.0  # the killed node is started again after this (systemd's restart)
WAIT_SECONDS = 60.0  # for anything to reach central


class FailoverCity:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.cluster = NatsCentral(directory / "central", make_tls(directory / "tls"))
        self.cluster.start()
        self.sites = [Site(center, directory / center, self.cluster) for center in CENTERS]
        for site in self.sites:
            site.broker.start()
        configs = [site.kiosk_config(kiosk) for site in self.sites for kiosk in KIOSKS]
        self.stores = [
            Store.open(c.parent / f"{c.stem}-data" / "kiosk.db", c.stem) for c in configs
        ]
        self.db_path = directory / "central.db"
        self.processes = [spawn_intake(self.cluster, self.db_path, directory / "intake.log")]
        self.processes += [
            spawn_agent(config, directory / f"agent-{n}.log") for n, config in enumerate(configs)
        ]
        self.rounds = 0

    def close(self) -> None:
        for process in self.processes:
            stop(process)
        for site in self.sites:
            site.broker.stop()
        self.cluster.stop()

    def record(self, prefix: str, learners: int) -> None:
        """Walks at every kiosk (about 17 events each), as learners make them."""
        for k, store in enumerate(self.stores):
            for n in range(learners):
                store.record(walk(f"{prefix}-{k}-{n}", wrong_taps=n % 2))

    def time_to_flow(self, prefix: str, since: float | None = None) -> float:
        """Record a walk at every kiosk; seconds (from `since`, default now) until every
        kiosk's outbox is acknowledged past it: stored at central and answered."""
        start = time.monotonic() if since is None else since
        marks = [
            (store, store.record(walk(f"{prefix}-{k}"))) for k, store in enumerate(self.stores)
        ]
        waiting.wait_for(
            lambda: all(store.status().synced_up_to >= seq for store, seq in marks),
            WAIT_SECONDS,
            f"events recorded {prefix} to reach central",
        )
        return time.monotonic() - start

    def warm_up(self) -> float:
        """First sync, then how long a backlog and a walk take with no node killed."""
        self.record("warm", 1)
        self.wait_drained()
        self.record("calm", BACKLOG_LEARNERS)
        return self.time_to_flow("calm-probe")

    def kill_round(self, rng: random.Random) -> float:
        """A backlog on its way, a node (each in turn) SIGKILLed at a random moment and
        started again DOWN_SECONDS later: seconds from the kill until events flow again."""
        n, self.rounds = self.rounds, self.rounds + 1
        self.record(f"busy{n}", BACKLOG_LEARNERS)
        time.sleep(rng.uniform(0.0, 1.0))
        victim = NODES[n % len(NODES)]
        self.cluster.kill(victim)
        killed = time.monotonic()
        comeback = threading.Timer(DOWN_SECONDS, self.cluster.start, args=(victim,))
        comeback.start()
        try:
            return self.time_to_flow(f"probe{n}", since=killed)
        finally:
            comeback.join()

    def wait_drained(self) -> None:
        waiting.wait_for(
            lambda: all(store.status().unsynced == 0 for store in self.stores),
            WAIT_SECONDS,
            "every outbox acknowledged",
        )

    def counts(self) -> tuple[int, int, int]:
        """(events the kiosks recorded, rows in central's events, distinct ids there)."""
        produced = sum(store.status().events for store in self.stores)
        return (produced, *central_counts(self.db_path))
