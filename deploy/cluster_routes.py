"""The routes between central's NATS nodes, for deploy/central_cluster.py.

A node's route port carries every center's traffic between the nodes (JetStream's copies of
sessions, retained rosters, queued batches), so a route is both authenticated and encrypted:

- a login of the cluster's own, `route-NAME`, whose secret the renderer makes once, at its
  first run, as SECRETS_DIR/route-NAME.password (0600, like install-central's center
  secrets) and keeps; every node's config holds it in its `authorization` block and in the
  URLs of its routes to the other nodes (`nats-route://route-NAME:SECRET@host:port`);
- mutual TLS with central's certificate (TLS_DIR/central.crt, .key, ca.crt): each node
  checks the other's certificate against the CA both ways, so the certificate must name
  every node's route host and be usable as a client's too (extendedKeyUsage clientAuth,
  which deploy/tls/make-dev-ca.sh gives it). nats-server 2.9 always verifies routes.

Standard library only (Debian's python3), like the renderer.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deploy.central_cluster import Node

# token_urlsafe's alphabet only: the secret goes into a URL as it is
ROUTE_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,256}\Z")
TLS_TIMEOUT = 5  # seconds for a TLS handshake or a route's login (nats-server's default: 2)


class RouteSecretError(Exception):
    """The route secret cannot be made or read: says which file and why."""


@dataclass(frozen=True)
class RouteLogin:
    user: str
    password: str


def route_secret_path(secrets_dir: Path, cluster_name: str) -> Path:
    return secrets_dir / f"route-{cluster_name}.password"


def route_login(secrets_dir: Path, cluster_name: str) -> RouteLogin:
    """The cluster's route login; its secret made at the first call (0600) and kept."""
    path = route_secret_path(secrets_dir, cluster_name)
    if not path.exists():
        _make_once(path, secrets.token_urlsafe(32) + "\n")
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise RouteSecretError(f"cannot read {path}: {exc}") from None
    if not ROUTE_SECRET.match(secret):
        raise RouteSecretError(
            f"{path}: not a route secret this renderer makes (32–256 of A-Z a-z 0-9 _-); "
            "remove it to have a new one made, then install every node's config again"
        )
    return RouteLogin(f"route-{cluster_name}", secret)


def _make_once(path: Path, text: str) -> None:
    """Written whole to a 0600 file beside it, then linked into place unless one is there."""
    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as exc:
        raise RouteSecretError(f"cannot make {path}: {exc.strerror}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)  # mkstemp's file is 0600 already
        os.link(temporary, path)
    except FileExistsError:
        pass  # made meanwhile by another run: that one is kept
    except OSError as exc:
        raise RouteSecretError(f"cannot make {path}: {exc.strerror}") from None
    finally:
        os.unlink(temporary)


def route_url(node: Node, login: RouteLogin | None) -> str:
    """How another node reaches `node`'s route port, with `login`'s credentials if given."""
    credentials = f"{login.user}:{login.password}@" if login else ""
    return f"nats-route://{credentials}{node.route_address}"


def tls_block(tls_dir: Path, verify: bool) -> str:
    """A listener's `tls { … }` with central's certificate; `verify`: the peer's too."""
    lines = [f'cert_file: "{tls_dir / "central.crt"}"', f'key_file: "{tls_dir / "central.key"}"']
    if verify:
        lines += [f'ca_file: "{tls_dir / "ca.crt"}"', "verify: true"]
    body = "".join(f"    {line}\n" for line in [*lines, f"timeout: {TLS_TIMEOUT}"])
    return f"  tls {{\n{body}  }}"


def cluster_block(
    cluster_name: str, node: Node, login: RouteLogin, tls_dir: Path, routes: list[str]
) -> str:
    """`cluster { … }`: `node`'s route listener (login and mutual TLS required), and its
    routes (URLs, route_url) to the other nodes."""
    quoted = "".join(f'\n    "{url}"' for url in routes)
    return f"""cluster {{
  name: "{cluster_name}"
  # the other nodes only: firewall this port to them (docs/central-cluster.md)
  listen: "{node.route_address}"
  authorization {{
    user: "{login.user}"
    password: "{login.password}"
    timeout: {TLS_TIMEOUT}
  }}
{tls_block(tls_dir, verify=True)}
  routes: [{quoted}
  ]
}}"""
