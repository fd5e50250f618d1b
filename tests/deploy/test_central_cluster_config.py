"""deploy/central_cluster.py: the NATS cluster's configs say what central's Mosquitto ACL
says, their routes need the cluster's login and mutual TLS, nats-server accepts them, and a
bad cluster file is refused with every problem named. (The cluster at work, a node killed
under load, strangers refused as routes: test_central_cluster.py.)"""

from __future__ import annotations

import re
import stat
import subprocess
from pathlib import Path

import pytest

from deploy.central_cluster import (
    ACL,
    ClusterError,
    main,
    permissions,
    read_acl,
    read_cluster,
    render_cluster,
    subject,
)
from deploy.cluster_routes import route_secret_path
from tests.deploy.city import make_tls
from tests.deploy.nats_cluster import NATS_SERVER

NODES = "".join(f'[[node]]\nname = "central-{n}"\nhost = "10.0.0.{n}"\n' for n in (1, 2, 3))


def cluster_file(tmp_path: Path, nodes: str = NODES, tls_dir: Path | None = None) -> Path:
    secrets = tmp_path / "secrets"
    secrets.mkdir(exist_ok=True)
    (secrets / "central-intake.password").write_text("intake-password-1\n")
    (secrets / "center-mapo-2.password").write_text("mapo-password-22\n")
    path = tmp_path / "cluster.toml"
    path.write_text(
        f'name = "sarangbang-central"\ntls_dir = "{tls_dir or tmp_path}"\n'
        f'secrets_dir = "{secrets}"\n'
        f'data_dir = "{tmp_path / "data"}"\n{nodes}'
    )
    return path


def test_a_center_gets_exactly_what_the_mosquitto_acl_gives_it() -> None:
    patterns, services = read_acl(ACL.read_text())
    allowed = permissions(patterns, "mapo-2")
    assert "sarangbang.v1.centers.mapo-2.sync.*.batch" in allowed["publish"]
    assert "sarangbang.v1.centers.mapo-2.sync.*.ack" in allowed["subscribe"]
    assert "sarangbang.v1.centers.mapo-2.sync.*.ack" not in allowed["publish"]
    writes = [t for access, t in patterns if access == "write"]
    reads = [t for access, t in patterns if access == "read"]
    assert len(allowed["publish"]) == len(writes) and len(allowed["subscribe"]) == len(reads) + 1
    assert all(".mapo-2." in s for s in allowed["publish"] + allowed["subscribe"][1:])
    assert permissions(services["central-intake"])["publish"] == ["sarangbang.v1.>"]


def rendered_nodes(tmp_path: Path, nodes: str = NODES) -> dict[str, str]:
    """Each node's config, once `nats-server -t` has accepted it."""
    tls = make_tls(tmp_path / "tls")  # nats-server -t reads the certificates and key
    files = render_cluster(read_cluster(cluster_file(tmp_path, nodes, tls_dir=tls)))
    configs = {n: text for n, text in files.items() if n.endswith(".conf") and "/" not in n}
    assert sorted(configs) == ["central-1.conf", "central-2.conf", "central-3.conf"]
    for name, text in configs.items():
        (tmp_path / name).write_text(text)
        check = subprocess.run(
            [NATS_SERVER, "-t", "-c", str(tmp_path / name)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr
    return configs


def cluster_section(config: str) -> str:
    found = re.search(r"^cluster \{\n(.*?)^\}\n", config, re.M | re.S)
    assert found, config
    return found.group(1)


def test_nats_server_accepts_every_rendered_node(tmp_path: Path) -> None:
    node_1 = rendered_nodes(tmp_path)["central-1.conf"]
    assert 'user: "mapo-2", password: "mapo-password-22"' in node_1
    assert "stream_replicas: 3" in node_1 and "max_payload: 2000000" in node_1
    assert 'mqtt {\n  listen: "10.0.0.1:8883"' in node_1


def test_routes_need_the_clusters_login_and_mutual_tls(tmp_path: Path) -> None:
    configs = rendered_nodes(tmp_path)
    secret_file = route_secret_path(tmp_path / "secrets", "sarangbang-central")
    secret = secret_file.read_text().strip()
    assert len(secret) >= 32 and stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    login = f"route-sarangbang-central:{secret}"
    tls = tmp_path / "tls"
    for number in (1, 2, 3):
        cluster = cluster_section(configs[f"central-{number}.conf"])
        assert f'listen: "10.0.0.{number}:6222"' in cluster
        assert (
            f'authorization {{\n    user: "route-sarangbang-central"\n    password: "{secret}"\n'
        ) in cluster
        assert (
            f'tls {{\n    cert_file: "{tls}/central.crt"\n    key_file: "{tls}/central.key"\n'
            f'    ca_file: "{tls}/ca.crt"\n    verify: true\n'
        ) in cluster
        others = [n for n in (1, 2, 3) if n != number]
        urls = re.findall(r'"(nats-route://[^"]*)"', cluster)
        assert urls == [f"nats-route://{login}@10.0.0.{n}:6222" for n in others]
    again = render_cluster(read_cluster(tmp_path / "cluster.toml"))  # the secret is kept
    assert again["central-1.conf"] == configs["central-1.conf"]


def test_the_route_port_listens_on_the_route_host(tmp_path: Path) -> None:
    nodes = "".join(
        f'[[node]]\nname = "central-{n}"\nhost = "10.0.0.{n}"\nroute_host = "192.168.9.{n}"\n'
        for n in (1, 2, 3)
    )
    node_2 = rendered_nodes(tmp_path, nodes)["central-2.conf"]
    cluster = cluster_section(node_2)
    assert 'listen: "192.168.9.2:6222"' in cluster and "10.0.0." not in cluster
    assert "@192.168.9.1:6222" in cluster and "@192.168.9.3:6222" in cluster
    assert 'mqtt {\n  listen: "10.0.0.2:8883"' in node_2


def test_the_nodes_certificate_serves_routes_both_ways(tmp_path: Path) -> None:
    """Each node verifies the other's certificate as a route's client's: clientAuth."""
    text = subprocess.run(
        ["openssl", "x509", "-in", make_tls(tmp_path / "tls") / "central.crt", "-noout", "-text"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert "TLS Web Server Authentication, TLS Web Client Authentication" in text


def test_a_route_secret_not_made_here_is_refused(tmp_path: Path) -> None:
    path = cluster_file(tmp_path)
    secret_file = route_secret_path(tmp_path / "secrets", "sarangbang-central")
    secret_file.write_text("short/secret\n")
    with pytest.raises(ClusterError, match="not a route secret this renderer makes"):
        render_cluster(read_cluster(path))
    assert secret_file.read_text() == "short/secret\n"  # kept as it was


def test_central_services_are_given_every_node_and_a_private_intake_id(tmp_path: Path) -> None:
    files = render_cluster(read_cluster(cluster_file(tmp_path)))
    intake = files["systemd/sarangbang-intake.service.d/cluster.conf"]
    nodes = "10.0.0.1:8883,10.0.0.2:8883,10.0.0.3:8883"
    assert f"intake --broker {nodes} --cafile {tmp_path}/ca.crt --worker-id intake-" in intake
    assert "sarangbang-intake-1" not in intake and "intake-password-1" not in intake
    dashboard = files["systemd/sarangbang-dashboard.service.d/cluster.conf"]
    assert f"serve --port 8470 --broker {nodes} --cafile" in dashboard


def test_a_bad_cluster_file_is_refused_with_every_problem(tmp_path: Path) -> None:
    nodes = (
        '[[node]]\nname = "central-1"\nhost = "10.0.0.1"\n'
        '[[node]]\nname = "Central 2"\nhost = "10.0.0.1"\nmqtt_port = 99999\ncolour = "red"\n'
        'route_host = "10.0.0.2 "\n'
    )
    with pytest.raises(ClusterError) as refused:
        read_cluster(cluster_file(tmp_path, nodes))
    for problem in (
        "node 2: unknown key 'colour'",
        "node 2: name 'Central 2' is not lowercase",
        "node 2: mqtt_port 99999 is not a port number",
        "node 2: route_host '10.0.0.2 ' is not a host name",
        "2 [[node]] entries: a cluster needs an odd number, at least 3",
    ):
        assert problem in str(refused.value)


def test_a_missing_password_is_named_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = cluster_file(tmp_path)
    (tmp_path / "secrets" / "center-mapo-2.password").write_text("short\n")
    (tmp_path / "secrets" / "central-intake.password").unlink()
    with pytest.raises(SystemExit) as refused:
        main([str(path), str(tmp_path / "out")])
    message = str(refused.value)
    assert "central-intake.password: No such file" in message
    assert "center-mapo-2.password: not a password" in message
    assert not (tmp_path / "out").exists()
    assert not route_secret_path(tmp_path / "secrets", "sarangbang-central").exists()


def test_topics_nats_cannot_carry_are_refused() -> None:
    assert subject("sarangbang/v1/centers/+/sync/#") == "sarangbang.v1.centers.*.sync.>"
    with pytest.raises(ClusterError, match="dots"):
        subject("sarangbang/v1/centers/a.b/roster")
