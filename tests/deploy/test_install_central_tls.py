"""deploy/install-central's TLS, its broker and what a center does with its credentials file
(deploy/README.md, "One command: deploy/install-central"): the CA and certificate it makes,
the files it is given (checked, and replaced on renewal), the rendered broker snippet run by
a real Mosquitto where a center logs in over TLS, and a center's box set up by
deploy/install-center with the credentials file, whose broker bridges to it.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from robot_bridge.link.mqtt_link import BrokerAddress
from tests.deploy.acl_client import Client
from tests.deploy.central_install import (
    CENTER,
    HOST,
    INSTALLER,
    MADE,
    central_root,
    credentials_file,
    run,
    set_up,
    set_up_center,
)
from tests.deploy.city import debian_main_conf, make_tls
from tests.deploy.throwaway_root import SHADOW_UTILS, check_files, make_root, refused, snapshot
from tests.mosquitto import Broker, free_port

BRIDGE_SECONDS = 15.0  # the site's bridge retries every 1–3 s; TLS and two brokers to start


def openssl(*args: str | Path) -> str:
    return subprocess.run(
        ["openssl", *map(str, args)], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A root with central set up and center mapo-2 added (tests that only read it)."""
    return central_root(tmp_path_factory.mktemp("central"))


def test_the_certificate_it_makes_names_the_host_and_is_signed_by_its_ca(central: Path) -> None:
    tls = central / "etc/sarangbang/tls"
    assert "central.crt: OK" in openssl("verify", "-CAfile", tls / "ca.crt", tls / "central.crt")
    names = openssl("x509", "-noout", "-ext", "subjectAltName", "-in", tls / "central.crt")
    assert f"DNS:{HOST}" in names and "IP Address:127.0.0.1" in names
    key = openssl("pkey", "-pubout", "-in", tls / "central.key")
    assert key == openssl("x509", "-noout", "-pubkey", "-in", tls / "central.crt")


# ---- what it makes works: install-center takes its credentials, brokers bridge over TLS ---------


def test_its_credentials_file_sets_up_a_center(central: Path, tmp_path: Path) -> None:
    site = set_up_center(central, tmp_path)
    at_central, at_site = central / "etc/sarangbang", site / "etc/sarangbang"
    assert (at_site / "secrets/center.password").read_text() == (
        at_central / f"secrets/center-{CENTER}.password"
    ).read_text()
    assert (at_site / "tls/ca.crt").read_text() == (at_central / "tls/ca.crt").read_text()


def broker_config(root: Path, snippet: str, replace: dict[str, str]) -> str:
    """An installed snippet with its listeners moved to free ports and its paths into the
    root."""
    text = (root / "etc/mosquitto/conf.d" / snippet).read_text()
    for old, new in {**replace, "/etc/sarangbang/": f"{root}/etc/sarangbang/"}.items():
        assert old in text, f"{snippet} has no {old!r}"
        text = text.replace(old, new)
    return text


def start_broker(directory: Path, snippets: dict[str, str], port: int) -> Broker:
    """A real Mosquitto under Debian's stock mosquitto.conf with `snippets` in its conf.d."""
    conf_d = directory / "conf.d"
    conf_d.mkdir(parents=True)
    for name, text in snippets.items():
        (conf_d / name).write_text(text)
    main = debian_main_conf(directory, conf_d)
    return Broker(directory, name=directory.name, config=main, port=port).start()


@pytest.fixture
def brokers() -> Iterator[list[Broker]]:
    """Brokers a test started: stopped at its end, the last started first."""
    started: list[Broker] = []
    yield started
    for broker in reversed(started):
        broker.stop()


def start_central(central: Path, directory: Path, brokers: list[Broker]) -> tuple[int, int]:
    """Central's installed broker on free ports: (the centers' TLS port, the local one)."""
    tls_port, local_port = free_port(), free_port()
    moved = {
        "listener 8883\n": f"listener {tls_port}\n",
        "listener 1883 ": f"listener {local_port} ",
    }
    snippet = broker_config(central, "sarangbang-central.conf", moved)
    brokers.append(start_broker(directory, {"sarangbang-central.conf": snippet}, local_port))
    return tls_port, local_port


def wait_for(what: str, check: Callable[[], bool], seconds: float = BRIDGE_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"no {what} within {seconds} s"
        time.sleep(0.05)


def login(root: Path, port: int, user: str) -> Client:
    """A client logged in with a secret the installer made."""
    password = (root / "etc/sarangbang/secrets" / f"{user}.password").read_text().strip()
    return Client(BrokerAddress("127.0.0.1", port, user, password))


def test_the_installed_broker_takes_centers_over_tls_and_intake_locally(
    central: Path, tmp_path: Path, brokers: list[Broker], clients: list[Client]
) -> None:
    tls_port, local_port = start_central(central, tmp_path / "central", brokers)
    credentials = tomllib.loads(credentials_file(central).read_text())
    ca_file = tmp_path / "ca.crt"
    ca_file.write_text(credentials["ca_cert"])  # as the center has it: from its credentials
    password = credentials["password"]
    center = Client(BrokerAddress("127.0.0.1", tls_port, CENTER, password, ca_file))
    wrong = Client(BrokerAddress("127.0.0.1", tls_port, CENTER, "x" + password, ca_file))
    intake = login(central, local_port, "central-intake")
    clients += [center, wrong, intake]
    assert center.connect_result == "Success"
    assert wrong.connect_result == "Not authorized"
    assert intake.connect_result == "Success"
    # the ACL came with it: a center publishes its own sync status only, and intake reads it
    intake.subscribe("sarangbang/v1/centers/+/sync/+/status")
    center.publish(f"sarangbang/v1/centers/{CENTER}/sync/kiosk-1/status", b"{}")
    center.publish("sarangbang/v1/centers/gangnam-1/sync/kiosk-1/status", b"{}")
    wait_for("status at intake", lambda: bool(intake.received), 5)
    time.sleep(0.2)
    assert [topic for topic, _ in intake.received] == [
        f"sarangbang/v1/centers/{CENTER}/sync/kiosk-1/status"
    ]


def test_a_center_set_up_with_its_credentials_bridges_to_the_installed_central(
    central: Path, tmp_path: Path, brokers: list[Broker], clients: list[Client]
) -> None:
    """Both installers' brokers, each on free ports: the site's bridge logs in at central
    over TLS with the credentials install-central wrote; a kiosk's status reaches intake,
    intake's roster reaches the kiosk."""
    site = set_up_center(central, tmp_path)
    tls_port, local_port = start_central(central, tmp_path / "central", brokers)
    site_port = free_port()
    site_confs = {
        "sarangbang-site.conf": broker_config(
            site,
            "sarangbang-site.conf",
            {"listener 1883 0.0.0.0": f"listener {site_port} 127.0.0.1"},
        ),
        # the certificate names 127.0.0.1 too: the bridge checks it as it would HOST's
        "sarangbang-bridge.conf": broker_config(
            site,
            "sarangbang-bridge.conf",
            {f"address {HOST}:8883": f"address 127.0.0.1:{tls_port}"},
        ),
    }
    brokers.append(start_broker(tmp_path / "site", site_confs, site_port))
    kiosk, intake = (
        login(site, site_port, "kiosk.kiosk-1"),
        login(central, local_port, "central-intake"),
    )
    clients += [kiosk, intake]
    base = f"sarangbang/v1/centers/{CENTER}"
    kiosk.subscribe(f"{base}/bridge/state")
    kiosk.subscribe(f"{base}/roster")
    wait_for("bridge up", lambda: (f"{base}/bridge/state", b"1") in kiosk.received)
    intake.subscribe(f"{base}/sync/+/status")
    intake.publish(f"{base}/roster", b'{"learners": []}', retain=True)
    kiosk.publish(f"{base}/sync/kiosk-1/status", b'{"backlog": 0}')
    roster = (f"{base}/roster", b'{"learners": []}')
    wait_for("roster at the kiosk", lambda: roster in kiosk.received)
    wait_for("status at intake", lambda: bool(intake.received))
    assert intake.received == [(f"{base}/sync/kiosk-1/status", b'{"backlog": 0}')]


# ---- TLS files given --------------------------------------------------------------------------


def test_given_tls_files_are_installed_and_a_renewal_replaces_only_them(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    first = make_tls(tmp_path / "tls-1")  # for localhost
    set_up(root, "--tls", str(first), host="localhost")
    tls = root / "etc/sarangbang/tls"
    for name in ("ca.crt", "central.crt", "central.key"):
        assert (tls / name).read_bytes() == (first / name).read_bytes()
    assert not (tls / "ca.key").exists(), "your CA's key stays with your CA"
    check_files(
        root, {k: v for k, v in MADE.items() if k != "etc/sarangbang/tls/ca.key"}, SHADOW_UTILS
    )
    before = snapshot(root)
    set_up(root, "--tls", str(first), host="localhost")
    assert snapshot(root) == before
    renewed = make_tls(tmp_path / "tls-2")
    result = set_up(root, "--tls", str(renewed), host="localhost")
    after = snapshot(root)
    assert {name for name in before if before[name] != after[name]} == {
        f"etc/sarangbang/tls/{name}" for name in ("ca.crt", "central.crt", "central.key")
    }
    assert "systemctl restart mosquitto.service" in result.stdout


def test_given_tls_files_that_do_not_fit_are_refused_with_every_reason(tmp_path: Path) -> None:
    one, other = make_tls(tmp_path / "one"), make_tls(tmp_path / "other")
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copy(one / "central.crt", mixed)
    shutil.copy(other / "ca.crt", mixed)
    shutil.copy(other / "central.key", mixed)
    root = make_root(tmp_path)
    before = snapshot(root)
    said = refused(
        root, run(INSTALLER, "--host", HOST, "--tls", str(mixed), "--root", str(root)), before
    )
    assert "central.key is not the key of central.crt" in said
    assert "central.crt is not signed by ca.crt" in said
    assert f"central.crt does not name {HOST}" in said


def test_missing_or_malformed_tls_files_are_named(tmp_path: Path) -> None:
    given = tmp_path / "given"
    given.mkdir()
    (given / "ca.crt").write_text("not a certificate\n")
    root = make_root(tmp_path)
    before = snapshot(root)
    said = refused(
        root, run(INSTALLER, "--host", HOST, "--tls", str(given), "--root", str(root)), before
    )
    assert "has no central.crt" in said
    assert "has no central.key" in said
    assert "ca.crt is not a certificate in PEM" in said


def test_another_host_for_the_certificate_it_made_is_refused(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    set_up(root)
    before = snapshot(root)
    said = refused(root, run(INSTALLER, "--host", "other.example.org", "--root", str(root)), before)
    assert f"central was set up for '{HOST}'" in said
    assert "give --tls DIR with a certificate for other.example.org" in said


def test_half_an_installed_tls_folder_is_refused(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    tls = root / "etc/sarangbang/tls"
    tls.mkdir(parents=True)
    shutil.copy(make_tls(tmp_path / "tls") / "ca.crt", tls)
    before = snapshot(root)
    said = refused(root, run(INSTALLER, "--host", HOST, "--root", str(root)), before)
    assert "has ca.crt but not central.crt, central.key" in said
