"""install-center for a city whose central broker is a cluster (docs/central-cluster.md):
`--central` names every node, and the bridge lists them all, with a client id nobody can
guess; the bridge is plain MQTT, so the center gets the retainer (its login and unit) that
keeps central's retained topics retained at the site (test_site_retainer.py). (Everything
else install-center does: test_install_center.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.site_users import bridge_client_id
from robot_bridge.link.mqtt_link import BrokerAddress
from tests.deploy.acl_client import Client
from tests.deploy.city import debian_main_conf
from tests.deploy.test_install_center import (
    CENTER,
    MADE,
    PASSWORD,
    RETAINER,
    UNIT_DIR,
    credentials,
    enabled,
    install,
    installed,
)
from tests.deploy.throwaway_root import (
    PUBLIC,
    SECRET,
    SHADOW_UTILS,
    check_files,
    make_root,
    refused,
    snapshot,
)
from tests.mosquitto import Broker, free_port

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


def test_behind_the_plain_bridge_it_adds_the_retainer_and_its_login(
    tmp_path: Path, credentials: Path
) -> None:
    root = make_root(tmp_path)
    result = installed(root, credentials, "--central", NODES)
    check_files(
        root,
        MADE | {
            "etc/sarangbang/secrets/retainer.main.password": SECRET,
            f"etc/systemd/system/{RETAINER}": PUBLIC,
        },
        SHADOW_UTILS,
    )  # fmt: skip
    unit = root / "etc/systemd/system" / RETAINER
    assert unit.read_bytes() == (UNIT_DIR / RETAINER).read_bytes()
    runner, target = "sarangbang-class-runner.service", "sarangbang-site.target"
    assert enabled(result) == [runner, RETAINER, target]
    said = " ".join(result.stdout.split())
    assert f"{RETAINER}, as retainer.main, keeps central's roster" in said
    etc = root / "etc/sarangbang"
    assert "\nretainer main\n" in (etc / "mosquitto/devices").read_text()
    acl = (etc / "mosquitto/acl").read_text()
    rights = acl.split("\nuser retainer.main\n", 1)[1].split("\n\n", 1)[0].splitlines()
    prefix = f"sarangbang/v1/centers/{CENTER}"
    assert rights == [
        f"topic readwrite {prefix}/roster",
        f"topic readwrite {prefix}/schedule",
        f"topic readwrite {prefix}/library/offer",
    ]
    before = snapshot(root)  # a second run changes nothing
    again = installed(root, credentials, "--central", NODES)
    assert "Everything was already in place" in again.stdout
    assert snapshot(root) == before

    # its login works on the installed site broker (moved to a free port on 127.0.0.1)
    port = free_port()
    conf_d = tmp_path / "conf.d"
    conf_d.mkdir()
    site = (root / "etc/mosquitto/conf.d/sarangbang-site.conf").read_text()
    site = site.replace("listener 1883 0.0.0.0", f"listener {port} 127.0.0.1")
    (conf_d / "sarangbang-site.conf").write_text(site.replace("/etc/sarangbang/", f"{etc}/"))
    main = debian_main_conf(tmp_path / "broker", conf_d)
    broker = Broker(tmp_path / "broker", name="site", config=main, port=port).start()
    password = (etc / "secrets/retainer.main.password").read_text().strip()
    client = Client(BrokerAddress("127.0.0.1", port, "retainer.main", password))
    try:
        assert client.connect_result == "Success"
        assert client.subscribe(f"{prefix}/roster") == [1]
    finally:
        client.close()
        broker.stop()
