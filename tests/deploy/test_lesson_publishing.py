"""Lesson libraries published at central reach kiosks through the real deploy/ path: central's
broker with TLS and ACLs, two site brokers bridged to it, central's site monitor, each
center's keeper and each kiosk's sync agent as processes (docs/lesson-publishing.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from central.database import open_database
from lessons.bundle import Manifest, new_private_key, sign, unverified
from lessons.library_store import LibraryStore
from robot_bridge.protocol.library_messages import LibraryOffer, encode
from robot_bridge.protocol.topics import Kind, library_topic
from tests import waiting
from tests.deploy.city import (
    INTAKE_PASSWORD,
    INTAKE_USER,
    Central,
    Site,
    make_tls,
    spawn,
    stop,
)
from tests.small_library import small_library

ARRIVE_SECONDS = 60.0  # a small library through two brokers, a bridge and a keeper, twice


def wait_for(condition: Callable[[], bool], what: str) -> None:
    waiting.wait_for(condition, ARRIVE_SECONDS, what)


def central_cli(db: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "central.cli", "--db", str(db), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@dataclass
class Center:
    site: Site
    keys: Path
    kiosks: list[Path]  # each kiosk's config
    processes: list[subprocess.Popen[bytes]]

    def kiosk_store(self, n: int) -> LibraryStore:
        return LibraryStore(self.kiosks[n].parent / f"kiosk-{n + 1}-data" / "library")

    def keeper_store(self) -> LibraryStore:
        return LibraryStore(self.site.directory / "keeper")

    def teaching(self) -> list[int | None]:
        """The version `current` names at the keeper and on each kiosk."""
        stores = [self.keeper_store()] + [self.kiosk_store(n) for n in range(len(self.kiosks))]
        return [store.current() for store in stores]

    def start(self, tmp: Path) -> None:
        site = self.site
        keeper = site.login("keeper", "main")
        secret = site.directory / "secrets" / "keeper.main.password"
        args = [
            "--broker", f"127.0.0.1:{site.port}", "--center", site.center,
            "--username", keeper.username, "--password-file", secret,
            "--dir", site.directory / "keeper", "--trusted-keys", self.keys,
        ]  # fmt: skip
        log = tmp / f"keeper-{site.center}.log"
        self.processes.append(spawn("robot_bridge.library.keeper_cli", *args, log=log))
        for n, config in enumerate(self.kiosks):
            log = tmp / f"agent-{site.center}-{n}.log"
            self.processes.append(spawn("kiosk_app.sync.sync_cli", "--config", config, log=log))

    def stop(self) -> None:
        for process in self.processes:
            stop(process)
        self.processes.clear()


@pytest.fixture
def city(tmp_path: Path) -> Iterator[tuple[Central, Path, list[Center]]]:
    central = Central(tmp_path / "central", make_tls(tmp_path / "tls"))
    central.broker.start()
    db = tmp_path / "central-data" / "central.db"
    for center in ("gangnam-1", "mapo-2"):
        assert central_cli(db, "add-center", center, center).returncode == 0
    key = central_cli(db, "publish-key")
    assert key.returncode == 0, key.stderr
    password = tmp_path / "intake.password"
    password.write_text(INTAKE_PASSWORD)
    address = central.intake_address
    monitor = spawn(
        "central.cli", "--db", db, "monitor", "--broker", f"{address.host}:{address.port}",
        "--username", INTAKE_USER, "--password-file", password, log=tmp_path / "monitor.log",
    )  # fmt: skip
    centers = []
    for name in ("gangnam-1", "mapo-2"):
        site = Site(name, tmp_path / name, central)
        site.broker.start()
        keys = site.directory / "trusted-keys"
        keys.write_text(f"# central's publish-key\n{key.stdout}")
        configs = [site.kiosk_config(f"kiosk-{n}") for n in (1, 2)]
        for config in configs:
            config.write_text(
                config.read_text() + f'[library]\ntrusted_keys = ["{key.stdout.strip()}"]\n'
            )
        centers.append(Center(site, keys, configs, []))
    try:
        yield central, db, centers
    finally:
        for center in centers:
            center.stop()
            center.site.broker.stop()
        stop(monitor)
        central.broker.stop()


def test_published_versions_reach_every_kiosk_and_a_rollback_takes_them_back(
    city: tuple[Central, Path, list[Center]], tmp_path: Path
) -> None:
    _central, db, centers = city
    source = small_library(tmp_path / "source")
    published = central_cli(db, "publish-lessons", source, "--note", "two lessons")
    assert published.returncode == 0, published.stderr
    assert "published version 1" in published.stdout
    for center in centers:
        center.start(tmp_path)
    wait_for(lambda: all(c.teaching() == [1, 1, 1] for c in centers), "version 1 everywhere")

    # mapo-2 is switched off for a "week" while version 2 is published
    mapo = centers[1]
    mapo.stop()
    mapo.site.broker.stop()
    (source / "lessons" / "phone-basics.yaml").unlink()
    assert central_cli(db, "publish-lessons", source, "--note", "one lesson").returncode == 0
    wait_for(lambda: centers[0].teaching() == [2, 2, 2], "version 2 at gangnam-1")
    assert mapo.teaching() == [1, 1, 1]
    mapo.site.broker.start()
    mapo.start(tmp_path)
    wait_for(lambda: mapo.teaching() == [2, 2, 2], "mapo-2 catches up")

    # the dashboard's view: each center's keeper and each kiosk's sync status
    def reach() -> tuple[list[tuple[str, int]], list[int | None]]:
        conn = open_database(db)
        try:
            keepers = conn.execute("SELECT center, version FROM center_libraries").fetchall()
            details = conn.execute("SELECT detail FROM devices WHERE kind = 'kiosk'").fetchall()
        finally:
            conn.close()
        return sorted(keepers), [json.loads(d[0]).get("library_installed") for d in details]

    wait_for(lambda: reach() == ([("gangnam-1", 2), ("mapo-2", 2)], [2] * 4), "reach at central")

    assert central_cli(db, "rollback-lessons").returncode == 0
    wait_for(lambda: all(c.teaching() == [1, 1, 1] for c in centers), "back to version 1")


def test_a_version_signed_by_another_key_is_refused_and_teaching_goes_on(
    city: tuple[Central, Path, list[Center]], tmp_path: Path
) -> None:
    central, db, centers = city
    source = small_library(tmp_path / "source")
    assert central_cli(db, "publish-lessons", source).returncode == 0
    gangnam = centers[0]
    gangnam.start(tmp_path)
    wait_for(lambda: gangnam.teaching() == [1, 1, 1], "version 1 at gangnam-1")

    # someone who can write to central's broker and files, but has not got its key
    store = LibraryStore(db.parent / "library")
    files = unverified(store.document(1)).files
    forged = sign(Manifest(2, 0, "forged", files), new_private_key())
    sha = store.put_blob(forged)
    notices: list[bytes] = []
    site = gangnam.site
    observer = site.login("observer", "ops")
    watcher = mqtt.Client(CallbackAPIVersion.VERSION2)
    watcher.username_pw_set(observer.username, observer.password)
    watcher.on_message = lambda _c, _u, m: notices.append(bytes(m.payload))
    watcher.connect("127.0.0.1", site.port)
    watcher.subscribe(f"sarangbang/v1/centers/{site.center}/instructor", 1)
    watcher.loop_start()
    forger = mqtt.Client(CallbackAPIVersion.VERSION2)
    forger.username_pw_set(INTAKE_USER, INTAKE_PASSWORD)
    forger.connect(central.intake_address.host, central.intake_address.port)
    forger.loop_start()
    offer = LibraryOffer(version=2, manifest=sha, size=len(forged))
    forger.publish(library_topic(Kind.LIBRARY_OFFER, site.center), encode(offer), 1, retain=True)
    try:
        wait_for(lambda: any(b"library_refused" in n for n in notices), "the instructor told")
    finally:
        forger.loop_stop()
        watcher.loop_stop()
    text = json.loads(notices[-1])["text"]["ko"]
    assert "버전 2" in text and "지금 자료로 계속" in text
    assert gangnam.teaching() == [1, 1, 1]
    keeper_log = (tmp_path / f"keeper-{site.center}.log").read_text()
    assert "refused version 2 (unknown-key)" in keeper_log

    # and the notice reached the center's page at central, through the bridge
    def at_central() -> list[tuple[str, str]]:
        conn = open_database(db)
        try:
            return conn.execute("SELECT center, key FROM site_notices").fetchall()
        finally:
            conn.close()

    wait_for(lambda: ("gangnam-1", "library_refused") in at_central(), "the notice at central")
