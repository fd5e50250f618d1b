"""Sync through the real deploy/ path: site brokers bridged over TLS to a central broker
with per-center passwords and ACLs, agents and intake as real processes."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from central.database import open_database
from kiosk_app.storage.store import Store
from tests import waiting
from tests.deploy.city import Central, Site, make_tls, spawn_agent, spawn_intake, stop
from tests.progress_events import walk

DRAIN_SECONDS = 60.0  # a whole outbox through two brokers, a bridge and intake


def wait_for(condition: Callable[[], bool], what: str) -> None:
    waiting.wait_for(condition, DRAIN_SECONDS, what)


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    c = Central(tmp_path / "central", make_tls(tmp_path / "tls"))
    c.broker.start()
    yield c
    c.broker.stop()


def open_site(central: Central, tmp_path: Path, center: str) -> Site:
    site = Site(center, tmp_path / center, central)
    site.broker.start()
    return site


def record_walks(store: Store, learners: int, prefix: str) -> int:
    count = 0
    for n in range(learners):
        events = walk(f"{prefix}-{n}", wrong_taps=n % 2, help_calls=n % 3 == 0)
        store.record(events)
        count += len(events)
    return count


def central_counts(db_path: Path) -> tuple[int, int]:
    db = open_database(db_path)
    try:
        rows = db.execute("select count(*), count(distinct id) from events").fetchone()
        return int(rows[0]), int(rows[1])
    finally:
        db.close()


def test_outage_at_central_loses_nothing_and_counts_nothing_twice(
    central: Central, tmp_path: Path
) -> None:
    sites = [open_site(central, tmp_path, c) for c in ("gangnam-1", "mapo-2")]
    kiosks = [(site, k) for site in sites for k in ("kiosk-1", "kiosk-2")]
    configs = {(s.center, k): s.kiosk_config(k) for s, k in kiosks}
    stores = {
        key: Store.open(cfg.parent / f"{key[1]}-data" / "kiosk.db", key[1])
        for key, cfg in configs.items()
    }
    produced = sum(record_walks(store, 5, "-".join(key)) for key, store in stores.items())
    db_path = tmp_path / "central.db"
    processes = [spawn_intake(central, db_path, tmp_path / "intake.log")]
    processes += [
        spawn_agent(cfg, tmp_path / f"agent-{k[0]}-{k[1]}.log") for k, cfg in configs.items()
    ]
    try:
        wait_for(lambda: central_counts(db_path)[0] == produced, what="first sync")
        central.broker.stop(hold_ports=True)  # the city's broker goes away; kiosks keep teaching
        produced += sum(record_walks(s, 5, f"offline-{k[0]}{k[1]}") for k, s in stores.items())
        time.sleep(2)
        assert all(s.status().unsynced > 0 for s in stores.values())
        central.broker.start()
        wait_for(
            lambda: all(s.status().unsynced == 0 for s in stores.values()), what="outboxes empty"
        )
        assert central_counts(db_path) == (produced, produced)
    finally:
        for process in processes:
            stop(process)
        for site in sites:
            site.broker.stop()
    assert_summaries_match_events(db_path)


def assert_summaries_match_events(db_path: Path) -> None:
    """Counting twice would show as summaries larger than the stored events say."""
    db = open_database(db_path)
    from_events = db.execute(
        "select center, learner_id, lesson_id, sum(kind = 'lesson_started'), "
        "sum(kind = 'practice_attempt'), sum(kind = 'help_requested') from events "
        "group by 1, 2, 3 order by 1, 2, 3"
    ).fetchall()
    summaries = db.execute(
        "select center, learner_id, lesson_id, started, attempts, help_calls "
        "from lesson_summary order by 1, 2, 3"
    ).fetchall()
    db.close()
    assert from_events == summaries


@pytest.mark.parametrize("victim", ["agent", "intake"])
def test_kill_9_mid_batch_loses_nothing(central: Central, tmp_path: Path, victim: str) -> None:
    site = open_site(central, tmp_path, "gangnam-1")
    config = site.kiosk_config("kiosk-1")
    store = Store.open(config.parent / "kiosk-1-data" / "kiosk.db", "kiosk-1")
    produced = record_walks(store, 600, "kim")  # ~17,000 events: many batches to cut into
    db_path = tmp_path / "central.db"
    rng = random.Random(7)
    agent = spawn_agent(config, tmp_path / "agent.log")
    intake = spawn_intake(central, db_path, tmp_path / "intake.log")
    kills = 0
    try:
        for _ in range(5):
            time.sleep(rng.uniform(0.2, 0.6))
            if store.status().unsynced == 0:
                break
            if victim == "agent":
                stop(agent, kill=True)
                agent = spawn_agent(config, tmp_path / "agent.log")
            else:
                stop(intake, kill=True)
                intake = spawn_intake(central, db_path, tmp_path / "intake.log")
            kills += 1
        wait_for(lambda: store.status().unsynced == 0, what="outbox empty")
        assert central_counts(db_path) == (produced, produced)
    finally:
        stop(agent)
        stop(intake)
        site.broker.stop()
    assert kills >= 2, "the drain finished before the test could cut into it"
    assert_summaries_match_events(db_path)


# The brief's target: a week offline (50,000 events) drains within seconds of the link
# returning. The outage is long enough that every reconnect backoff (the bridge's, the
# agent's, intake's) has grown to its cap before central comes back.
WEEK_OFFLINE_EVENTS = 50_000
OUTAGE_SECONDS = 30.0
# Central's return to the first events marked synced: the bridge's retry (≤ 3 s), intake's
# reconnect (≤ 2 s), the agent's resend at once and again 2.5 s later (what reaches central
# before intake is back is lost there). Before: the bridge's backoff grew to 30 s, intake's
# to 5 s and the agent's to 60 s; measured 10.7 s.
STALL_AFTER_OUTAGE_SECONDS = 6.0
DRAIN_AFTER_OUTAGE_SECONDS = 15.0


def record_events(store: Store, count: int, prefix: str) -> int:
    recorded, n = 0, 0
    while recorded < count:
        events = walk(f"{prefix}-{n}", wrong_taps=n % 3, help_calls=n % 5 == 0)
        store.record(events)
        recorded += len(events)
        n += 1
    return recorded


def test_week_backlog_drains_promptly_when_central_returns(
    central: Central, tmp_path: Path
) -> None:
    site = open_site(central, tmp_path, "gangnam-1")
    config = site.kiosk_config("kiosk-1")
    store = Store.open(config.parent / "kiosk-1-data" / "kiosk.db", "kiosk-1")
    produced = record_walks(store, 2, "warm")
    db_path = tmp_path / "central.db"
    intake = spawn_intake(central, db_path, tmp_path / "intake.log")
    agent = spawn_agent(config, tmp_path / "agent.log")
    try:
        wait_for(lambda: store.status().unsynced == 0, what="first sync")
        central.broker.stop(hold_ports=True)
        outage_began = time.monotonic()
        produced += record_events(store, WEEK_OFFLINE_EVENTS, "offline")
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - outage_began)))
        mark = store.status().synced_up_to
        central.broker.start()
        returned = time.monotonic()
        wait_for(lambda: store.status().synced_up_to > mark, what="first progress")
        stalled = time.monotonic() - returned
        wait_for(lambda: store.status().unsynced == 0, what="backlog drained")
        drained = time.monotonic() - returned
        rate = WEEK_OFFLINE_EVENTS / (drained - stalled)
        print(f"\n{WEEK_OFFLINE_EVENTS:,} events after a {OUTAGE_SECONDS:g} s outage: first "
              f"progress {stalled:.1f} s, drained {drained:.1f} s after central returned "
              f"({rate:,.0f} events/s once moving)")  # fmt: skip
        assert central_counts(db_path) == (produced, produced)
        assert stalled <= STALL_AFTER_OUTAGE_SECONDS
        assert drained <= DRAIN_AFTER_OUTAGE_SECONDS
    finally:
        stop(agent)
        stop(intake)
        site.broker.stop()
