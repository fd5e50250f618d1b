"""Central's broker as a three-node NATS cluster on loopback ports, rendered by
deploy/central_cluster.py (the same logins and permissions as central's Mosquitto ACL),
each node a real nats-server that a test can kill (SIGKILL) and start again; and strangers,
nats-servers that try to join the cluster as routes."""

from __future__ import annotations

import json
import secrets
import shutil
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deploy.central_cluster import PORTS, Node, read_cluster, render_cluster
from deploy.cluster_routes import RouteLogin, cluster_block, route_login, route_url
from robot_bridge.link.mqtt_link import BrokerAddress
from tests.deploy.city import INTAKE_PASSWORD, INTAKE_USER
from tests.deploy.city import stop as stop_process
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
    monitor_ports: dict[str, int] = field(default_factory=dict)  # of every server started

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
            lines += ["[[node]]", f'name = "{name}"', 'host = "127.0.0.1"']
            lines += [f"{port} = {free_port()}" for port in PORTS]
        self.toml = self.directory / "cluster.toml"
        self.toml.write_text("\n".join(lines) + "\n")
        self.cluster = read_cluster(self.toml)
        self.monitor_ports = {node.name: node.monitor_port for node in self.cluster.nodes}
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
            self._spawn(name)
        for name in names or NODES:
            self.wait_ready(name)

    def _spawn(self, name: str) -> None:
        with (self.directory / f"{name}.log").open("ab") as log:
            self.processes[name] = subprocess.Popen(
                [NATS_SERVER, "-c", str(self.directory / f"{name}.conf")],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip

    @property
    def route_login(self) -> RouteLogin:
        """The cluster's route login, as the renderer made it (route-NAME.password)."""
        return route_login(self.secrets, self.cluster.name)

    def start_stranger(self, name: str, tls_dir: Path, login: RouteLogin | None) -> str:
        """A nats-server (no JetStream, no MQTT) that routes to every node of the cluster,
        with `tls_dir`'s certificate, key and CA and, in its route URLs, `login` (None: no
        credentials). Its server id (the nodes' /routez names routes by it) once it is up."""
        ports = {key: free_port() for key in PORTS}
        node = Node(name, "127.0.0.1", "127.0.0.1", **ports)
        routes = [route_url(other, login) for other in self.cluster.nodes]
        own = login or RouteLogin(f"route-{name}", secrets.token_urlsafe(32))  # its own port's
        (self.directory / f"{name}.conf").write_text(
            f'server_name: "{name}"\nlisten: "127.0.0.1:{node.client_port}"\n'
            f'http: "127.0.0.1:{node.monitor_port}"\n'
            + cluster_block(self.cluster.name, node, own, tls_dir, routes)
        )
        self.monitor_ports[name] = node.monitor_port
        self._spawn(name)
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"nats-server {name} exited: see {self.directory}/{name}.log")
            try:
                return str(self.monitor(name, "varz")["server_id"])
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nats-server {name}: no /varz within {READY_SECONDS:g} s")

    def monitor(self, name: str, endpoint: str) -> dict[str, Any]:
        """A server's monitoring endpoint (`varz`, `routez`, …) as JSON."""
        url = f"http://127.0.0.1:{self.monitor_ports[name]}/{endpoint}"
        with urllib.request.urlopen(url, timeout=2) as answer:
            return dict(json.load(answer))

    def route_ids(self, name: str) -> set[str]:
        """The server ids of the routes `name` has now (/routez)."""
        routes = self.monitor(name, "routez")["routes"]
        return {str(route["remote_id"]) for route in routes or []}

    def log(self, name: str) -> str:
        return (self.directory / f"{name}.log").read_text(errors="replace")

    def wait_ready(self, name: str) -> None:
        """Until the node is back in the cluster's JetStream (its meta layer current), then
        for at most CATCH_UP_SECONDS until its streams and consumers have caught up too:
        while events flow, a restarted node's copy of a busy consumer can stay a little
        behind for long (measured: /healthz flapping for 20 s), and one node behind is what
        a three-node cluster is for."""
        self._wait_health(name, "?js-server-only=true", READY_SECONDS, required=True)
        self._wait_health(name, "", CATCH_UP_SECONDS, required=False)

    def _wait_health(self, name: str, query: str, seconds: float, required: bool) -> None:
        url = f"http://127.0.0.1:{self.monitor_ports[name]}/healthz{query}"
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
            stop_process(self.processes.pop(name))

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
