"""deploy/tls/make-dev-ca.sh: certificates Mosquitto can use, keys no one else can read."""

from __future__ import annotations

import grp
import os
import stat
import subprocess
from pathlib import Path

from tests.deploy.city import make_tls


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_broker_key_is_readable_by_the_mosquitto_group_and_no_one_else(
    tmp_path: Path,
) -> None:
    tls = make_tls(tmp_path / "tls")
    assert mode(tls / "central.key") == 0o640
    assert mode(tls / "ca.key") == 0o600  # the broker never needs the CA's key
    assert mode(tls / "central.crt") & 0o044 == 0o044
    try:
        group = grp.getgrnam("mosquitto")
    except KeyError:
        return  # no mosquitto group on this machine: nothing to hand the key to
    if os.geteuid() == 0:
        assert (tls / "central.key").stat().st_gid == group.gr_gid


def test_the_certificate_names_the_hosts_given(tmp_path: Path) -> None:
    script = Path(__file__).parents[2] / "deploy" / "tls" / "make-dev-ca.sh"
    subprocess.run([script, tmp_path, "central.example.org"], check=True, capture_output=True)
    text = subprocess.run(
        ["openssl", "x509", "-in", tmp_path / "central.crt", "-noout", "-text"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert "DNS:central.example.org" in text and "IP Address:127.0.0.1" in text
