"""Set up a center's box in one command (deploy/README.md, "One command: deploy/install-center").

    deploy/install-center --center mapo-2 --central central.example.org:8883 \\
        --credentials mapo-2.credentials.toml --kiosks kiosk-1,kiosk-2 --robots liku-1

Does what deploy/README.md steps 3 and 4 and "Running as services" do by hand: the system
user `sarangbang`, /etc/sarangbang with its secrets, the site broker's logins and ACL, the
two Mosquitto snippets, a TOML per kiosk and the systemd units. Everything goes under
`--root` (default `/`), so a test (or an image build) can point it at a throw-away tree.

With several central addresses (a cluster of nodes, to which the bridge is plain MQTT) it
also adds the retainer's login and enables sarangbang-site-retainer.service, which keeps
central's roster, schedule and library offer retained at the site
(docs/central-cluster.md); towards one central Mosquitto there is no retainer.

With the credentials file's `library_key` (central's public key for published lesson
libraries) it also writes /etc/sarangbang/library-keys for the center's keeper, sets
`[library] trusted_keys` in every kiosk's TOML and enables the keeper.

Idempotent: a password, a login's secret or a kiosk's TOML is made once and never
overwritten, but for the one `trusted_keys` line central's key is kept in
(deploy/kiosk_trust.py); every other file is written only when its content, mode or owner
differs, so a second run changes nothing. It adds and never removes (revoke a device with
`site_users.py remove`). Before writing anything it checks everything it needs and, if
something is missing, names all of it and exits 2.

Standard library only (Python 3.11, Debian 12's python3): it runs before any venv exists.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from deploy import library_key, site_users
from deploy.install_files import (
    Installer,
    ensure_logins,
    ensure_service_user,
)
from deploy.install_plan import (
    BROKER_CONFIG,
    BROKER_GROUP,
    CONF_D,
    CONFIG,
    GROUP,
    KEEPER_UNIT,
    KIOSKS,
    PROG,
    RETAINER_UNIT,
    SECRETS,
    SITE_PORT,
    STATE,
    TEMPLATES,
    TLS,
    UNIT_DIR,
    USER,
    Plan,
    Refused,
    make_plan,
)
from deploy.install_report import changed, changes, print_refusal, systemctl
from deploy.kiosk_trust import library_table
from deploy.render import render

# ---- the whole setup ---------------------------------------------------------------------------


def kiosk_toml(plan: Plan, kiosk: str) -> str:
    pin = f"{secrets.randbelow(10**6):06d}"
    text = textwrap.dedent(f"""\
        # Kiosk {kiosk} of center {plan.center}, written once by deploy/install-center: later
        # runs keep this file as it is but for [library] trusted_keys (central's key, from the
        # credentials file), so edit it freely (its keys: docs/kiosk.md). The PIN opens
        # instructor mode: tell it to the center's instructors. On a kiosk's own machine,
        # broker.host is the center box's address on the LAN.
        center_id = "{plan.center}"
        kiosk_id = "{kiosk}"
        instructor_pin = "{pin}"
        data_dir = "{STATE}/kiosks/{kiosk}"

        [broker]
        host = "{plan.site_host}"
        port = {SITE_PORT}
        username = "{site_users.username("kiosk", kiosk)}"
        password_file = "{SECRETS}/kiosk.{kiosk}.password"
        """)
    return text + ("\n" + library_table(plan.library_key) if plan.library_key else "")


def install(plan: Plan, installer: Installer) -> str | None:
    """Everything for the center's box; returns what was made of the service user."""
    user_done = ensure_service_user(installer.root)
    put = installer
    put.directory(CONFIG, 0o755)
    put.directory(SECRETS, 0o750, "root", GROUP)
    put.directory(KIOSKS, 0o750, "root", GROUP)
    put.directory(BROKER_CONFIG, 0o750, "root", BROKER_GROUP)
    put.directory(TLS, 0o755)
    put.directory(STATE, 0o750, USER, GROUP)
    put.file(f"{CONFIG}/site.env", f"SARANGBANG_CENTER={plan.center}\n", 0o644)
    put.file(f"{TLS}/ca.crt", plan.ca_cert, 0o644)
    # the center's login at central: the broker reads it from the bridge snippet, nobody else
    put.file(f"{SECRETS}/center.password", plan.password + "\n", 0o600)

    # a login per device, its secret made once (site_users.py add, without a new hash each run)
    logins = []
    for role, device in plan.logins():
        name = f"{SECRETS}/{role}.{device}.password"
        put.file(name, secrets.token_urlsafe(24) + "\n", 0o640, "root", GROUP, once=True)
        logins.append((site_users.username(role, device), installer.at(name)))
    broker_dir = installer.at(BROKER_CONFIG)
    devices: list[tuple[str, str]] = []
    if (broker_dir / "devices").is_file():
        devices = site_users.read_devices(broker_dir)[1]  # keeps devices added by hand
    devices += [device for device in plan.logins() if device not in devices]
    listing = f"center {plan.center}\n" + "".join(f"{r} {d}\n" for r, d in devices)
    put.file(f"{BROKER_CONFIG}/devices", listing, 0o640, "root", BROKER_GROUP)
    acl = site_users.site_acl(plan.center, devices)
    put.file(f"{BROKER_CONFIG}/acl", acl, 0o640, "root", BROKER_GROUP)
    ensure_logins(installer, logins)

    # the broker's two snippets, as README step 3 renders them
    site = render(
        TEMPLATES / "site.conf.in",
        {"site_port": str(SITE_PORT), "site_bind": "0.0.0.0", "config_dir": BROKER_CONFIG},
    )
    put.file(f"{CONF_D}/sarangbang-site.conf", site, 0o640, "root", BROKER_GROUP)
    bridge = render(
        TEMPLATES / "site-bridge.conf.in",
        {
            "center": plan.center,
            "password": plan.password,
            "central_addresses": " ".join(plan.central),  # a cluster: every node
            "try_private": site_users.bridge_mode(plan.central),
            "bridge_client_id": site_users.bridge_client_id(plan.center, plan.password),
            "tls_dir": TLS,
        },
    )
    put.file(f"{CONF_D}/sarangbang-bridge.conf", bridge, 0o640, "root", BROKER_GROUP)

    for kiosk in plan.kiosks:
        put.file(f"{KIOSKS}/{kiosk}.toml", kiosk_toml(plan, kiosk), 0o640, "root", GROUP, once=True)
    for name, text in plan.kiosk_updates:  # central's key in each, every other line kept
        put.file(name, text, 0o640, "root", GROUP)
    if plan.library_key:  # the keeper's --trusted-keys; anyone may read a public key
        put.file(library_key.KEYS_FILE, library_key.keys_file(plan.library_key, plan.center), 0o644)
    for unit in plan.unit_files():  # the retainer's only behind a plain bridge
        put.file(f"{UNIT_DIR}/{unit.name}", unit.read_text(encoding="utf-8"), 0o644)
    return user_done


def services(plan: Plan, installer: Installer) -> list[str]:
    """Reload systemd, (re)start the broker if its files changed and enable the site's
    units, on this machine only (--root /); otherwise the commands to run there."""
    broker_files = [p for p in changed(installer) if p.startswith((CONF_D, BROKER_CONFIG, TLS))]
    commands = [["systemctl", "daemon-reload"]]
    if broker_files or plan.root != Path("/"):  # the broker reads its snippets on start
        commands.append(["systemctl", "restart", "mosquitto.service"])
    commands.append(["systemctl", "enable", "--now", *plan.units()])
    if installer.done.get(library_key.KEYS_FILE) == "updated":  # a running keeper reads it anew
        commands.append(["systemctl", "try-restart", KEEPER_UNIT])
    lines = systemctl(plan.root, commands)
    if not plan.keeper:
        lines += no_library_key(plan)
    if plan.retainer:
        lines.append(
            f"Bridged to a cluster (a plain bridge): {RETAINER_UNIT}, as "
            f"{site_users.username('retainer', 'main')}, keeps central's roster, schedule and "
            "library offer retained on this box's broker (docs/central-cluster.md)."
        )
    updated = [name for name, _ in plan.kiosk_updates if installer.done.get(name) == "updated"]
    if updated:
        lines.append(
            f"Central's key is new in {', '.join(updated)}: where a kiosk runs from a copy, copy "
            "it again; restart its sarangbang-sync@ and sarangbang-kiosk@ units when nobody "
            "is using it."
        )
    for robot in plan.robots:
        lines.append(
            f"Where robot {robot} is not a real one, simulate it: systemctl enable --now "
            f"sarangbang-robot-sim@{robot}.service"
        )
    if plan.kiosks:
        lines.append(
            f"Each kiosk: its {KIOSKS}/NAME.toml (instructor PIN inside) and "
            f"{SECRETS}/kiosk.NAME.password; deploy/README.md step 4."
        )
    return lines


def no_library_key(plan: Plan) -> list[str]:
    """What to do when central's key is not known: the keeper waits for it."""
    return [
        "No library_key in the credentials file: the center's keeper "
        f"({KEEPER_UNIT}) is not enabled and its kiosks take no lessons published at central.",
        "  To add it: at central, save its key (" + library_key.HOW_TO_MAKE + ") and run "
        f"deploy/install-central add-center {plan.center} again (it puts library_key in the "
        "credentials file); then run this again with that file. Secrets and PINs are kept.",
    ]


def summary(plan: Plan, installer: Installer, user_done: str | None) -> list[str]:
    shown = "" if plan.root == Path("/") else f" under {plan.root}"
    central = ", ".join(plan.central)
    return changes(
        installer, f"{PROG}: center {plan.center}{shown}, bridged to {central}", user_done
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Set up a center's box: its service user, broker logins, bridge to "
        "central, kiosk configs and systemd units (deploy/README.md). Idempotent.",
    )
    p.add_argument("--center", metavar="ID", help="the center's id, as registered at central")
    p.add_argument(
        "--central",
        metavar="HOST:PORT",
        help="central's broker (its TLS port); for a cluster, every node: HOST:PORT,HOST:PORT,…",
    )
    p.add_argument(
        "--credentials",
        metavar="FILE",
        help="the TOML central made for this center: center, password, ca_cert",
    )
    p.add_argument("--kiosks", metavar="ID,ID", help="the center's kiosks, e.g. kiosk-1,kiosk-2")
    p.add_argument("--robots", metavar="ID,ID", help="the center's robots, e.g. liku-1")
    p.add_argument(
        "--site-host",
        default="localhost",
        metavar="HOST",
        help="the address kiosks reach this box's broker at, for their TOMLs (default: localhost)",
    )
    p.add_argument(
        "--root",
        default="/",
        metavar="DIR",
        help="write everything under DIR and start nothing (default: /, this machine)",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        plan = make_plan(args)
    except Refused as refused:
        return print_refusal(PROG, "set up this center", refused)
    installer = Installer(plan.root, set_owners=os.geteuid() == 0)
    try:
        user_done = install(plan, installer)
        lines = summary(plan, installer, user_done)
        if not installer.set_owners:
            lines.append("Not root: files left owned by the user running this, not as listed.")
        lines += services(plan, installer)
    except (OSError, site_users.SiteUsersError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
