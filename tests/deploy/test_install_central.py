"""deploy/install-central in a throw-away root (deploy/README.md, "One command:
deploy/install-central"): what it makes, that it makes it once, `add-center`, and each
refusal. Its TLS, its broker and a center set up with its credentials file:
test_install_central_tls.py.

Each test makes a root as a fresh Debian with Mosquitto installed looks to the installer
(tests/deploy/throwaway_root.py) and runs the installer as a program, with Debian's own
python3 without site-packages (`-I -S`: the standard library only) and `--root`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk_app.config import load_config
from tests.deploy.central_install import (
    CENTER,
    CENTER_INSTALLER,
    CENTER_MADE,
    CENTRAL_UNITS,
    HOST,
    INSTALLER,
    MADE,
    ROOT,
    add_center,
    central_root,
    credentials_file,
    installed,
    run,
    set_up,
    set_up_center,
)
from tests.deploy.throwaway_root import (
    PUBLIC,
    PYTHON,
    SHADOW_UTILS,
    check_files,
    check_service_user,
    make_root,
    refused,
    snapshot,
)

UNIT_DIR = ROOT / "deploy" / "systemd"
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # secrets.token_urlsafe(24)
# add-center --library-key keeps central's public key for later runs
KEY_MADE = {"etc/sarangbang/library-key.pub": PUBLIC}


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A root with central set up and center mapo-2 added (tests that only read it)."""
    return central_root(tmp_path_factory.mktemp("central"))


# ---- central from nothing, and again ------------------------------------------------------------


def test_it_makes_exactly_the_files_modes_owners_and_user_of_central(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    result = set_up(root)
    check_files(root, MADE, SHADOW_UTILS)
    check_service_user(root)
    assert "created group sarangbang" in result.stdout
    assert "created           /etc/sarangbang/tls/central.key" in result.stdout
    assert "Nothing started or enabled" in result.stdout  # --root: no systemctl
    assert "systemctl enable --now sarangbang-central.target" in result.stdout
    assert "create-admin admin" in result.stdout

    etc = root / "etc/sarangbang"
    env = (etc / "central.env").read_text()
    assert "\nSARANGBANG_CENTRAL_DB=/var/lib/sarangbang/central.db\n" in env
    assert f"\nSARANGBANG_CENTRAL_BROKER={HOST}:8883\n" in env
    intake = (etc / "secrets/central-intake.password").read_text()
    assert TOKEN.fullmatch(intake.strip()) and intake.endswith("\n")
    assert re.fullmatch(
        r"[A-Za-z0-9_-]{43}", (root / "var/lib/sarangbang/session-secret").read_text()
    )
    assert (etc / "mosquitto/acl").read_bytes() == (ROOT / "deploy/mosquitto/acl").read_bytes()
    users = [line.split(":")[0] for line in (etc / "mosquitto/passwords").read_text().split()]
    assert users == ["central-intake"]
    assert (etc / "centers").is_dir() and not any((etc / "centers").iterdir())

    snippet = (root / "etc/mosquitto/conf.d/sarangbang-central.conf").read_text()
    for line in (
        "listener 8883",
        "listener 1883 127.0.0.1",
        "password_file /etc/sarangbang/mosquitto/passwords",
        "acl_file /etc/sarangbang/mosquitto/acl",
        "certfile /etc/sarangbang/tls/central.crt",
        "keyfile /etc/sarangbang/tls/central.key",
    ):
        assert f"\n{line}\n" in snippet
    assert not re.search(r"^[^#]*\$\{", snippet, re.MULTILINE), "every placeholder filled"
    for unit in CENTRAL_UNITS:
        assert (root / "etc/systemd/system" / unit).read_bytes() == (UNIT_DIR / unit).read_bytes()


def test_a_second_run_changes_nothing_and_says_so(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    set_up(root)
    add_center(root)
    before = snapshot(root)
    again = set_up(root)
    assert snapshot(root) == before
    assert "Everything was already in place" in again.stdout
    assert "nothing changed" in again.stdout
    again = add_center(root)
    assert snapshot(root) == before
    assert "Everything was already in place (4 files and folders): nothing changed" in again.stdout


def test_add_center_makes_its_login_and_credentials_file(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    set_up(root)
    before = snapshot(root)
    result = add_center(root)
    after = snapshot(root)
    assert set(after) - set(before) == set(CENTER_MADE)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"etc/sarangbang/mosquitto/passwords"}
    check_files(root, MADE | CENTER_MADE, SHADOW_UTILS)
    assert "systemctl reload mosquitto.service" in result.stdout
    assert f"--center {CENTER} --central {HOST}:8883" in result.stdout
    assert f'add-center {CENTER} "NAME"' in result.stdout

    etc = root / "etc/sarangbang"
    users = [line.split(":")[0] for line in (etc / "mosquitto/passwords").read_text().split()]
    assert users == ["central-intake", CENTER]
    password = (etc / f"secrets/center-{CENTER}.password").read_text().strip()
    assert TOKEN.fullmatch(password)
    credentials = tomllib.loads((etc / f"centers/{CENTER}.credentials.toml").read_text())
    assert credentials == {
        "center": CENTER,
        "password": password,
        "ca_cert": (etc / "tls/ca.crt").read_text(),
    }


def test_more_centers_keep_every_secret_made_before(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    set_up(root)
    add_center(root)
    before = snapshot(root)
    add_center(root, CENTER, "gangnam-1", "jongno-3")
    after = snapshot(root)
    assert {name for name in before if before[name] != after[name]} == {
        "etc/sarangbang/mosquitto/passwords"
    }
    passwords = (root / "etc/sarangbang/mosquitto/passwords").read_text().split()
    users = [line.split(":")[0] for line in passwords]
    assert users == ["central-intake", CENTER, "gangnam-1", "jongno-3"]
    assert len({line.split(":")[1] for line in passwords}) == 4


def test_a_password_made_by_hand_is_kept_and_registered(tmp_path: Path) -> None:
    """deploy/README.md step 2 done by hand before: its password file is the center's."""
    root = make_root(tmp_path)
    set_up(root)
    by_hand = "made-by-hand-in-step-2-0123456789"
    secret = root / f"etc/sarangbang/secrets/center-{CENTER}.password"
    secret.write_text(by_hand + "\n")
    add_center(root)
    assert secret.read_text() == by_hand + "\n"
    assert secret.stat().st_mode & 0o777 == 0o600
    credentials = credentials_file(root).read_text()
    assert tomllib.loads(credentials)["password"] == by_hand


# ---- refusals: exit 2, every problem named, nothing written -------------------------------------


def test_without_arguments_it_names_each_missing_one(tmp_path: Path) -> None:
    root = make_root(tmp_path, mosquitto_group=False)
    before = snapshot(root)
    said = refused(root, run(INSTALLER, "--root", str(root), "--tls-port", "1883"), before)
    assert "--host NAME is missing" in said
    assert "--tls-port 1883 is not a port other than 1883" in said
    assert "the group mosquitto does not exist" in said


def test_a_root_without_mosquitto_is_refused(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    shutil.rmtree(root / "etc/mosquitto")
    before = snapshot(root)
    said = refused(root, run(INSTALLER, "--host", "bad_host!", "--root", str(root)), before)
    assert "Mosquitto is not installed" in said
    assert "--host 'bad_host!' is not a host name" in said


def test_a_centers_box_is_refused_and_install_center_refuses_central(
    tmp_path: Path, central: Path
) -> None:
    root = make_root(tmp_path)
    (root / "etc/sarangbang").mkdir()
    (root / "etc/sarangbang/site.env").write_text(f"SARANGBANG_CENTER={CENTER}\n")
    before = snapshot(root)
    said = refused(root, run(INSTALLER, "--host", HOST, "--root", str(root)), before)
    assert "this box is a center's (deploy/install-center)" in said

    before = snapshot(central)
    credentials = credentials_file(central)
    result = run(
        CENTER_INSTALLER,
        *("--center", CENTER, "--central", f"{HOST}:8883", "--credentials", str(credentials)),
        "--root",
        str(central),
    )
    assert "this box is central (deploy/install-central)" in refused(central, result, before)


def test_add_center_before_central_is_set_up_is_refused(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    before = snapshot(root)
    said = refused(root, run(INSTALLER, "add-center", CENTER, "--root", str(root)), before)
    assert "central is not set up here" in said
    assert "install-central --host NAME first" in said


def test_bad_center_ids_are_each_named(central: Path) -> None:
    before = snapshot(central)
    ids = ("Mapo_2", "central-x", "gangnam-1", "gangnam-1")
    said = refused(central, run(INSTALLER, "add-center", *ids, "--root", str(central)), before)
    assert "'Mapo_2' is not an id" in said
    assert "'central-x' begins like one of central's own logins" in said
    assert "centers named twice: gangnam-1" in said


def test_a_password_install_center_would_refuse_is_refused(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    set_up(root)
    (root / f"etc/sarangbang/secrets/center-{CENTER}.password").write_text("short\n")
    before = snapshot(root)
    said = refused(root, run(INSTALLER, "add-center", CENTER, "--root", str(root)), before)
    assert "holds a password install-center would refuse" in said


@pytest.mark.parametrize("command", [(), ("add-center", CENTER)])
def test_on_this_machine_it_must_run_as_root(command: tuple[str, ...]) -> None:
    kwargs = {"user": 65534, "group": 65534, "extra_groups": []} if os.geteuid() == 0 else {}
    result = subprocess.run(
        [PYTHON, "-I", "-S", str(INSTALLER), *(command or ("--host", HOST)), "--root", "/"],
        capture_output=True,
        text=True,
        check=False,
        cwd="/",
        **kwargs,  # type: ignore[call-overload]
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "not running as root" in result.stderr


def test_the_installer_is_a_program() -> None:
    assert os.access(INSTALLER, os.X_OK)
    assert INSTALLER.read_text().startswith("#!/usr/bin/env python3\n")
    for args, says in ((["--help"], "--tls DIR"), (["add-center", "--help"], "ID")):
        result = subprocess.run([INSTALLER, *args], capture_output=True, text=True, check=False)
        assert result.returncode == 0
        assert says in result.stdout


# ---- central's key for published lessons --------------------------------------------------------


def publish_key(directory: Path) -> str:
    """What `sarangbang-central publish-key` prints (it makes the signing key once)."""
    result = subprocess.run(
        [sys.executable, "-m", "central.cli", "--db", str(directory / "central.db"), "publish-key"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_add_center_with_the_key_writes_it_and_keeps_it_for_later_runs(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    set_up(root)
    key = publish_key(tmp_path).strip()
    result = installed("add-center", CENTER, "--library-key", key, "--root", str(root))
    check_files(root, MADE | CENTER_MADE | KEY_MADE, SHADOW_UTILS)
    assert "No library key" not in result.stdout
    saved = root / "etc/sarangbang/library-key.pub"
    assert saved.read_text() == key + "\n"
    credentials = tomllib.loads(credentials_file(root).read_text())
    assert credentials["library_key"] == key

    # again without --library-key: the saved key; nothing changes
    before = snapshot(root)
    add_center(root)
    assert snapshot(root) == before

    # the center takes it: the keeper's key file and the kiosks' TOMLs
    site = set_up_center(root, tmp_path)
    keys = (site / "etc/sarangbang/library-keys").read_text().splitlines()
    assert keys[-1] == key
    config = load_config(site / "etc/sarangbang/kiosks/kiosk-1.toml")
    assert config.trusted_keys == (key,)


def test_add_center_takes_the_key_saved_from_publish_key(tmp_path: Path) -> None:
    """deploy/README.md's order: publish-key > /etc/sarangbang/library-key.pub, add-center."""
    root = make_root(tmp_path)
    set_up(root)
    printed = publish_key(tmp_path)
    (root / "etc/sarangbang/library-key.pub").write_text(printed)
    before = snapshot(root)
    add_center(root)
    after = snapshot(root)
    assert set(after) - set(before) == set(CENTER_MADE)  # the saved file is left as it is
    credentials = tomllib.loads(credentials_file(root).read_text())
    assert credentials["library_key"] == printed.strip()


def test_without_a_key_add_center_says_how_to_add_it(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    set_up(root)
    result = add_center(root)
    assert "library_key" not in credentials_file(root).read_text()
    said = " ".join(result.stdout.split())
    assert "No library key: the credentials files carry no library_key" in said
    assert "publish-key > /etc/sarangbang/library-key.pub" in said


@pytest.mark.parametrize(
    ("how", "why"),
    [
        (("--library-key", "ssh-ed25519 AAAA"), "--library-key 'ssh-ed25519 AAAA' does not start"),
        (("--library-key", "ed25519:AAAA"), "is 3 bytes after 'ed25519:'"),
        ("two keys", "/etc/sarangbang/library-key.pub holds 2 keys, not one"),
        ("not base64", "the key in /etc/sarangbang/library-key.pub is not base64"),
    ],
)
def test_a_malformed_key_is_refused(tmp_path: Path, how: object, why: str) -> None:
    root = make_root(tmp_path)
    set_up(root)
    saved = root / "etc/sarangbang/library-key.pub"
    key = publish_key(tmp_path).strip()
    if how == "two keys":
        saved.write_text(f"{key}\n{key}\n")
    elif how == "not base64":
        saved.write_text("ed25519:not base64!\n")
    before = snapshot(root)
    extra = how if isinstance(how, tuple) else ()
    said = refused(root, run(INSTALLER, "add-center", CENTER, *extra, "--root", str(root)), before)
    assert why in said
