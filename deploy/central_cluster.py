#!/usr/bin/env python3
"""Render central's broker as a NATS cluster: `central_cluster.py CLUSTER.toml OUT_DIR`.

Writes OUT_DIR/NODE.conf for every node of CLUSTER.toml (one nats-server each, MQTT with
JetStream, three nodes for a city: docs/central-cluster.md), 0640, each holding the logins:
central's own services (the `user` blocks of deploy/mosquitto/acl, e.g. `central-intake`)
and every center, with the permissions that ACL gives them (its `pattern` lines with `%u`
= the center), so one file says who may do what on either broker. Passwords come from the
secrets folder install-central keeps (`central-intake.password`, `center-ID.password`).
It also writes OUT_DIR/systemd/sarangbang-{intake,dashboard}.service.d/cluster.conf: the
units' own command lines (deploy/systemd/) with every node as `--broker` over TLS, and for
intake a `--worker-id` nobody can guess (a NATS cluster does not tie client ids to logins:
a center naming intake's id would take over, and with a clean session wipe, its session).
The routes between the nodes need the cluster's route login and mutual TLS
(deploy/cluster_routes.py): the login's secret is made once, at the first render, as
SECRETS_DIR/route-NAME.password (0600), and kept. Every problem is named at once; nothing
is written unless all is well. Standard library only (Debian's python3), like
install-central.

CLUSTER.toml:

    name = "sarangbang-central"           # the cluster's name (routes refuse other clusters)
    tls_dir = "/etc/sarangbang/tls"       # ca.crt, central.crt, central.key (every node's host
                                          # and route_host named, clientAuth too: routes)
    secrets_dir = "/etc/sarangbang/secrets"
    data_dir = "/var/lib/nats-server"     # JetStream's files: DATA_DIR/NODE
    [[node]]
    name = "central-1"
    host = "10.0.0.1"                     # where centers and central's services reach it
    route_host = "192.168.0.1"            # where the other nodes reach it (default: host)
    # mqtt_port = 8883 (on host), cluster_port = 6222 (on route_host); client_port = 4222,
    # monitor_port = 8222 (on 127.0.0.1): the defaults; [[node]] again for each node
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

if not __package__:  # run as `python3 deploy/central_cluster.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deploy.cluster_routes import (
    RouteLogin,
    RouteSecretError,
    cluster_block,
    route_login,
    route_secret_path,
    route_url,
    tls_block,
)

DEPLOY = Path(__file__).resolve().parent
ACL = DEPLOY / "mosquitto" / "acl"
UNITS = DEPLOY / "systemd"
SINGLE_BROKER = "--broker 127.0.0.1:1883"  # what the units say for central's one Mosquitto
INTAKE_USER = "central-intake"
# MQTT's packet limit (deploy/mosquitto/*.conf.in: max_packet_size): a 1 MB batch and headroom
MAX_PAYLOAD = 2_000_000
# QoS 1 messages a subscription may have unacknowledged (Mosquitto: max_inflight_messages)
MAX_ACK_PENDING = 100
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\Z")
PASSWORD = re.compile(r"^[A-Za-z0-9._~+/=-]{8,256}\Z")  # token_urlsafe's alphabet and more
CENTER_SECRET = re.compile(r"^center-(.+)\.password\Z")
PORTS = {"mqtt_port": 8883, "cluster_port": 6222, "client_port": 4222, "monitor_port": 8222}
ACCOUNT = "SARANGBANG"
JETSTREAM_DELIVERY = "$MQTT.sub.>"


class ClusterError(Exception):
    """CLUSTER.toml, the ACL or the secrets cannot make a cluster; says every problem."""


@dataclass(frozen=True)
class Node:
    name: str
    host: str
    route_host: str  # the route port's address: a private network's, ideally
    mqtt_port: int = PORTS["mqtt_port"]
    cluster_port: int = PORTS["cluster_port"]
    client_port: int = PORTS["client_port"]
    monitor_port: int = PORTS["monitor_port"]

    @property
    def mqtt_address(self) -> str:
        return f"{self.host}:{self.mqtt_port}"

    @property
    def route_address(self) -> str:
        return f"{self.route_host}:{self.cluster_port}"

    def listens_on(self, port: str) -> tuple[str, int]:
        return (self.route_host if port == "cluster_port" else self.host, getattr(self, port))


@dataclass(frozen=True)
class Cluster:
    name: str
    nodes: tuple[Node, ...]
    tls_dir: Path
    secrets_dir: Path
    data_dir: Path

    @property
    def mqtt_addresses(self) -> str:
        """The nodes as a center's bridge and central's programs name them: `h:p,h:p,…`."""
        return ",".join(node.mqtt_address for node in self.nodes)


def read_cluster(path: Path) -> Cluster:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ClusterError(f"{path}: cannot read it: {exc}") from None
    problems: list[str] = []
    known = {"name", "tls_dir", "secrets_dir", "data_dir", "node"}
    problems += [f"{path}: unknown key {key!r}" for key in sorted(set(data) - known)]
    texts = {k: data.get(k) for k in ("name", "tls_dir", "secrets_dir", "data_dir")}
    for key, value in texts.items():
        if not isinstance(value, str) or not value:
            problems.append(f"{path}: {key} must be given as a string")
    if isinstance(texts["name"], str) and not NAME.match(texts["name"]):
        problems.append(f"{path}: name {texts['name']!r} is not lowercase words and dashes")
    entries = data.get("node", [])
    if not isinstance(entries, list):
        problems.append(f"{path}: node must be [[node]] tables")
        entries = []
    nodes = [_node(path, n, entry, problems) for n, entry in enumerate(entries, 1)]
    if len(nodes) < 3 or len(nodes) % 2 == 0:
        problems.append(
            f"{path}: {len(nodes)} [[node]] entries: a cluster needs an odd number, at least 3 "
            "(JetStream keeps going while a majority of the nodes is up)"
        )
    _no_repeats(path, nodes, problems)
    if problems:
        raise ClusterError("\n".join(problems))
    return Cluster(
        str(texts["name"]),
        tuple(n for n in nodes if n is not None),
        *(Path(str(texts[k])) for k in ("tls_dir", "secrets_dir", "data_dir")),
    )


def _node(path: Path, number: int, entry: object, problems: list[str]) -> Node | None:
    where = f"{path}: node {number}"
    if not isinstance(entry, dict):
        problems.append(f"{where}: not a table")
        return None
    before = len(problems)
    problems += [
        f"{where}: unknown key {k!r}"
        for k in sorted(set(entry) - {"name", "host", "route_host", *PORTS})
    ]
    name, host = entry.get("name"), entry.get("host")
    route_host = entry.get("route_host", host)
    if not isinstance(name, str) or not NAME.match(name):
        problems.append(f"{where}: name {name!r} is not lowercase words and dashes")
    given = {"host": host} | ({"route_host": route_host} if "route_host" in entry else {})
    for key, value in given.items():
        if not isinstance(value, str) or not HOST.match(value):
            problems.append(f"{where}: {key} {value!r} is not a host name or IPv4 address")
    ports = {key: entry.get(key, default) for key, default in PORTS.items()}
    for key, port in ports.items():
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            problems.append(f"{where}: {key} {port!r} is not a port number")
    if len(problems) > before:
        return None
    return Node(str(name), str(host), str(route_host), **ports)


def _no_repeats(path: Path, nodes: list[Node | None], problems: list[str]) -> None:
    seen: dict[object, str] = {}
    for node in filter(None, nodes):
        for key in [node.name, *(node.listens_on(port) for port in PORTS)]:
            if key in seen:
                problems.append(f"{path}: {node.name} repeats {key!r} (of {seen[key]})")
            seen[key] = node.name


# --- the ACL, as NATS permissions ---------------------------------------------------------

Rule = tuple[str, str]  # (read | write | readwrite, MQTT topic filter)
Logins = dict[str, tuple[str, dict[str, list[str]]]]  # user -> (password, permissions)


def read_acl(text: str) -> tuple[list[Rule], dict[str, list[Rule]]]:
    """deploy/mosquitto/acl: its `pattern` rules and each `user`'s `topic` rules."""
    patterns: list[Rule] = []
    users: dict[str, list[Rule]] = {}
    current: list[Rule] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        words = raw.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "user" and len(words) == 2:
            current = users.setdefault(words[1], [])
        elif words[0] in ("pattern", "topic") and len(words) == 3:
            rule = (words[1], words[2])
            if words[1] not in ("read", "write", "readwrite"):
                raise ClusterError(f"{ACL}:{number}: unknown access {words[1]!r}")
            if words[0] == "pattern":
                patterns.append(rule)
            elif current is None:
                raise ClusterError(f"{ACL}:{number}: `topic` before any `user`")
            else:
                current.append(rule)
        else:
            raise ClusterError(f"{ACL}:{number}: cannot read {raw.strip()!r}")
    return patterns, users


def subject(topic: str) -> str:
    """An MQTT topic filter as the NATS subject its server matches it against."""
    levels = topic.split("/")
    if any(not level or "." in level or " " in level for level in levels):
        raise ClusterError(f"topic {topic!r}: NATS cannot carry empty levels, dots or spaces")
    return ".".join({"+": "*", "#": ">"}.get(level, level) for level in levels)


def permissions(rules: list[Rule], center: str | None = None) -> dict[str, list[str]]:
    """`publish` and `subscribe` subjects for `rules` (a pattern's `%u` = `center`)."""
    # NATS delivers a QoS 1 subscription's messages through a JetStream consumer to an
    # internal subject of the session, which the login must be allowed to take (measured:
    # without it every QoS 1 SUBSCRIBE fails). MQTT clients cannot name `$MQTT` topics.
    allowed: dict[str, list[str]] = {"publish": [], "subscribe": [JETSTREAM_DELIVERY]}
    for access, topic in rules:
        name = subject(topic.replace("%u", center) if center else topic)
        if access in ("write", "readwrite"):
            allowed["publish"].append(name)
        if access in ("read", "readwrite"):
            allowed["subscribe"].append(name)
    return allowed


def logins(cluster: Cluster, acl_text: str) -> Logins:
    """Every login: user -> (password, permissions); central's services, then centers."""
    patterns, services = read_acl(acl_text)
    problems: list[str] = []
    found: Logins = {}
    for user, rules in services.items():
        password = _password(cluster.secrets_dir / f"{user}.password", problems)
        found[user] = (password, permissions(rules))
    try:
        names = sorted(os.listdir(cluster.secrets_dir))
    except OSError as exc:
        raise ClusterError(f"cannot list {cluster.secrets_dir}: {exc.strerror}") from None
    for file_name in names:
        match = CENTER_SECRET.match(file_name)
        if not match:
            continue
        center = match.group(1)
        if not NAME.match(center) or center in found:
            problems.append(f"{cluster.secrets_dir / file_name}: {center!r} is no center id")
            continue
        password = _password(cluster.secrets_dir / file_name, problems)
        found[center] = (password, permissions(patterns, center))
    if problems:
        raise ClusterError("\n".join(problems))
    return found


def _password(path: Path, problems: list[str]) -> str:
    try:
        password = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        problems.append(f"cannot read {path}: {exc.strerror}")
        return ""
    if not PASSWORD.match(password):
        problems.append(
            f"{path}: not a password install-central makes (8–256 of A-Z a-z 0-9 ._~+/=-)"
        )
    return password


# --- nats-server's config ------------------------------------------------------------------


def node_config(cluster: Cluster, node: Node, users: Logins, route: RouteLogin) -> str:
    routes = [route_url(other, route) for other in cluster.nodes if other != node]
    user_lines = "\n".join(
        _user(name, password, allowed) for name, (password, allowed) in users.items()
    )
    return f"""# {node.name} of central's broker cluster {cluster.name!r}: rendered by
# deploy/central_cluster.py from {ACL.name} and the secrets in {cluster.secrets_dir};
# render again after adding a center, then `systemctl reload nats-server` on every node.
server_name: "{node.name}"
# NATS clients: none of ours; on this machine only (the `nats` tool, if wanted)
listen: "127.0.0.1:{node.client_port}"
# /healthz?js-enabled-only=true answers 200 once this node's JetStream is ready
http: "127.0.0.1:{node.monitor_port}"
max_payload: {MAX_PAYLOAD}

jetstream {{
  store_dir: "{cluster.data_dir / node.name}"
}}

# Routes carry every center's traffic between the nodes: login and mutual TLS required.
{cluster_block(cluster.name, node, route, cluster.tls_dir, routes)}

# Centers (over the internet) and central's own services log in here, always over TLS.
mqtt {{
  listen: "{node.host}:{node.mqtt_port}"
{tls_block(cluster.tls_dir, verify=False)}
  # sessions, retained messages and queued QoS 1 messages: on every node
  stream_replicas: {len(cluster.nodes)}
  consumer_replicas: {len(cluster.nodes)}
  max_ack_pending: {MAX_ACK_PENDING}
}}

accounts {{
  {ACCOUNT}: {{
    jetstream: enabled
    users: [
{user_lines}
    ]
  }}
}}
"""


def _user(name: str, password: str, allowed: dict[str, list[str]]) -> str:
    def quoted(subjects: list[str]) -> str:
        return "[" + ", ".join(f'"{s}"' for s in subjects) + "]"

    return (
        f'      {{user: "{name}", password: "{password}", allowed_connection_types: ["MQTT"],\n'
        f"       permissions: {{publish: {{allow: {quoted(allowed['publish'])}}},\n"
        f"                     subscribe: {{allow: {quoted(allowed['subscribe'])}}}}}}}"
    )


def render_cluster(cluster: Cluster, acl_text: str | None = None) -> dict[str, str]:
    """Relative path -> content: one config per node, and the services' drop-ins."""
    users = logins(cluster, ACL.read_text() if acl_text is None else acl_text)
    files = _service_drop_ins(cluster, users)
    try:  # made, if need be, only once everything else is known to be well
        route = route_login(cluster.secrets_dir, cluster.name)
    except RouteSecretError as exc:
        raise ClusterError(str(exc)) from None
    nodes = {f"{n.name}.conf": node_config(cluster, n, users, route) for n in cluster.nodes}
    return nodes | files


def _service_drop_ins(cluster: Cluster, users: Logins) -> dict[str, str]:
    files: dict[str, str] = {}
    secret = hashlib.sha256(f"sarangbang intake id:{users[INTAKE_USER][0]}".encode())
    flags = f"--broker {cluster.mqtt_addresses} --cafile {cluster.tls_dir / 'ca.crt'}"
    for unit, more in (
        ("intake", f" --worker-id intake-{secret.hexdigest()[:16]}"),
        ("dashboard", ""),
    ):
        name = f"sarangbang-{unit}.service"
        command = _exec_start(UNITS / name).replace(SINGLE_BROKER, flags + more)
        files[f"systemd/{name}.d/cluster.conf"] = (
            f"# central's broker is the NATS cluster {cluster.name!r} (deploy/central_cluster.py)\n"
            f"[Service]\nExecStart=\nExecStart={command}\n"
        )
    return files


def _exec_start(unit: Path) -> str:
    lines = [line for line in unit.read_text().splitlines() if line.startswith("ExecStart=")]
    if len(lines) != 1 or SINGLE_BROKER not in lines[0]:
        raise ClusterError(f"{unit}: expected one ExecStart= with {SINGLE_BROKER!r}")
    return lines[0].removeprefix("ExecStart=")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    try:
        cluster = read_cluster(Path(argv[0]))
        files = render_cluster(cluster)
    except ClusterError as exc:
        raise SystemExit(f"central_cluster.py: {exc}") from None
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o640, exist_ok=True)
        os.chmod(path, 0o640)
        path.write_text(text)
    print(f"wrote {', '.join(files)} in {out}\ncentral's broker for the centers' bridges "
          f"(central_addresses): {cluster.mqtt_addresses.replace(',', ' ')}\n"
          f"the routes' secret (kept, made at the first render; every node's config holds it): "
          f"{route_secret_path(cluster.secrets_dir, cluster.name)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
