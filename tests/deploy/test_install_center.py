"""deploy/install-center in a throw-away root (deploy/README.md, "One command").

Each test makes a root in tmp_path the way a fresh Debian with Mosquitto installed looks to
the installer (tests/deploy/throwaway_root.py). The installer runs as a program, with
Debian's own python3 without site-packages (`-I -S`: the standard library only, as before
any venv exists) and `--root`. Owners are checked as the root's own passwd and group map
them, not this machine's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path, PurePosixPath

import pytest

from kiosk_app.config import load_config, parse_config
from lessons.bundle import (
    key_id,
    new_private_key,
    public_key_text,
    read_public_key,
    read_trusted,
)
from robot_bridge.link.mqtt_link import BrokerAddress
from tests.deploy.acl_client import Client
from tests.deploy.city import debian_main_conf, make_tls
from tests.deploy.throwaway_root import (
    BROKER,
    PUBLIC,
    PYTHON,
    SECRET,
    SHADOW_UTILS,
    check_files,
    check_service_user,
    make_root,
    refused,
    snapshot,
)
from tests.mosquitto import Broker, free_port

ROOT = Path(__file__).parents[2]
INSTALLER = ROOT / "deploy" / "install-center"
UNIT_DIR = ROOT / "deploy" / "systemd"
CENTER = "mapo-2"
CENTRAL = "central.example.org:8883"
KIOSKS = ("kiosk-1", "kiosk-2")
ROBOTS = ("liku-1",)
PASSWORD = "center-password-from-central-0123"
KEY = public_key_text(new_private_key())  # central's, as `sarangbang-central publish-key` prints
NEW_KEY = public_key_text(new_private_key())  # central's after it made a new signing key
KEEPER = "sarangbang-library-keeper.service"
# only for a center bridged to a cluster (test_install_center_cluster.py): not with one central
RETAINER = "sarangbang-site-retainer.service"
UNITS = [unit for unit in UNIT_DIR.iterdir() if unit.name != RETAINER]

# Every file and folder the installer makes, with its mode and owner (deploy/README.md,
# "Running as services" and step 3).
MADE = {
    "etc/sarangbang": (0o755, "root", "root"),
    "etc/sarangbang/site.env": PUBLIC,
    "etc/sarangbang/secrets": (0o750, "root", "sarangbang"),
    "etc/sarangbang/secrets/center.password": (0o600, "root", "root"),
    "etc/sarangbang/secrets/runner.main.password": SECRET,
    "etc/sarangbang/secrets/keeper.main.password": SECRET,
    "etc/sarangbang/secrets/kiosk.kiosk-1.password": SECRET,
    "etc/sarangbang/secrets/kiosk.kiosk-2.password": SECRET,
    "etc/sarangbang/secrets/robot.liku-1.password": SECRET,
    "etc/sarangbang/kiosks": (0o750, "root", "sarangbang"),
    "etc/sarangbang/kiosks/kiosk-1.toml": SECRET,
    "etc/sarangbang/kiosks/kiosk-2.toml": SECRET,
    "etc/sarangbang/mosquitto": (0o750, "root", "mosquitto"),
    "etc/sarangbang/mosquitto/devices": BROKER,
    "etc/sarangbang/mosquitto/acl": BROKER,
    "etc/sarangbang/mosquitto/passwords": BROKER,
    "etc/sarangbang/tls": (0o755, "root", "root"),
    "etc/sarangbang/tls/ca.crt": PUBLIC,
    "etc/mosquitto/conf.d/sarangbang-site.conf": BROKER,
    "etc/mosquitto/conf.d/sarangbang-bridge.conf": BROKER,
    "etc/systemd": (0o755, "root", "root"),
    "etc/systemd/system": (0o755, "root", "root"),
    "var": (0o755, "root", "root"),
    "var/lib": (0o755, "root", "root"),
    "var/lib/sarangbang": (0o750, "sarangbang", "sarangbang"),
} | {f"etc/systemd/system/{unit.name}": PUBLIC for unit in UNITS}
# ... and with central's key in the credentials file, the keeper's --trusted-keys
MADE_WITH_KEY = MADE | {"etc/sarangbang/library-keys": PUBLIC}
KIOSK_TOMLS = {f"etc/sarangbang/kiosks/{kiosk}.toml" for kiosk in KIOSKS}


@pytest.fixture(scope="module")
def credentials(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The file central's operator hands to the center: its login and central's CA."""
    directory = tmp_path_factory.mktemp("central")
    ca = (make_tls(directory / "tls") / "ca.crt").read_text()
    path = directory / f"{CENTER}.credentials.toml"
    path.write_text(f'center = "{CENTER}"\npassword = "{PASSWORD}"\nca_cert = """\n{ca}"""\n')
    return path


def with_key(credentials: Path, directory: Path, key: str = KEY) -> Path:
    """The credentials file as add-center writes it once central's key is known."""
    path = directory / f"{CENTER}.{'key' if key == KEY else 'new-key'}.credentials.toml"
    path.write_text(credentials.read_text() + f'library_key = "{key}"\n')
    return path


def enabled(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The units the installer enables (the `systemctl enable --now` line it prints)."""
    line = next(line for line in result.stdout.splitlines() if "systemctl enable --now" in line)
    return line.split("--now", 1)[1].split()


def install(
    root: Path, credentials: Path | None, *extra: str, path: str | None = None
) -> subprocess.CompletedProcess[str]:
    args = ["--center", CENTER, "--central", CENTRAL, "--root", str(root)]
    args += ["--credentials", str(credentials)] if credentials else []
    args += ["--kiosks", ",".join(KIOSKS), "--robots", ",".join(ROBOTS), *extra]
    env = {**os.environ, "PATH": path or os.environ["PATH"]}
    return subprocess.run(
        [PYTHON, "-I", "-S", str(INSTALLER), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def installed(root: Path, credentials: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    result = install(root, credentials, *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


# ---- a center from nothing, and again -----------------------------------------------------------


def test_it_makes_exactly_the_files_modes_owners_and_user_of_a_center(
    tmp_path: Path, credentials: Path
) -> None:
    root = make_root(tmp_path)
    result = installed(root, credentials)
    check_files(root, MADE, SHADOW_UTILS)
    check_service_user(root)
    assert "created group sarangbang" in result.stdout
    assert "created           /etc/sarangbang/kiosks/kiosk-1.toml" in result.stdout
    assert "Nothing started or enabled" in result.stdout  # --root: no systemctl
    assert enabled(result) == ["sarangbang-class-runner.service", "sarangbang-site.target"]

    etc = root / "etc/sarangbang"
    assert (etc / "site.env").read_text() == f"SARANGBANG_CENTER={CENTER}\n"
    assert (etc / "secrets/center.password").read_text() == PASSWORD + "\n"
    assert (etc / "tls/ca.crt").read_text() == tomllib.loads(credentials.read_text())["ca_cert"]
    secrets = [p.read_text().strip() for p in (etc / "secrets").glob("*.*.password")]
    assert len(secrets) == len(set(secrets)) == 5
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", secret) for secret in secrets)
    assert (etc / "mosquitto/devices").read_text() == (
        f"center {CENTER}\nrunner main\nkeeper main\nkiosk kiosk-1\nkiosk kiosk-2\nrobot liku-1\n"
    )
    users = [line.split(":")[0] for line in (etc / "mosquitto/passwords").read_text().split()]
    assert users == [
        "runner.main",
        "keeper.main",
        "kiosk.kiosk-1",
        "kiosk.kiosk-2",
        "robot.liku-1",
    ]
    assert "\nuser kiosk.kiosk-2\n" in (etc / "mosquitto/acl").read_text()

    conf_d = root / "etc/mosquitto/conf.d"
    site = (conf_d / "sarangbang-site.conf").read_text()
    assert "listener 1883 0.0.0.0\n" in site
    assert "password_file /etc/sarangbang/mosquitto/passwords\n" in site
    bridge = (conf_d / "sarangbang-bridge.conf").read_text()
    for line in (
        f"address {CENTRAL}",
        "bridge_cafile /etc/sarangbang/tls/ca.crt",
        f"remote_username {CENTER}",
        f"remote_password {PASSWORD}",
    ):
        assert f"\n{line}\n" in bridge
    for unit in UNITS:
        assert (root / "etc/systemd/system" / unit.name).read_bytes() == unit.read_bytes()
    # one central Mosquitto: the bridge keeps the retain flag, so no retainer (nor its login)
    assert "\ntry_private true\n" in bridge
    assert "retainer.main" not in (etc / "mosquitto/acl").read_text()
    assert "retainer" not in (etc / "mosquitto/devices").read_text()
    assert "retainer" not in result.stdout


def test_each_kiosk_toml_is_a_valid_kiosk_config_with_its_own_login(
    tmp_path: Path, credentials: Path
) -> None:
    root = make_root(tmp_path)
    installed(root, credentials)
    for kiosk in KIOSKS:
        path = root / f"etc/sarangbang/kiosks/{kiosk}.toml"
        config = parse_config(tomllib.loads(path.read_text()), base=Path("/etc/sarangbang/kiosks"))
        assert (config.center_id, config.kiosk_id) == (CENTER, kiosk)
        assert config.data_dir == Path(f"/var/lib/sarangbang/kiosks/{kiosk}")
        assert config.broker_username == f"kiosk.{kiosk}"
        secret = PurePosixPath(f"/etc/sarangbang/secrets/kiosk.{kiosk}.password")
        assert config.broker_password_file == Path(secret)
        assert (root / secret.relative_to("/")).is_file()
        assert re.fullmatch(r"\d{6}", config.instructor_pin)
        assert config.trusted_keys == ()  # no library_key: it teaches its own library_dir


# ---- central's key for published lessons ---------------------------------------------------------


def test_with_centrals_key_the_keeper_is_set_up_and_every_kiosk_trusts_the_key(
    tmp_path: Path, credentials: Path
) -> None:
    root = make_root(tmp_path)
    result = installed(root, with_key(credentials, tmp_path))
    check_files(root, MADE_WITH_KEY, SHADOW_UTILS)
    assert enabled(result) == ["sarangbang-class-runner.service", KEEPER, "sarangbang-site.target"]
    assert "No library_key" not in result.stdout

    keys = root / "etc/sarangbang/library-keys"
    lines = keys.read_text().splitlines()
    assert lines[-1] == KEY and all(line.startswith("# ") for line in lines[:-1])
    assert list(read_trusted(keys)) == [key_id(read_public_key(KEY))]  # as the keeper reads it
    for kiosk in KIOSKS:
        config = load_config(root / f"etc/sarangbang/kiosks/{kiosk}.toml")
        assert (config.kiosk_id, config.trusted_keys) == (kiosk, (KEY,))
        assert config.broker_username == f"kiosk.{kiosk}"

    acl = (root / "etc/sarangbang/mosquitto/acl").read_text()
    keeper = acl.split("\nuser keeper.main\n", 1)[1].split("\n\n", 1)[0].splitlines()
    prefix = f"sarangbang/v1/centers/{CENTER}"
    for line in (
        f"topic read {prefix}/library/offer",
        f"topic read {prefix}/library/blob",
        f"topic write {prefix}/library/fetch",
        f"topic write {prefix}/library/site",
        f"topic read {prefix}/kiosks/+/library/fetch",
        f"topic write {prefix}/kiosks/+/library/blob",
    ):
        assert line in keeper


def test_without_centrals_key_nothing_of_the_keeper_is_enabled_and_it_says_how(
    tmp_path: Path, credentials: Path
) -> None:
    root = make_root(tmp_path)
    result = installed(root, credentials)
    assert not (root / "etc/sarangbang/library-keys").exists()
    assert KEEPER not in enabled(result)
    said = " ".join(result.stdout.split())
    assert f"No library_key in the credentials file: the center's keeper ({KEEPER}) is not" in said
    assert "publish-key > /etc/sarangbang/library-key.pub" in said
    assert f"deploy/install-central add-center {CENTER} again" in said
    assert "then run this again with that file" in said


def test_a_second_run_with_the_key_changes_nothing(tmp_path: Path, credentials: Path) -> None:
    root = make_root(tmp_path)
    keyed = with_key(credentials, tmp_path)
    installed(root, keyed)
    before = snapshot(root)
    again = installed(root, keyed)
    assert snapshot(root) == before
    assert "Everything was already in place" in again.stdout
    assert "try-restart" not in again.stdout


def test_a_key_added_later_then_changed_touches_only_its_own_lines(
    tmp_path: Path, credentials: Path
) -> None:
    """Set up without the key, the operator edits a kiosk's TOML, the key comes, then a new
    key: only library-keys and the one line of each TOML change; PINs and edits stay."""
    root = make_root(tmp_path)
    installed(root, credentials)
    kiosks = root / "etc/sarangbang/kiosks"
    edited = kiosks / "kiosk-1.toml"
    edited.write_text(edited.read_text() + "\n[voice]\nmicrophone = 2  # the USB one\n")
    texts = {kiosk: (kiosks / f"{kiosk}.toml").read_text() for kiosk in KIOSKS}
    pins = {kiosk: load_config(kiosks / f"{kiosk}.toml").instructor_pin for kiosk in KIOSKS}

    before = snapshot(root)
    result = installed(root, with_key(credentials, tmp_path))
    after = snapshot(root)
    assert set(after) - set(before) == {"etc/sarangbang/library-keys"}
    assert {name for name in before if before[name] != after[name]} == KIOSK_TOMLS
    assert enabled(result) == ["sarangbang-class-runner.service", KEEPER, "sarangbang-site.target"]
    assert "Central's key is new in /etc/sarangbang/kiosks/kiosk-1.toml" in result.stdout
    for kiosk in KIOSKS:
        text = (kiosks / f"{kiosk}.toml").read_text()
        assert text.startswith(texts[kiosk])  # the [library] table added at the end
        config = load_config(kiosks / f"{kiosk}.toml")
        assert (config.instructor_pin, config.trusted_keys) == (pins[kiosk], (KEY,))
        texts[kiosk] = text
    assert load_config(edited).microphone == 2

    before = snapshot(root)
    result = installed(root, with_key(credentials, tmp_path, NEW_KEY))
    after = snapshot(root)
    changed = {name for name in before if before[name] != after[name]}
    assert set(after) == set(before)
    assert changed == KIOSK_TOMLS | {"etc/sarangbang/library-keys"}
    assert (root / "etc/sarangbang/library-keys").read_text().splitlines()[-1] == NEW_KEY
    assert "systemctl try-restart sarangbang-library-keeper.service" in result.stdout
    for kiosk in KIOSKS:
        old, new = texts[kiosk].splitlines(), (kiosks / f"{kiosk}.toml").read_text().splitlines()
        assert len(old) == len(new)
        assert [b for a, b in zip(old, new, strict=True) if a != b] == [
            f'trusted_keys = ["{NEW_KEY}"]'
        ]
        config = load_config(kiosks / f"{kiosk}.toml")
        assert (config.instructor_pin, config.trusted_keys) == (pins[kiosk], (NEW_KEY,))

    # a credentials file without the key (an old one) leaves the key and the keeper be
    before = snapshot(root)
    result = installed(root, credentials)
    assert snapshot(root) == before
    assert enabled(result) == ["sarangbang-class-runner.service", KEEPER, "sarangbang-site.target"]


def test_a_kiosk_toml_it_cannot_give_the_key_is_refused(tmp_path: Path, credentials: Path) -> None:
    """A [library] written as an inline table: changing one line cannot set the key."""
    root = make_root(tmp_path)
    installed(root, credentials)
    toml = root / "etc/sarangbang/kiosks/kiosk-2.toml"
    inline = f'library = {{ trusted_keys = ["{NEW_KEY}"] }}\n\n[broker]'
    toml.write_text(toml.read_text().replace("[broker]", inline))
    before = snapshot(root)
    said = refused(root, install(root, with_key(credentials, tmp_path)), before)
    assert "/etc/sarangbang/kiosks/kiosk-2.toml cannot be given central's library key" in said
    assert f'trusted_keys = ["{KEY}"]` in it by hand' in said
    assert "kiosk-1.toml" not in said


def test_a_second_run_changes_nothing_and_says_so(tmp_path: Path, credentials: Path) -> None:
    root = make_root(tmp_path)
    installed(root, credentials)
    before = snapshot(root)
    again = installed(root, credentials)
    assert snapshot(root) == before
    assert "Everything was already in place" in again.stdout
    assert "nothing changed" in again.stdout


def test_a_new_kiosk_adds_its_files_and_keeps_every_secret_and_pin(
    tmp_path: Path, credentials: Path
) -> None:
    root = make_root(tmp_path)
    installed(root, credentials)
    before = snapshot(root)
    result = installed(root, credentials, "--kiosks", "kiosk-1,kiosk-2,kiosk-3")
    after = snapshot(root)
    new = {
        "etc/sarangbang/kiosks/kiosk-3.toml",
        "etc/sarangbang/secrets/kiosk.kiosk-3.password",
    }
    assert set(after) - set(before) == new
    changed = {name for name in before if before[name] != after[name]}
    # the broker's lists (and the folders that gained a file) change; nothing else does
    assert changed == {
        "etc/sarangbang/mosquitto/devices",
        "etc/sarangbang/mosquitto/acl",
        "etc/sarangbang/mosquitto/passwords",
    }
    assert "updated           /etc/sarangbang/mosquitto/passwords" in result.stdout


def test_the_logins_it_made_work_on_a_real_site_broker(tmp_path: Path, credentials: Path) -> None:
    """The installed site snippet, its passwords and ACL, moved to a free port on 127.0.0.1
    (its paths into the root), under Debian's stock mosquitto.conf; the bridge snippet is
    left out (no central here)."""
    root = make_root(tmp_path)
    installed(root, credentials)
    port = free_port()
    conf_d = tmp_path / "conf.d"
    conf_d.mkdir()
    site = (root / "etc/mosquitto/conf.d/sarangbang-site.conf").read_text()
    site = site.replace("listener 1883 0.0.0.0", f"listener {port} 127.0.0.1")
    site = site.replace("/etc/sarangbang/", f"{root}/etc/sarangbang/")
    (conf_d / "sarangbang-site.conf").write_text(site)
    main = debian_main_conf(tmp_path / "broker", conf_d)
    broker = Broker(tmp_path / "broker", name="site", config=main, port=port).start()
    secrets = root / "etc/sarangbang/secrets"
    clients = []
    try:
        for user in ("kiosk.kiosk-1", "robot.liku-1", "runner.main", "keeper.main"):
            password = (secrets / f"{user}.password").read_text().strip()
            clients.append(Client(BrokerAddress("127.0.0.1", port, user, password)))
            assert clients[-1].connect_result == "Success", user
        other = (secrets / "kiosk.kiosk-2.password").read_text().strip()
        clients.append(Client(BrokerAddress("127.0.0.1", port, "kiosk.kiosk-1", other)))
        assert clients[-1].connect_result == "Not authorized"
    finally:
        for client in clients:
            client.close()
        broker.stop()


def test_without_useradd_it_edits_the_user_database_itself(
    tmp_path: Path, credentials: Path
) -> None:
    """The fallback where Debian's `passwd` tools are missing: PATH holds mosquitto_passwd
    only."""
    root = make_root(tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    mosquitto_passwd = shutil.which("mosquitto_passwd")
    assert mosquitto_passwd, "apt install mosquitto"
    (bin_dir / "mosquitto_passwd").symlink_to(mosquitto_passwd)
    result = install(root, credentials, path=str(bin_dir))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "edited /etc/passwd" in result.stdout
    check_files(root, MADE, set())  # no backups, no lock file
    check_service_user(root)
    before = snapshot(root)
    assert install(root, credentials, path=str(bin_dir)).returncode == 0
    assert snapshot(root) == before


# ---- refusals: exit 2, every problem named, nothing written -----------------------------------


def test_a_missing_credentials_file_is_named(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    before = snapshot(root)
    missing = tmp_path / "nowhere.toml"
    said = refused(root, install(root, missing), before)
    assert f"the credentials file {missing} does not exist" in said
    assert "central's operator makes it" in said


def test_without_arguments_it_names_each_missing_one(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    before = snapshot(root)
    result = subprocess.run(
        [PYTHON, "-I", "-S", str(INSTALLER), "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    said = refused(root, result, before)
    for option in ("--center ID is missing", "--central HOST:PORT is missing", "--credentials"):
        assert option in said


@pytest.mark.parametrize(
    ("center", "why"),
    [
        ("Mapo_2", "is not an id"),
        ("mapo--2", "is not an id"),
        ("central-intake", "begins like one of central's own logins"),
    ],
)
def test_a_bad_center_id_is_refused(tmp_path: Path, center: str, why: str) -> None:
    root = make_root(tmp_path)
    credentials = tmp_path / "credentials.toml"
    credentials.write_text(f'center = "{center}"\npassword = "{PASSWORD}"\nca_cert = "x"\n')
    before = snapshot(root)
    result = install(root, credentials, "--center", center)
    said = refused(root, result, before)
    assert f"{center!r} {why}" in said


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("center = mapo-2\n", "is not TOML"),
        (f'center = "{CENTER}"\npassword = "{PASSWORD}"\n', "lacks ca_cert"),
        ("WRONG", "is for center 'gangnam-1', not 'mapo-2'"),
        ("SHORT", "password must be 16 to 256 characters"),
        ("NOT PEM", "ca_cert must be central's CA certificate in PEM"),
        ("SSH KEY", "library_key does not start with 'ed25519:'"),
        ("SHORT KEY", "library_key is 24 bytes after 'ed25519:', an Ed25519 public key is 32"),
    ],
)
def test_a_malformed_credentials_file_is_refused(
    tmp_path: Path, credentials: Path, content: str, why: str
) -> None:
    good = credentials.read_text()
    content = {
        "WRONG": good.replace(f'center = "{CENTER}"', 'center = "gangnam-1"'),
        "SHORT": good.replace(PASSWORD, "short"),
        "NOT PEM": good.replace("BEGIN CERTIFICATE", "BEGIN NOTHING"),
        "SSH KEY": good + 'library_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"\n',
        "SHORT KEY": good + f'library_key = "ed25519:{"A" * 32}"\n',
    }.get(content, content)
    root = make_root(tmp_path)
    path = tmp_path / "credentials.toml"
    path.write_text(content)
    before = snapshot(root)
    said = refused(root, install(root, path), before)
    assert f"the credentials file {path}" in said
    assert why in said


def test_a_root_without_the_mosquitto_group_is_refused(tmp_path: Path, credentials: Path) -> None:
    root = make_root(tmp_path, mosquitto_group=False)
    before = snapshot(root)
    said = refused(root, install(root, credentials), before)
    assert "the group mosquitto does not exist" in said
    assert "apt install mosquitto" in said


def test_a_root_without_mosquitto_is_refused(tmp_path: Path, credentials: Path) -> None:
    root = make_root(tmp_path)
    shutil.rmtree(root / "etc/mosquitto")
    before = snapshot(root)
    said = refused(root, install(root, credentials), before)
    assert "Mosquitto is not installed" in said


def test_a_box_of_another_center_is_refused(tmp_path: Path, credentials: Path) -> None:
    root = make_root(tmp_path)
    installed(root, credentials)
    other = tmp_path / "other.toml"
    other.write_text(credentials.read_text().replace(CENTER, "gangnam-1"))
    before = snapshot(root)
    said = refused(root, install(root, other, "--center", "gangnam-1"), before)
    assert "says this box is center 'mapo-2', not 'gangnam-1'" in said


def test_on_this_machine_it_must_run_as_root(tmp_path: Path) -> None:
    """--root / as another user: refused before anything else happens."""
    kwargs = {"user": 65534, "group": 65534, "extra_groups": []} if os.geteuid() == 0 else {}
    result = subprocess.run(
        [PYTHON, "-I", "-S", str(INSTALLER), "--center", CENTER, "--root", "/"],
        capture_output=True,
        text=True,
        check=False,
        cwd="/",
        **kwargs,  # type: ignore[call-overload]
    )
    assert result.returncode == 2
    assert "not running as root" in result.stderr


def test_the_installer_is_a_program() -> None:
    assert os.access(INSTALLER, os.X_OK)
    assert INSTALLER.read_text().startswith("#!/usr/bin/env python3\n")
    result = subprocess.run([INSTALLER, "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "--credentials FILE" in result.stdout
