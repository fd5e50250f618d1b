#!/usr/bin/env python3
"""The site broker's logins and ACL: one user per device, each allowed only its own topics.

    site_users.py --config-dir DIR init CENTER            start a center's user list
    site_users.py --config-dir DIR add ROLE ID --secret-file FILE
    site_users.py --config-dir DIR remove ROLE ID         revoke a device
    site_users.py --config-dir DIR list

Roles: `kiosk` (a kiosk and its sync agent), `robot`, `runner` (the class runner),
`keeper` (the library keeper), `retainer` (sarangbang-site-retainer, below) and `observer`
(reads everything, publishes nothing: for an operator's `mosquitto_sub`).
`add` writes a new random password to `--secret-file` (0640; kept if the file exists) and
the user `ROLE.ID` to DIR/passwords (through `mosquitto_passwd`); `add` and `remove` write
DIR/acl again from DIR/devices. Afterwards make Mosquitto re-read both:
`systemctl reload mosquitto` (SIGHUP).

What central sends comes only through the bridge. No site user may publish acks. Only the
`retainer` may publish the roster, the schedule and the library offer, and nothing else:
towards a cluster of central nodes the bridge is plain MQTT (`bridge_mode`), which delivers
what central publishes while it is up without its retain flag, so the site broker would not
keep it; the retainer republishes, retained, each copy that arrives live
(robot_bridge/link/retainer.py, docs/central-cluster.md). The bridge carries these topics
`in` only, so what the retainer publishes never goes back to central. install-center adds
it only for a cluster; towards one central Mosquitto the bridge keeps the flag itself.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROLES = ("kiosk", "robot", "runner", "keeper", "retainer", "observer")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_ROOT = "sarangbang/v1/centers/{center}"

# The topics after the center's root that central publishes retained and the retainer
# keeps (robot_bridge/link/retainer.py: RETAINED_FROM_CENTRAL names the same three).
RETAINER_TOPICS = ("roster", "schedule", "library/offer")

# Each role's topics after the center's root; {id} is the device's own id.
_RIGHTS: dict[str, tuple[tuple[str, str], ...]] = {
    "kiosk": (
        ("write", "sync/{id}/batch"),
        ("write", "sync/{id}/status"),
        ("read", "sync/{id}/ack"),
        ("read", "roster"),
        ("read", "schedule"),
        ("read", "bridge/state"),
        ("read", "classes/+/state"),
        ("write", "kiosks/{id}/class"),
        ("write", "help"),
        # the published lesson library, from the center's keeper (docs/lesson-publishing.md)
        ("read", "library/site"),
        ("write", "kiosks/{id}/library/fetch"),
        ("read", "kiosks/{id}/library/blob"),
    ),
    "robot": (
        ("read", "robots/{id}/cmd"),
        ("read", "robots/{id}/estop"),
        ("read", "robots/estop"),
        ("write", "robots/{id}/events"),
        ("write", "robots/{id}/status"),
    ),
    "runner": (
        ("readwrite", "classes/#"),
        ("write", "robots/+/cmd"),
        ("readwrite", "robots/+/estop"),  # read: a stop from anywhere pauses the class
        ("readwrite", "robots/estop"),
        ("read", "robots/+/events"),
        ("read", "robots/+/status"),
        ("read", "kiosks/+/class"),
        ("read", "help"),
        ("read", "schedule"),
        ("write", "instructor"),
    ),
    # the center's copy of the lesson library central publishes (sarangbang-library-keeper):
    # offers and files from central come in over the bridge, kiosks' requests are answered
    "keeper": (
        ("read", "library/offer"),
        ("read", "library/blob"),
        ("write", "library/fetch"),
        ("write", "library/status"),
        ("write", "library/site"),
        ("read", "kiosks/+/library/fetch"),
        ("write", "kiosks/+/library/blob"),
        ("write", "instructor"),
    ),
    # what central publishes retained, republished retained at the site when the bridge
    # (plain, towards a cluster) delivers it without its flag (sarangbang-site-retainer):
    # read to take each copy, write to keep it; the bridge carries these `in` only
    "retainer": tuple(("readwrite", topic) for topic in RETAINER_TOPICS),
    "observer": (("read", "#"),),
}


class SiteUsersError(Exception):
    """A device list or a request that cannot be carried out; the message says why."""


def username(role: str, device: str) -> str:
    """The broker login of a device: `kiosk.kiosk-1`, `robot.liku-1`, `runner.main`."""
    return f"{role}.{device}"


def bridge_client_id(center: str, password: str) -> str:
    """The client id of the center's bridge at central: its name and a secret derived from
    the center's password (as robot_bridge/link/mqtt_link.py: private_client_id), so that no
    other center can take over, or with a clean session wipe, the bridge's session by naming
    it. Central's Mosquitto ties the id to the login anyway (use_username_as_clientid); a
    NATS cluster cannot (docs/central-cluster.md)."""
    secret = hashlib.sha256(f"sarangbang bridge id:{center}:{password}".encode())
    return f"sarangbang-bridge-{center}-{secret.hexdigest()[:16]}"


def site_acl(center: str, devices: list[tuple[str, str]]) -> str:
    """The ACL file for a center's devices `(role, id)`."""
    root = _ROOT.format(center=_check_id(center))
    lines = [
        f"# Site broker ACL of center {center}, written by deploy/site_users.py: edit the",
        "# device list with that tool, not this file. Acks, roster, schedule and library",
        "# offer reach the site only through the bridge from central (Mosquitto does not",
        "# apply the ACL to its own bridge), so no user here may publish them, but for a",
        "# retainer: behind a plain bridge it republishes roster, schedule and library offer",
        "# retained, as they arrive (the bridge carries them in only, never back to central).",
    ]
    for role, device in devices:
        lines += ["", f"user {username(role, device)}"]
        lines += [
            f"topic {access} {root}/{topic.format(id=device)}" for access, topic in _RIGHTS[role]
        ]
    return "\n".join(lines) + "\n"


def read_devices(config_dir: Path) -> tuple[str, list[tuple[str, str]]]:
    """`(center, [(role, id), ...])` from DIR/devices."""
    path = config_dir / "devices"
    try:
        lines = [line.split() for line in path.read_text().splitlines() if line.strip()]
    except FileNotFoundError:
        raise SiteUsersError(f"{path} does not exist: run `init CENTER` first") from None
    if not lines or len(lines[0]) != 2 or lines[0][0] != "center":
        raise SiteUsersError(f"{path}: the first line must be `center ID`")
    return lines[0][1], [(role, device) for role, device in lines[1:]]


def write_devices(config_dir: Path, center: str, devices: list[tuple[str, str]]) -> None:
    text = f"center {center}\n" + "".join(f"{role} {device}\n" for role, device in devices)
    (config_dir / "devices").write_text(text)
    _write_private(config_dir / "acl", site_acl(center, devices))


def init(config_dir: Path, center: str) -> None:
    """Start a center's device list (again: keeps the devices it has)."""
    config_dir.mkdir(parents=True, exist_ok=True)
    devices: list[tuple[str, str]] = []
    if (config_dir / "devices").exists():
        known, devices = read_devices(config_dir)
        if known != center:
            raise SiteUsersError(f"{config_dir} already belongs to center {known}")
    write_devices(config_dir, _check_id(center), devices)
    if not (config_dir / "passwords").exists():  # Mosquitto will not start without it
        _write_private(config_dir / "passwords", "")


def add(config_dir: Path, role: str, device: str, secret_file: Path) -> str:
    """Add (or re-add) a device; returns its user name."""
    center, devices = read_devices(config_dir)
    if role not in ROLES:
        raise SiteUsersError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    _check_id(device)
    if not secret_file.exists() or not secret_file.read_text().strip():
        _write_private(secret_file, secrets.token_urlsafe(24) + "\n")
    user = username(role, device)
    passwords = config_dir / "passwords"
    create = [] if passwords.exists() and passwords.stat().st_size else ["-c"]
    password = secret_file.read_text().strip()
    _mosquitto_passwd(*create, str(passwords), user, stdin=f"{password}\n{password}\n")
    os.chmod(passwords, 0o640)
    if (role, device) not in devices:
        devices.append((role, device))
    write_devices(config_dir, center, devices)
    return user


def remove(config_dir: Path, role: str, device: str) -> None:
    """Revoke a device: its login and its ACL entries go."""
    center, devices = read_devices(config_dir)
    if (role, device) not in devices:
        raise SiteUsersError(f"no {role} {device} in {config_dir / 'devices'}")
    _mosquitto_passwd("-D", str(config_dir / "passwords"), username(role, device))
    write_devices(config_dir, center, [d for d in devices if d != (role, device)])


def _mosquitto_passwd(*args: str, stdin: str = "") -> None:
    """Run mosquitto_passwd; a password goes in on stdin, never on its command line."""
    try:
        subprocess.run(
            ["mosquitto_passwd", *args], input=stdin, check=True, capture_output=True, text=True
        )
    except FileNotFoundError:
        raise SiteUsersError("mosquitto_passwd not found: apt install mosquitto") from None
    except subprocess.CalledProcessError as exc:
        raise SiteUsersError(f"mosquitto_passwd failed: {exc.stderr.strip()}") from None


def _write_private(path: Path, text: str) -> None:
    """Write a file readable by its owner and group only (Mosquitto reads it as group
    `mosquitto`: chgrp it, as deploy/README.md says)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o640, exist_ok=True)
    os.chmod(path, 0o640)
    path.write_text(text)


def _check_id(value: str) -> str:
    if not _ID.match(value) or len(value) > 64:
        raise SiteUsersError(f"{value!r} is not an id (a-z, 0-9, single dashes)")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="site_users.py", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--config-dir", type=Path, required=True, help="e.g. /etc/sarangbang/mosquitto"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init").add_argument("center")
    add_cmd = commands.add_parser("add")
    add_cmd.add_argument("role", choices=ROLES)
    add_cmd.add_argument("id")
    add_cmd.add_argument(
        "--secret-file", type=Path, required=True, help="the device's password file"
    )
    remove_cmd = commands.add_parser("remove")
    remove_cmd.add_argument("role", choices=ROLES)
    remove_cmd.add_argument("id")
    commands.add_parser("list")
    args = parser.parse_args(argv)
    try:
        if args.command == "init":
            init(args.config_dir, args.center)
        elif args.command == "add":
            print(add(args.config_dir, args.role, args.id, args.secret_file))
        elif args.command == "remove":
            remove(args.config_dir, args.role, args.id)
        else:
            center, devices = read_devices(args.config_dir)
            print(f"center {center}")
            for role, device in devices:
                print(f"{role:8} {device:20} user {username(role, device)}")
    except (SiteUsersError, OSError) as exc:
        print(f"site_users.py: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def bridge_mode(central: Sequence[str]) -> str:
    """The bridge's `try_private`: Mosquitto's bridge mode towards one central Mosquitto
    (central then forwards retained messages retained: a library offer published while the
    bridge is up is kept at the site for a keeper that starts later); plain MQTT towards a
    cluster of several nodes (NATS refuses the bridge flag; `needs_retainer`)."""
    return "false" if len(central) > 1 else "true"


def needs_retainer(central: Sequence[str]) -> bool:
    """Whether the center needs a retainer (its login and sarangbang-site-retainer): when
    its bridge is plain, which delivers central's roster, schedule and library offer
    without their retain flag whenever they are published while the bridge is up."""
    return bridge_mode(central) == "false"
