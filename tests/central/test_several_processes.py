"""Central as a city runs it: two intake processes and two dashboard processes on one
PostgreSQL. Every batch reaches both intakes (each subscribes on its own), replayed and
overlapping: every event is stored once and counted once. A browser moving between the two
dashboards (as behind a load balancer) keeps its session, its CSRF token and its lock-out."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from central.accounts import Role, create_user
from central.database import open_database
from central.db.url import STATE_ENV
from central.intake import store_batches
from central.roster import add_center
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import SyncBatch, encode
from tests.central.conftest import MIGRATED
from tests.central.test_database_url import summaries
from tests.central.test_intake import NOW, batches
from tests.mosquitto import Broker, free_port
from tests.postgres import PostgresServer
from tests.progress_events import walk
from tests.waiting import wait_for

PASSWORD = "correct horse battery"
KIOSKS = ("kiosk-1", "kiosk-2")
# "connected to" is logged when the subscription is asked for; Mosquitto answers it in
# well under this (a batch sent before would reach one intake only: still stored once)
SUBSCRIBE_SECONDS = 1.0
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def city(postgres: PostgresServer, tmp_path: Path) -> Iterator[str]:
    """A PostgreSQL database with a center and an admin (dropped after the test)."""
    url = postgres.new_database(template=MIGRATED)
    db = open_database(url)
    add_center(db, "gangnam-1", "강남 경로당")
    create_user(db, "admin", "관리자", Role.ADMIN, PASSWORD)
    db.close()
    yield url
    postgres.drop_database(url)


def spawn(url: str, state: Path, log: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, STATE_ENV: str(state), "PYTHONPATH": str(Path.cwd())}
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "central", "--db", url, *args],
            stdout=out, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip


def test_two_intakes_store_every_replayed_event_once(
    city: str, broker: Broker, tmp_path: Path
) -> None:
    intakes = [
        spawn(
            city,
            tmp_path,
            tmp_path / f"intake-{n}.log",
            "intake",
            "--broker",
            broker.address,
            "--worker-id",
            f"intake-{n}",
        )
        for n in (1, 2)
    ]
    kiosk = MqttLink(BrokerAddress.parse(broker.address), "kiosk", [])
    try:
        kiosk.start()
        assert kiosk.connected.wait(10)
        wait_for(lambda: _connected(tmp_path), timeout=60, what="both intakes connected")
        time.sleep(SUBSCRIBE_SECONDS)
        runs = {k: walk(f"kim-{k}", wrong_taps=1) + walk(f"lee-{k}", help_calls=1) for k in KIOSKS}
        sent = [
            _for(k, b) for k in KIOSKS for size in (2, 5, 500, 3) for b in batches(runs[k], size)
        ]
        for batch in sent + sent[::-1]:  # every run replayed, overlapping, in both orders
            kiosk.publish(topics.sync_batch(batch.center, batch.kiosk), encode(batch))
        total = sum(len(events) for events in runs.values())
        db = open_database(city)
        wait_for(lambda: _stored(db) == (total, total), timeout=60, what="every event stored")
        assert db.execute("SELECT count(*) FROM set_aside").fetchone()[0] == 0
        logs = "".join((tmp_path / f"intake-{n}.log").read_text() for n in (1, 2))
        assert "failed" not in logs  # no burst ran into the other intake's inserts
        alone = open_database(tmp_path / "alone.db")  # the same events once, one process
        for k in KIOSKS:
            store_batches(alone, [_for(k, b) for b in batches(runs[k], 500)], now=NOW)
        assert summaries(db) == summaries(alone)
        db.close()
    finally:
        kiosk.stop()
        for process in intakes:
            process.terminate()
            process.wait(10)


def test_a_browser_moving_between_two_dashboards_keeps_its_session_and_lock_out(
    city: str, tmp_path: Path
) -> None:
    ports = [free_port(), free_port()]
    dashboards = [
        spawn(city, tmp_path, tmp_path / f"web-{p}.log", "serve", "--port", str(p)) for p in ports
    ]
    a, b = (f"http://127.0.0.1:{p}" for p in ports)
    try:
        for base in (a, b):
            wait_for(lambda base=base: _answers(base), timeout=60, what=f"dashboard {base}")
        with httpx.Client(follow_redirects=False, timeout=30) as browser:  # one cookie jar
            token = _csrf(browser, f"{a}/login")  # CSRF from one, signing in at the other
            form = {"username": "admin", "password": PASSWORD, "csrf_token": token}
            assert browser.post(f"{b}/login", data=form).status_code == 303
            assert browser.get(f"{a}/").status_code == 200
            assert browser.get(f"{b}/").status_code == 200
            logout = browser.post(f"{b}/logout", data={"csrf_token": _csrf(browser, f"{a}/")})
            assert logout.status_code == 303
            assert browser.get(f"{a}/").status_code == 303  # ended for both: back to sign-in
        with httpx.Client(follow_redirects=False, timeout=30) as guesser:
            answers = []
            for n in range(8):  # wrong passwords, alternating between the two
                base = (a, b)[n % 2]
                wrong = {"username": "admin", "password": "wrong", "csrf_token": ""}
                wrong["csrf_token"] = _csrf(guesser, f"{base}/login")
                answers.append(guesser.post(f"{base}/login", data=wrong).status_code)
            # five free tries for the account in all (login_throttle.py), not five per process
            assert answers[:5] == [401] * 5 and 429 in answers[5:], answers
    finally:
        for process in dashboards:
            process.terminate()
            process.wait(10)


def _for(kiosk: str, batch: SyncBatch) -> SyncBatch:
    return batch.model_copy(update={"kiosk": kiosk, "batch_id": f"{kiosk}-{batch.batch_id}"})


def _stored(db: object) -> tuple[int, int]:
    events = db.execute("SELECT count(*) FROM events").fetchone()[0]  # type: ignore[attr-defined]
    counted = db.execute(  # type: ignore[attr-defined]
        "SELECT coalesce(sum(events_total), 0) FROM kiosk_sync"
    ).fetchone()[0]
    return events, counted


def _connected(logs: Path) -> bool:
    return all(
        (log := logs / f"intake-{n}.log").exists() and "connected to" in log.read_text()
        for n in (1, 2)
    )


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/login", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _csrf(client: httpx.Client, url: str) -> str:
    match = _CSRF.search(client.get(url).text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)
