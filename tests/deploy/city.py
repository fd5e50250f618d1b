"""A small city on one machine, built from the real deploy/ files: a central broker with TLS,
passwords and ACLs, and site brokers bridged to it, each with kiosks and sync agents.

Every broker runs as on Debian: Debian's stock mosquitto.conf (persistence, include_dir)
with the rendered deploy/ snippets in its conf.d folder. Site devices log in with users
made by deploy/site_users.py."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deploy import site_users
from deploy.render import render
from robot_bridge.link.mqtt_link import BrokerAddress, read_password_file
from tests.mosquitto import Broker, free_port

if TYPE_CHECKING:
    from tests.deploy.nats_cluster import NatsCentral

DEPLOY = Path(__file__).parents[2] / "deploy"
DEBIAN_CONF = Path(__file__).with_name("debian-mosquitto.conf")  # the package's, verbatim
INTAKE_USER, INTAKE_PASSWORD = "central-intake", "intake-secret"
RELOAD_SECONDS = 0.5  # Mosquitto re-reads passwords and ACL on SIGHUP, between loop turns


def debian_main_conf(data_dir: Path, conf_d: Path) -> str:
    """Debian's stock /etc/mosquitto/mosquitto.conf with its folders moved to `data_dir` and
    `conf_d` (the pid file and log lines go: the test broker logs to its own file)."""
    text = DEBIAN_CONF.read_text()
    text = text.replace("/var/lib/mosquitto/", f"{data_dir}/")
    text = text.replace("/etc/mosquitto/conf.d", str(conf_d))
    return "\n".join(
        line for line in text.splitlines() if not line.startswith(("pid_file", "log_dest"))
    )


def make_tls(directory: Path) -> Path:
    subprocess.run(
        [DEPLOY / "tls" / "make-dev-ca.sh", directory, "localhost"], check=True, capture_output=True
    )
    return directory


def add_password(password_file: Path, user: str, password: str) -> None:
    create = [] if password_file.exists() else ["-c"]
    subprocess.run(
        ["mosquitto_passwd", *create, "-b", password_file, user, password],
        check=True,
        capture_output=True,
    )


@dataclass
class Central:
    directory: Path
    tls_dir: Path
    tls_port: int = field(default_factory=free_port)
    local_port: int = field(default_factory=free_port)
    broker: Broker = field(init=False)

    def __post_init__(self) -> None:
        config_dir, conf_d = self.directory / "config", self.directory / "conf.d"
        config_dir.mkdir(parents=True)
        conf_d.mkdir()
        shutil.copy(DEPLOY / "mosquitto" / "acl", config_dir / "acl")
        add_password(config_dir / "passwords", INTAKE_USER, INTAKE_PASSWORD)
        text = render(
            DEPLOY / "mosquitto" / "central.conf.in",
            {
                "config_dir": str(config_dir),
                "tls_dir": str(self.tls_dir),
                "tls_port": str(self.tls_port),
                "local_port": str(self.local_port),
            },
        )
        (conf_d / "sarangbang-central.conf").write_text(text)
        main = debian_main_conf(self.directory, conf_d)
        self.broker = Broker(self.directory, name="central", config=main, port=self.local_port)

    def add_center(self, center: str, password: str) -> None:
        add_password(self.directory / "config" / "passwords", center, password)
        if self.broker.process:  # mosquitto reads the password file again on SIGHUP
            self.broker.process.send_signal(signal.SIGHUP)

    @property
    def bridge_addresses(self) -> str:
        """The `address` of a center's bridge (deploy/mosquitto/site-bridge.conf.in)."""
        return f"localhost:{self.tls_port}"

    @property
    def intake_address(self) -> BrokerAddress:
        return BrokerAddress("127.0.0.1", self.local_port, INTAKE_USER, INTAKE_PASSWORD)

    def center_address(self, center: str, password: str) -> BrokerAddress:
        return BrokerAddress("localhost", self.tls_port, center, password, self.tls_dir / "ca.crt")


@dataclass
class Site:
    center: str
    directory: Path
    central: Central | NatsCentral
    password: str = "center-secret"
    port: int = field(default_factory=free_port)
    # The bridge's `address` when not central's own (e.g. a cuttable link in front of it)
    bridge_addresses: str | None = None
    broker: Broker = field(init=False)

    def __post_init__(self) -> None:
        config_dir, conf_d = self.directory / "config", self.directory / "conf.d"
        conf_d.mkdir(parents=True)
        addresses = self.bridge_addresses or self.central.bridge_addresses
        site_users.init(config_dir, self.center)
        values = {
            "center": self.center,
            "password": self.password,
            "central_addresses": addresses,
            "try_private": site_users.bridge_mode(addresses.split()),
            "bridge_client_id": site_users.bridge_client_id(self.center, self.password),
            "tls_dir": str(self.central.tls_dir),
            "site_port": str(self.port),
            "site_bind": "127.0.0.1",
            "config_dir": str(config_dir),
        }
        bridge = render(DEPLOY / "mosquitto" / "site-bridge.conf.in", values)
        (conf_d / "sarangbang-bridge.conf").write_text(bridge)
        text = render(DEPLOY / "mosquitto" / "site.conf.in", values)
        (conf_d / "sarangbang-site.conf").write_text(text)
        main = debian_main_conf(self.directory, conf_d)
        self.broker = Broker(
            self.directory, name=f"site-{self.center}", config=main, port=self.port
        )
        self.central.add_center(self.center, self.password)

    def add_device(self, role: str, device: str) -> Path:
        """A site login for a device (deploy/site_users.py); returns its password file."""
        secret = self.directory / "secrets" / f"{role}.{device}.password"
        site_users.add(self.directory / "config", role, device, secret)
        if self.broker.process:  # mosquitto reads passwords and ACL again on SIGHUP
            self.broker.process.send_signal(signal.SIGHUP)
            time.sleep(RELOAD_SECONDS)
        return secret

    def login(self, role: str, device: str) -> BrokerAddress:
        """The site broker, logged in as that device (added first if it is new)."""
        secret = self.add_device(role, device)
        user = site_users.username(role, device)
        return BrokerAddress("127.0.0.1", self.port, user, read_password_file(secret))

    def kiosk_config(self, kiosk: str) -> Path:
        """A kiosk's config with its own login on the site broker."""
        secret = self.add_device("kiosk", kiosk)
        path = self.directory / f"{kiosk}.toml"
        path.write_text(
            f'center_id = "{self.center}"\nkiosk_id = "{kiosk}"\ninstructor_pin = "1234"\n'
            f'data_dir = "{kiosk}-data"\n[broker]\nhost = "127.0.0.1"\nport = {self.port}\n'
            f'username = "{site_users.username("kiosk", kiosk)}"\npassword_file = "{secret}"\n'
        )
        return path


def spawn(module: str, *args: str | Path, log: Path) -> subprocess.Popen[bytes]:
    """A Sarangbang program in its own process, its output in `log`."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", module, *map(str, args)], stdout=out, stderr=subprocess.STDOUT
        )


def spawn_intake(central: Central | NatsCentral, db: Path, log: Path) -> subprocess.Popen[bytes]:
    password_file = central.directory / "intake.password"
    password_file.write_text(INTAKE_PASSWORD)
    address = central.intake_address
    tls: list[str | Path] = ["--cafile", address.ca_file] if address.ca_file else []
    return spawn(
        "central.cli", "--db", db, "intake", "--broker", str(address),
        "--username", INTAKE_USER, "--password-file", password_file, *tls, log=log,
    )  # fmt: skip


def spawn_agent(config: Path, log: Path) -> subprocess.Popen[bytes]:
    return spawn("kiosk_app.sync.sync_cli", "--config", config, log=log)


def stop(process: subprocess.Popen[Any], kill: bool = False) -> None:
    """End `process` (SIGTERM, or SIGKILL with `kill`); one that outlasts 10 s is killed."""
    if process.poll() is None:
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
