"""What install-central checks before it writes anything (deploy/install_central.py): the
host, the TLS files given or already installed, the root, and for `add-center` the centers'
ids and central's own setup; every problem is collected, so the refusal names all of them.
The checks a center's box shares are install_plan.py's. Standard library only."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from deploy import library_key
from deploy.install_plan import (
    BROKER_CONFIG,
    CENTRAL_ENV,
    CONFIG,
    HOST,
    PASSWORD,
    SECRETS,
    STATE,
    TLS,
    Refused,
    check_center_id,
    check_mosquitto,
    check_target,
    env_value,
    is_pem_certificate,
)

PROG = "install-central"
CENTERS = f"{CONFIG}/centers"  # each center's credentials file, to hand over
DATABASE = f"{STATE}/central.db"  # as the units say (Environment=SARANGBANG_CENTRAL_DB=…)
SESSION_SECRET = f"{STATE}/session-secret"  # where `serve` looks by default: beside the database
INTAKE_USER = "central-intake"  # the units' --username; deploy/mosquitto/acl names it
INTAKE_SECRET = f"{SECRETS}/{INTAKE_USER}.password"
TLS_PORT = 8883  # MQTT over TLS, IANA's
LOCAL_PORT = 1883  # the units' --broker 127.0.0.1:1883
CENTRAL_UNITS = (
    "sarangbang-intake.service",
    "sarangbang-dashboard.service",
    "sarangbang-central.target",
)
TLS_FILES = ("ca.crt", "central.crt", "central.key")
BROKER_KEY = "SARANGBANG_CENTRAL_BROKER"  # central.env: host:port the centers reach
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}\Z")
_KEY = re.compile(r"-----BEGIN (?:RSA |EC )?PRIVATE KEY-----")


def center_secret(center: str) -> str:
    """A center's password file at central (deploy/README.md step 2's name)."""
    return f"{SECRETS}/center-{center}.password"


def credentials_path(center: str) -> str:
    return f"{CENTERS}/{center}.credentials.toml"


@dataclass(frozen=True)
class CentralPlan:
    root: Path
    host: str
    tls_port: int
    tls: dict[str, str]  # TLS_FILES' content to install; {} when they are to be made

    @property
    def broker(self) -> str:
        return f"{self.host}:{self.tls_port}"


@dataclass(frozen=True)
class CenterPlan:
    root: Path
    centers: tuple[str, ...]
    broker: str  # central's HOST:PORT, as install-central wrote it into central.env
    library_key: str | None = None  # central's public key for published lessons, if known
    key_given: bool = False  # on the command line: kept in library_key.PUBLIC_KEY_FILE


# ---- central itself ---------------------------------------------------------------------------


def make_central_plan(args: argparse.Namespace) -> CentralPlan:
    """Check every argument and the root; Refused lists every problem found."""
    problems: list[str] = []
    root = check_target(args.root, PROG, problems)
    host: str | None = args.host
    if host is None:
        problems.append(
            "--host NAME is missing: the name (or address) centers reach central's broker at, "
            "e.g. central.example.org"
        )
    elif not HOST.fullmatch(host):
        problems.append(f"--host {host!r} is not a host name or IPv4 address")
    if not 0 < args.tls_port < 65536 or args.tls_port == LOCAL_PORT:
        problems.append(
            f"--tls-port {args.tls_port} is not a port other than {LOCAL_PORT} (central's "
            "services use that one, on 127.0.0.1)"
        )
    tls: dict[str, str] = {}
    if root.is_dir():
        check_mosquitto(root, problems)
        check_not_a_center(root, problems)
        tls = check_tls(root, args.tls, host, problems)
    if problems:
        raise Refused(problems)
    assert host is not None
    return CentralPlan(root, host, args.tls_port, tls)


def check_not_a_center(root: Path, problems: list[str]) -> None:
    for name in ("site.env", "mosquitto/devices"):
        if (root / CONFIG.lstrip("/") / name).is_file():
            problems.append(
                f"{CONFIG}/{name} exists: this box is a center's (deploy/install-center), and "
                "its broker's logins and ACL are the site's: set up central on a box of its own"
            )


def check_tls(
    root: Path, given: str | None, host: str | None, problems: list[str]
) -> dict[str, str]:
    """The TLS files to install: those in `given` once checked; {} to make a CA and a
    certificate (none installed yet) or to keep the installed ones."""
    installed = root / TLS.lstrip("/")
    present = [name for name in TLS_FILES if (installed / name).is_file()]
    if given is None:
        if present and len(present) < len(TLS_FILES):
            missing = [name for name in TLS_FILES if name not in present]
            problems.append(
                f"{TLS} has {', '.join(present)} but not {', '.join(missing)}: give all three "
                "with --tls DIR, or remove the folder to have a CA and a certificate made"
            )
        elif not present and shutil.which("openssl") is None:
            problems.append("openssl is not on PATH (it makes central's CA): apt install openssl")
        known = _installed_host(root)
        if present and host and known and known != host:
            problems.append(
                f"central was set up for {known!r}, and its certificate names that host, not "
                f"{host!r}: give --tls DIR with a certificate for {host}, or remove {TLS}"
            )
        return {}
    return read_given_tls(Path(given), host, problems)


def _installed_host(root: Path) -> str | None:
    env = root / CENTRAL_ENV.lstrip("/")
    if not env.is_file():
        return None
    broker = env_value(env.read_text(encoding="utf-8"), BROKER_KEY) or ""
    return broker.rpartition(":")[0] or None


def read_given_tls(directory: Path, host: str | None, problems: list[str]) -> dict[str, str]:
    """ca.crt, central.crt and central.key from `directory`: PEM, the key the certificate's,
    the certificate signed by the CA and naming `host`."""
    where = f"--tls {directory}"
    texts: dict[str, str] = {}
    found: list[str] = []
    for name in TLS_FILES:
        try:
            texts[name] = (directory / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            found.append(f"{where} has no {name} (it needs {', '.join(TLS_FILES)})")
        except (OSError, UnicodeDecodeError) as exc:
            found.append(f"{where}: {name} cannot be read ({exc})")
    for name in ("ca.crt", "central.crt"):
        if name in texts and not is_pem_certificate(texts[name]):
            found.append(f"{where}: {name} is not a certificate in PEM (-----BEGIN CERTIFICATE…)")
    if "central.key" in texts and not _KEY.search(texts["central.key"]):
        found.append(f"{where}: central.key is not an unencrypted private key in PEM")
    problems += found
    if found:
        return texts
    if shutil.which("openssl") is None:
        problems.append("openssl is not on PATH (it checks the TLS files): apt install openssl")
        return texts
    ca, cert, key = (str(directory / name) for name in TLS_FILES)
    public = _openssl("x509", "-noout", "-pubkey", "-in", cert)
    if public is None or public != _openssl("pkey", "-pubout", "-in", key):
        problems.append(f"{where}: central.key is not the key of central.crt")
    if _openssl("verify", "-CAfile", ca, cert) is None:
        problems.append(f"{where}: central.crt is not signed by ca.crt (openssl verify)")
    if host and HOST.fullmatch(host):
        check = "-checkip" if _IPV4.fullmatch(host) else "-checkhost"
        said = _openssl("x509", "-noout", check, host, "-in", cert) or ""
        if " does match" not in said:
            problems.append(f"{where}: central.crt does not name {host} (centers would refuse it)")
    return texts


def _openssl(*args: str) -> str | None:
    """openssl's output, or None if it failed."""
    result = subprocess.run(["openssl", *args], capture_output=True, text=True, check=False)
    return result.stdout if result.returncode == 0 else None


# ---- a center at central ----------------------------------------------------------------------


def make_center_plan(args: argparse.Namespace) -> CenterPlan:
    """Check the centers' ids and that central is set up in the root."""
    problems: list[str] = []
    root = check_target(args.root, PROG, problems)
    centers = tuple(args.centers)
    problems += [problem for center in centers if (problem := check_center_id(center))]
    duplicates = sorted({center for center in centers if centers.count(center) > 1})
    if duplicates:
        problems.append(f"centers named twice: {', '.join(duplicates)}")
    if shutil.which("mosquitto_passwd") is None:
        problems.append("mosquitto_passwd is not on PATH: apt install mosquitto")
    broker = ""
    if root.is_dir():
        broker = check_central(root, problems)
        for center in centers:
            secret = root / center_secret(center).lstrip("/")
            if secret.is_file() and not PASSWORD.fullmatch(secret.read_text().strip()):
                problems.append(
                    f"{center_secret(center)} holds a password install-center would refuse (16 "
                    "to 256 of A-Z a-z 0-9 . _ ~ + / = -): remove it to have one made (the "
                    "center then needs its new credentials file)"
                )
    key, given = center_library_key(root, args.library_key, problems)
    if problems:
        raise Refused(problems)
    return CenterPlan(root, centers, broker, key, given)


def center_library_key(
    root: Path, given: str | None, problems: list[str]
) -> tuple[str | None, bool]:
    """Central's public key for the credentials files: `--library-key`, else the one saved in
    PUBLIC_KEY_FILE, else None; and whether it was given."""
    if given is not None:
        if why := library_key.problem(given.strip()):
            problems.append(
                f"--library-key {given[:80]!r} {why}: give what `sarangbang-central "
                "publish-key` prints (ed25519:…)"
            )
            return None, False
        return given.strip(), True
    saved = root / library_key.PUBLIC_KEY_FILE.lstrip("/")
    if not saved.exists():
        return None, False
    key, why = library_key.read_key_file(saved, library_key.PUBLIC_KEY_FILE)
    if why:
        problems.append(f"{why}: save central's key in it again: {library_key.HOW_TO_MAKE}")
    return key, False


def check_central(root: Path, problems: list[str]) -> str:
    """Central's HOST:PORT from central.env, if central is set up in `root`."""
    needed = (CENTRAL_ENV, f"{TLS}/ca.crt", f"{BROKER_CONFIG}/passwords")
    missing = [name for name in needed if not (root / name.lstrip("/")).is_file()]
    if missing:
        problems.append(
            f"central is not set up here ({', '.join(missing)} missing): run "
            f"deploy/{PROG} --host NAME first"
        )
        return ""
    text = (root / CENTRAL_ENV.lstrip("/")).read_text(encoding="utf-8")
    broker = env_value(text, BROKER_KEY)
    if not broker:
        problems.append(f"{CENTRAL_ENV} lacks {BROKER_KEY}: run deploy/{PROG} --host NAME again")
    return broker or ""
