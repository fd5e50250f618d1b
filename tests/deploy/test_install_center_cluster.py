"""install-center for a city whose central broker is a cluster (docs/central-cluster.md):
`--central` names every node, and the bridge lists them all, with a client id nobody can
guess. (Everything else install-center does: test_install_center.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.site_users import bridge_client_id
from tests.deploy.test_install_center import CENTER, PASSWORD, credentials, install, installed
from tests.deploy.throwaway_root import make_root, refused, snapshot

__all__ = ["credentials"]  # the fixture, shared with test_install_center.py
NODES = "n1.example.org:8883,n2.example.org:8883,10.0.0.3:8883"


def test_the_bridge_lists_every_node_of_centrals_cluster(tmp_path: Path, credentials: Path) -> None:
    root = make_root(tmp_path)
    result = installed(root, credentials, "--central", NODES)
    assert f"bridged to {NODES.replace(',', ', ')}" in result.stdout
    bridge = (root / "etc/mosquitto/conf.d/sarangbang-bridge.conf").read_text()
    for line in (
        f"address {NODES.replace(',', ' ')}",
        "round_robin true",
        "try_private false",
        "bridge_protocol_version mqttv311",
        f"remote_clientid {bridge_client_id(CENTER, PASSWORD)}",
        f"local_clientid local.sarangbang-bridge-{CENTER}",
    ):
        assert f"\n{line}\n" in bridge
    assert PASSWORD not in bridge_client_id(CENTER, PASSWORD)


@pytest.mark.parametrize(
    ("central", "why"),
    [
        ("n1.example.org:8883,n2.example.org", "'n2.example.org' in "),
        ("n1.example.org:8883,", "'' in "),
        ("n1.example.org:8883,n1.example.org:8883", "names a node twice"),
    ],
)
def test_a_bad_node_is_named(tmp_path: Path, credentials: Path, central: str, why: str) -> None:
    root = make_root(tmp_path)
    before = snapshot(root)
    said = refused(root, install(root, credentials, "--central", central), before)
    assert why in said
