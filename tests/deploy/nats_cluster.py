"""Central's broker as a three-node NATS cluster on loopback ports, rendered by
deploy/central_cluster.py (the same logins and permissions as central's Mosquitto ACL),
each node a real nats-server that a test can kill (SIGKILL) and start again."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from deploy.central_cluster import Node, read_cluster, render_cluster
from robot_bridge.link.mqtt_link import BrokerAddress
from tests.deploy.city import INTAKE_PASSWORD, INTAKE_USER
from tests.mosquitto import free_port

NATS_SERVER = shutil.which("nats-server") or "/usr/sbin/nats-server"
NODES = ("central-1", "central-2", "central-3")
READY_SECONDS = 20.0
CATCH_UP_SECONDS = 5.0


@dataclass
class NatsCentral:
    directory: Path
    tls_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not Path(NATS_SERVER).exists():
            raise RuntimeError("nats-server is not installed: apt install nats-server")
        self.secrets = self.directory / "secrets"
        self.secrets.mkdir(parents=True)
        (self.secrets / f"{INTAKE_USER}.password").write_text(INTAKE_PASSWORD)
        lines = [
            'name = "sarangbang-central"',
            f'tls_dir = "{self.tls_dir}"',
            f'secrets_dir = "{self.secrets}"',
            f'data_dir = "{self.directory / "data"}"',
        ]
        for name in NODES:
            ports = ("mqtt_port", "cluster_port", "client_port", "monitor_port")
            lines += ["[[node]]", f'name = "{name}"', 'host = "127.0.0.1"']
            lines += [f"{port} = {free_port()}" for port in ports]
        self.toml = self.directory / "cluster.toml"
        self.toml.write_text("\n".join(lines) + "\n")
        self.cluster = read_cluster(self.toml)
        self.render()

    def render(self) -> None:
        for name, text in render_cluster(self.cluster).items():
            (self.directory / name).parent.mkdir(parents=True, exist_ok=True)
            (self.directory / name).write_text(text)

    def node(self, name: str) -> Node:
        return next(node for node in self.cluster.nodes if node.name == name)

    def add_center(self, center: str, password: str) -> None:
        """The center's login on every node: rendered again, then reloaded (SIGHUP)."""
        (self.secrets / f"center-{center}.password").write_text(password)
        self.render()
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGHUP)
        time.sleep(0.5)

    def start(self, *names: str) -> None:
        for name in names or NODES:
            with (self.directory / f"{name}.log").open("ab") as log:
                self.processes[name] = subprocess.Popen(
                    [NATS_SERVER, "-c", str(self.directory / f"{name}.conf")],
                    stdout=log, stderr=subprocess.STDOUT,
                )  # fmt: skip
        for name in names or NODES:
            self.wait_ready(name)

    def wait_ready(self, name: str) -> None:
        """Until the node is back in the cluster's JetStream (its meta layer current), then
        for at most CATCH_UP_SECONDS until its streams and consumers have caught up too:
        while events flow, a restarted node's copy of a busy consumer can stay a little
        behind for long (measured: /healthz flapping for 20 s), and one node behind is what
        a three-node cluster is for."""
        self._wait_health(name, "?js-server-only=true", READY_SECONDS, required=True)
        self._wait_health(name, "", CATCH_UP_SECONDS, required=False)

    def _wait_health(self, name: str, query: str, seconds: float, required: bool) -> None:
        url = f"http://127.0.0.1:{self.node(name).monitor_port}/healthz{query}"
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"nats-server {name} exited: see {self.directory}/{name}.log")
            try:
                with urllib.request.urlopen(url, timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        if required:
            raise RuntimeError(f"nats-server {name}: {url} not ok within {seconds:g} s")

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.kill()
        process.wait(10)

    def stop(self) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    @property
    def bridge_addresses(self) -> str:
        """Every node, as a center's bridge lists them (`address h:p h:p h:p`)."""
        return " ".join(f"localhost:{node.mqtt_port}" for node in self.cluster.nodes)

    @property
    def intake_address(self) -> BrokerAddress:
        nodes = ",".join(f"localhost:{node.mqtt_port}" for node in self.cluster.nodes)
        return BrokerAddress.parse(
            nodes, username=INTAKE_USER, password=INTAKE_PASSWORD,
            ca_file=self.tls_dir / "ca.crt",
        )  # fmt: skip
