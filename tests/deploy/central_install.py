"""Running deploy/install-central (and install-center with what it writes) in throw-away
roots, for test_install_central.py and test_install_central_tls.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.deploy.throwaway_root import BROKER, PUBLIC, PYTHON, SECRET, make_root

ROOT = Path(__file__).parents[2]
INSTALLER = ROOT / "deploy" / "install-central"
CENTER_INSTALLER = ROOT / "deploy" / "install-center"
HOST = "central.example.org"
CENTER = "mapo-2"

PRIVATE = (0o600, "root", "root")
CENTRAL_UNITS = (
    "sarangbang-intake.service",
    "sarangbang-dashboard.service",
    "sarangbang-central.target",
)
# Every file and folder `install-central --host` makes, with its mode and owner
# (deploy/README.md step 1 and "Running as services").
MADE = {
    "etc/sarangbang": (0o755, "root", "root"),
    "etc/sarangbang/central.env": PUBLIC,
    "etc/sarangbang/secrets": (0o750, "root", "sarangbang"),
    "etc/sarangbang/secrets/central-intake.password": SECRET,
    "etc/sarangbang/centers": (0o700, "root", "root"),
    "etc/sarangbang/mosquitto": (0o750, "root", "mosquitto"),
    "etc/sarangbang/mosquitto/acl": BROKER,
    "etc/sarangbang/mosquitto/passwords": BROKER,
    "etc/sarangbang/tls": (0o755, "root", "root"),
    "etc/sarangbang/tls/ca.crt": PUBLIC,
    "etc/sarangbang/tls/ca.key": PRIVATE,
    "etc/sarangbang/tls/central.crt": PUBLIC,
    "etc/sarangbang/tls/central.key": BROKER,
    "etc/mosquitto/conf.d/sarangbang-central.conf": BROKER,
    "etc/systemd": (0o755, "root", "root"),
    "etc/systemd/system": (0o755, "root", "root"),
    "var": (0o755, "root", "root"),
    "var/lib": (0o755, "root", "root"),
    "var/lib/sarangbang": (0o750, "sarangbang", "sarangbang"),
    "var/lib/sarangbang/session-secret": (0o600, "sarangbang", "sarangbang"),
} | {f"etc/systemd/system/{unit}": PUBLIC for unit in CENTRAL_UNITS}
# ... and `add-center mapo-2` (step 2)
CENTER_MADE = {
    f"etc/sarangbang/secrets/center-{CENTER}.password": PRIVATE,
    f"etc/sarangbang/centers/{CENTER}.credentials.toml": PRIVATE,
}


def credentials_file(central: Path, center: str = CENTER) -> Path:
    """Where add-center leaves a center's credentials file in the root."""
    return central / f"etc/sarangbang/centers/{center}.credentials.toml"


def run(program: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-I", "-S", str(program), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def installed(*args: str) -> subprocess.CompletedProcess[str]:
    result = run(INSTALLER, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def set_up(root: Path, *extra: str, host: str = HOST) -> subprocess.CompletedProcess[str]:
    return installed("--host", host, "--root", str(root), *extra)


def add_center(root: Path, *centers: str) -> subprocess.CompletedProcess[str]:
    return installed("add-center", *(centers or (CENTER,)), "--root", str(root))


def set_up_center(central: Path, tmp_path: Path) -> Path:
    """A center's box set up by install-center with the credentials central wrote for it."""
    site = make_root(tmp_path, name="site")
    result = run(
        CENTER_INSTALLER,
        *("--center", CENTER, "--central", f"{HOST}:8883"),
        *("--credentials", str(credentials_file(central))),
        *("--kiosks", "kiosk-1", "--root", str(site)),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def central_root(directory: Path) -> Path:
    """A root with central set up and center mapo-2 added."""
    root = make_root(directory)
    set_up(root)
    add_center(root)
    return root
