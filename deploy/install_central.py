"""Set up central in one command (deploy/README.md, "One command: deploy/install-central").

    deploy/install-central --host central.example.org [--tls DIR]
    deploy/install-central add-center mapo-2 [gangnam-1 …]

The first does what deploy/README.md step 1 and central's part of "Running as services" do
by hand: the system user `sarangbang`, /etc/sarangbang with intake's broker login and
central.env, TLS (a CA and a certificate for HOST made with deploy/tls/make-dev-ca.sh when
none is given or installed), the broker's passwords and ACL, its Mosquitto snippet, the
dashboard's session secret and central's systemd units. `add-center` does step 2's broker
part: a center's login and the credentials file that deploy/install-center --credentials
reads, with central's public key for published lessons when it is known (`--library-key`,
or the output of `sarangbang-central publish-key` saved in /etc/sarangbang/library-key.pub).
Everything goes under `--root` (default `/`), so a test can point it at a throw-away tree.

Idempotent, as install-center: a secret is made once and never overwritten, every other
file is written only when its content, mode or owner differs, nothing is removed. Before
writing anything it checks everything it needs and, if something is missing, names all of
it and exits 2.

Standard library only (Python 3.11, Debian 12's python3): it runs before any venv exists.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path

from deploy import library_key
from deploy.install_central_plan import (
    BROKER_KEY,
    CENTERS,
    CENTRAL_UNITS,
    DATABASE,
    INTAKE_SECRET,
    INTAKE_USER,
    LOCAL_PORT,
    PROG,
    SESSION_SECRET,
    TLS_FILES,
    CenterPlan,
    CentralPlan,
    center_secret,
    credentials_path,
    make_center_plan,
    make_central_plan,
)
from deploy.install_files import Installer, ensure_logins, ensure_service_user
from deploy.install_plan import (
    BROKER_CONFIG,
    BROKER_GROUP,
    CENTRAL_ENV,
    CONF_D,
    CONFIG,
    DEPLOY,
    GROUP,
    SECRETS,
    STATE,
    TEMPLATES,
    TLS,
    UNIT_DIR,
    UNITS,
    USER,
    Refused,
)
from deploy.install_report import changed, changes, print_refusal, systemctl
from deploy.render import render

CENTRAL_PROGRAM = "/opt/sarangbang/venv/bin/sarangbang-central"
TLS_MODES = {  # name: (mode, group); the broker reads its key as group mosquitto
    "ca.crt": (0o644, "root"),
    "central.crt": (0o644, "root"),
    "central.key": (0o640, BROKER_GROUP),
    "ca.key": (0o600, "root"),  # only when made here: to sign the next certificate
}

# ---- central ------------------------------------------------------------------------------------


def central_env(plan: CentralPlan) -> str:
    return textwrap.dedent(f"""\
        # Central's setup, written by deploy/{PROG} (again on each run: change its options,
        # not this file). Commands find central's database through it, as the units do:
        #   set -a; . {CENTRAL_ENV}; set +a
        SARANGBANG_CENTRAL_DB={DATABASE}
        {BROKER_KEY}={plan.broker}
        """)


def install_central(plan: CentralPlan, installer: Installer) -> str | None:
    """Everything for central's box; returns what was made of the service user."""
    user_done = ensure_service_user(installer.root)
    put = installer
    put.directory(CONFIG, 0o755)
    put.directory(SECRETS, 0o750, "root", GROUP)
    put.directory(CENTERS, 0o700)
    put.directory(BROKER_CONFIG, 0o750, "root", BROKER_GROUP)
    put.directory(TLS, 0o755)
    put.directory(STATE, 0o750, USER, GROUP)
    put.file(CENTRAL_ENV, central_env(plan), 0o644)
    install_tls(plan, installer)
    # intake's login (the dashboard's site monitor shares it) and the dashboard's cookie key
    put.file(INTAKE_SECRET, new_secret(), 0o640, "root", GROUP, once=True)
    put.file(SESSION_SECRET, secrets.token_urlsafe(32), 0o600, USER, GROUP, once=True)
    acl = (TEMPLATES / "acl").read_text(encoding="utf-8")
    put.file(f"{BROKER_CONFIG}/acl", acl, 0o640, "root", BROKER_GROUP)
    ensure_logins(installer, [(INTAKE_USER, installer.at(INTAKE_SECRET))])
    values = {
        "tls_port": str(plan.tls_port),
        "local_port": str(LOCAL_PORT),
        "config_dir": BROKER_CONFIG,
        "tls_dir": TLS,
    }
    snippet = render(TEMPLATES / "central.conf.in", values)
    put.file(f"{CONF_D}/sarangbang-central.conf", snippet, 0o640, "root", BROKER_GROUP)
    for unit in CENTRAL_UNITS:
        put.file(f"{UNIT_DIR}/{unit}", (UNITS / unit).read_text(encoding="utf-8"), 0o644)
    return user_done


def install_tls(plan: CentralPlan, installer: Installer) -> None:
    """The files given (written where they differ: a renewal), else the installed ones kept,
    else a new CA and a certificate for the host (deploy/tls/make-dev-ca.sh)."""
    texts = dict(plan.tls)
    if not texts:
        installed = installer.at(TLS)
        if all((installed / name).is_file() for name in TLS_FILES):
            texts = {
                name: (installed / name).read_text(encoding="utf-8")
                for name in TLS_MODES
                if (installed / name).is_file()
            }
        else:
            texts = make_tls(plan.host)
    for name, text in texts.items():
        mode, group = TLS_MODES[name]
        installer.file(f"{TLS}/{name}", text, mode, "root", group)


def make_tls(host: str) -> dict[str, str]:
    """A new CA and a certificate for `host` (and 127.0.0.1), made by the project's script."""
    with tempfile.TemporaryDirectory(prefix="sarangbang-tls-") as directory:
        script = DEPLOY / "tls" / "make-dev-ca.sh"
        result = subprocess.run(
            ["bash", str(script), directory, host], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise OSError(f"{script.name} failed: {result.stderr.strip()}")
        return {name: (Path(directory) / name).read_text(encoding="utf-8") for name in TLS_MODES}


def new_secret() -> str:
    return secrets.token_urlsafe(24) + "\n"


def central_next(plan: CentralPlan, installer: Installer) -> list[str]:
    """Reload systemd, (re)start the broker if its files changed, enable central's target."""
    broker_files = [p for p in changed(installer) if p.startswith((CONF_D, BROKER_CONFIG, TLS))]
    commands = [["systemctl", "daemon-reload"]]
    if broker_files or plan.root != Path("/"):  # the broker reads its snippet on start
        commands.append(["systemctl", "restart", "mosquitto.service"])
    commands.append(["systemctl", "enable", "--now", "sarangbang-central.target"])
    lines = []
    if not installer.at(CENTRAL_PROGRAM).exists():
        lines.append(
            f"{CENTRAL_PROGRAM} is not there yet: the services restart every 5 s until it is "
            "(deploy/README.md step 0 installs it)."
        )
    lines += systemctl(plan.root, commands)
    lines += [
        f"The first admin (prints its password once): runuser -u {USER} -- {CENTRAL_PROGRAM} "
        f"--db {DATABASE} create-admin admin",
        f"Central's key for published lessons, once the venv is there: {library_key.HOW_TO_MAKE}",
        f"Each center: deploy/{PROG} add-center ID (its login and credentials file).",
    ]
    return lines


# ---- a center at central ----------------------------------------------------------------------


def credentials_toml(
    center: str, password: str, ca_cert: str, broker: str, key: str | None = None
) -> str:
    """The file deploy/install-center --credentials reads (install_plan.CREDENTIAL_KEYS and,
    if known, central's public key); the CA goes in a literal string, where PEM needs no
    escapes."""
    library = (
        "# central's public key (sarangbang-central publish-key): the center's keeper and kiosks\n"
        f'# take the lesson libraries it signed\nlibrary_key = "{key}"\n'
        if key
        else ""
    )
    return (
        textwrap.dedent(f"""\
        # Center {center}'s login at central and central's CA, written by deploy/{PROG}
        # add-center. Hand it to the center over a safe channel (not e-mail in clear); there:
        #   deploy/install-center --center {center} --central {broker} --credentials FILE …
        center = "{center}"
        password = "{password}"
        """)
        + library
        + "ca_cert = '''\n"
        + ca_cert.strip()
        + "\n'''\n"
    )


def install_centers(plan: CenterPlan, installer: Installer) -> None:
    """Each center's password (made once), its broker login and its credentials file."""
    put = installer
    logins = []
    for center in plan.centers:
        put.file(center_secret(center), new_secret(), 0o600, once=True)
        logins.append((center, installer.at(center_secret(center))))
    ensure_logins(installer, logins)
    if plan.key_given:  # kept for the next add-center (a public key: anyone may read it)
        put.file(library_key.PUBLIC_KEY_FILE, f"{plan.library_key}\n", 0o644)
    ca_cert = installer.at(f"{TLS}/ca.crt").read_text(encoding="utf-8")
    put.directory(CENTERS, 0o700)
    for center, secret in logins:
        password = secret.read_text(encoding="utf-8").strip()
        text = credentials_toml(center, password, ca_cert, plan.broker, plan.library_key)
        put.file(credentials_path(center), text, 0o600)


def centers_next(plan: CenterPlan, installer: Installer) -> list[str]:
    """Make the broker re-read its passwords; what to do with each center next."""
    passwords = f"{BROKER_CONFIG}/passwords"
    lines = []
    if passwords in changed(installer):
        lines += systemctl(plan.root, [["systemctl", "reload", "mosquitto.service"]])
    if plan.library_key is None:
        lines += [
            "No library key: the credentials files carry no library_key, so the centers will "
            "not take the lessons published here.",
            f"  Save central's key ({library_key.HOW_TO_MAKE}) and run add-center again; "
            "then each center runs install-center again with its new file.",
        ]
    for center in plan.centers:
        lines += [
            f"Center {center}: hand {credentials_path(center)} to it over a safe channel; on "
            f"its box: deploy/install-center --center {center} --central {plan.broker} "
            "--credentials FILE --kiosks … --robots …",
            f"  and register it for the dashboard: runuser -u {USER} -- {CENTRAL_PROGRAM} "
            f'--db {DATABASE} add-center {center} "NAME"',
        ]
    return lines


# ---- the command --------------------------------------------------------------------------------


def central_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Set up central: its service user, broker (TLS, logins, ACL), intake's "
        "and the dashboard's config and systemd units (deploy/README.md). Idempotent. "
        f"Then `{PROG} add-center ID …` for each center.",
    )
    p.add_argument("--host", metavar="NAME", help="the name centers reach central's broker at")
    p.add_argument(
        "--tls",
        metavar="DIR",
        help="a folder with ca.crt, central.crt and central.key (your CA's) to install; "
        "default: keep the installed ones, or make a CA and a certificate for --host",
    )
    p.add_argument(
        "--tls-port", type=int, default=8883, metavar="PORT", help="the centers' port (8883)"
    )
    _root_option(p)
    return p


def center_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=f"{PROG} add-center",
        description="Give centers a login at central's broker and write each one's credentials "
        f"file ({CENTERS}/ID.credentials.toml) for deploy/install-center. Idempotent.",
    )
    p.add_argument("centers", nargs="+", metavar="ID", help="a center's id, e.g. mapo-2")
    p.add_argument(
        "--library-key",
        metavar="ed25519:KEY",
        help="central's public key for published lessons, as `sarangbang-central publish-key` "
        f"prints it; kept in {library_key.PUBLIC_KEY_FILE} for later runs (default: the key "
        "saved there, if any)",
    )
    _root_option(p)
    return p


def _root_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--root",
        default="/",
        metavar="DIR",
        help="write everything under DIR and start nothing (default: /, this machine)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["add-center"]:
        return add_centers(args[1:])
    return set_up_central(args)


def set_up_central(argv: list[str]) -> int:
    try:
        plan = make_central_plan(central_parser().parse_args(argv))
    except Refused as refused:
        return print_refusal(PROG, "set up central", refused)
    installer = Installer(plan.root, set_owners=os.geteuid() == 0)
    try:
        user_done = install_central(plan, installer)
        lines = changes(installer, headline(plan.root, f"central {plan.broker}"), user_done)
        lines += central_next(plan, installer)
    except OSError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    return report(installer, lines)


def add_centers(argv: list[str]) -> int:
    try:
        plan = make_center_plan(center_parser().parse_args(argv))
    except Refused as refused:
        return print_refusal(PROG, "add these centers", refused)
    installer = Installer(plan.root, set_owners=os.geteuid() == 0)
    try:
        install_centers(plan, installer)
        what = f"center{'s' if len(plan.centers) > 1 else ''} {', '.join(plan.centers)}"
        lines = changes(installer, headline(plan.root, what), service_user=False)
        lines += centers_next(plan, installer)
    except OSError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    return report(installer, lines)


def headline(root: Path, what: str) -> str:
    return f"{PROG}: {what}" + ("" if root == Path("/") else f" under {root}")


def report(installer: Installer, lines: list[str]) -> int:
    if not installer.set_owners:
        lines.insert(1, "Not root: files left owned by the user running this, not as listed.")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
