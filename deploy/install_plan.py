"""What install-center checks before it writes anything (deploy/install_center.py): the
ids, the credentials file, the root it installs into, and the plan they make; every
problem is collected, so the refusal names all of them. The layout, the root's checks and
the id checks are shared with install-central (install_central_plan.py). Standard library
only."""

from __future__ import annotations

import argparse
import base64
import binascii
import os
import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from deploy import library_key, site_users
from deploy.kiosk_trust import TrustEditError, with_trusted_key

DEPLOY = Path(__file__).resolve().parent
TEMPLATES = DEPLOY / "mosquitto"
UNITS = DEPLOY / "systemd"
PROG = "install-center"

CONFIG = "/etc/sarangbang"
SECRETS = f"{CONFIG}/secrets"
KIOSKS = f"{CONFIG}/kiosks"
BROKER_CONFIG = f"{CONFIG}/mosquitto"
TLS = f"{CONFIG}/tls"
CENTRAL_ENV = f"{CONFIG}/central.env"  # written by install-central: this box is central
STATE = "/var/lib/sarangbang"
CONF_D = "/etc/mosquitto/conf.d"
UNIT_DIR = "/etc/systemd/system"
USER = GROUP = "sarangbang"
BROKER_GROUP = "mosquitto"
SITE_PORT = 1883
SITE_UNITS = ("sarangbang-class-runner.service", "sarangbang-site.target")
KEEPER_UNIT = "sarangbang-library-keeper.service"  # enabled once central's key is known
# only for a center bridged to a cluster (a plain bridge): site_users.needs_retainer
RETAINER_UNIT = "sarangbang-site-retainer.service"

# ids as everywhere else (kiosk_app/config.py, robot_bridge/protocol/topics.py, site_users.py)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_ID_LENGTH = 64
# central's own logins and client ids (central/roster.py RESERVED_CENTER_PREFIXES)
RESERVED_CENTER_PREFIXES = ("sarangbang-", "central-")
HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\Z")
# The password goes into `remote_password …` of the bridge snippet: one word, nothing that
# Mosquitto's config reader or the TOML could take otherwise (token_urlsafe's alphabet).
PASSWORD = re.compile(r"^[A-Za-z0-9._~+/=-]{16,256}\Z")
_PEM = re.compile(
    r"-----BEGIN CERTIFICATE-----\s*\n([A-Za-z0-9+/=\s]+?)\n-----END CERTIFICATE-----"
)
CREDENTIAL_KEYS = ("center", "password", "ca_cert")
OPTIONAL_CREDENTIAL_KEYS = ("library_key",)  # central's key for published lesson libraries
HOW_TO_CREDENTIALS = (
    "central's operator makes it for this center (deploy/README.md, "
    '"One command: deploy/install-center")'
)


class Refused(Exception):
    """Something the installer needs is missing or wrong; `problems` says what, each once."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Credentials:
    """What the center's credentials file says (`read_credentials`)."""

    password: str = ""
    ca_cert: str = ""
    library_key: str | None = None  # central's public key (publish-key), if it was known


@dataclass(frozen=True)
class Plan:
    root: Path
    center: str
    central: tuple[str, ...]  # HOST:PORT of central's broker, or of each node of its cluster
    credentials: Credentials
    kiosks: tuple[str, ...]
    robots: tuple[str, ...]
    site_host: str
    # every kiosk TOML already in /etc/sarangbang/kiosks with central's key set in it
    # (kiosk_trust.py): (path, its new text); none when the key is not known
    kiosk_updates: tuple[tuple[str, str], ...] = ()
    keeper: bool = False  # central's key is known (now or from a run before): run the keeper

    @property
    def password(self) -> str:
        return self.credentials.password

    @property
    def ca_cert(self) -> str:
        return self.credentials.ca_cert

    @property
    def library_key(self) -> str | None:
        return self.credentials.library_key

    @property
    def retainer(self) -> bool:
        """Bridged to a cluster, plainly: the retainer keeps central's retained topics
        retained at the site (deploy/site_users.py: needs_retainer). Towards one central
        Mosquitto the bridge keeps their flag and there is no retainer."""
        return site_users.needs_retainer(self.central)

    def units(self) -> tuple[str, ...]:
        """The units to enable: the site's, the keeper once central's key is known, and the
        retainer behind a plain bridge."""
        runner, target = SITE_UNITS
        keeper = (KEEPER_UNIT,) if self.keeper else ()
        retainer = (RETAINER_UNIT,) if self.retainer else ()
        return (runner, *keeper, *retainer, target)

    def unit_files(self) -> list[Path]:
        """The unit files to install from deploy/systemd (the retainer's only if it runs)."""
        return [
            unit
            for unit in sorted(UNITS.iterdir())
            if unit.suffix in (".service", ".target")
            and (unit.name != RETAINER_UNIT or self.retainer)
        ]

    def logins(self) -> list[tuple[str, str]]:
        """Every site device `(role, id)` this box gets a login for, in order."""
        return [
            ("runner", "main"),
            ("keeper", "main"),
            *((("retainer", "main"),) if self.retainer else ()),
            *(("kiosk", kiosk) for kiosk in self.kiosks),
            *(("robot", robot) for robot in self.robots),
        ]


# ---- checking everything before anything is written ------------------------------------------


def check_id(value: str, what: str) -> str | None:
    if not _ID.fullmatch(value) or len(value) > MAX_ID_LENGTH:
        return (
            f"{what} {value[:80]!r} is not an id: lowercase letters, digits and single dashes, "
            f"at most {MAX_ID_LENGTH} characters (e.g. mapo-2)"
        )
    return None


def id_list(text: str | None, what: str, problems: list[str]) -> tuple[str, ...]:
    ids = tuple(part.strip() for part in (text or "").split(",") if part.strip())
    for value in ids:
        if problem := check_id(value, what):
            problems.append(problem)
    duplicates = sorted({value for value in ids if ids.count(value) > 1})
    if duplicates:
        problems.append(f"{what}s named twice: {', '.join(duplicates)}")
    return ids


def read_credentials(path: Path, center: str | None, problems: list[str]) -> Credentials:
    """What the center's credentials file says, a TOML document:

    center = "mapo-2"
    password = "…"            # the center's login at central (README step 2)
    ca_cert = \"\"\"
    -----BEGIN CERTIFICATE-----
    …                         # central's CA, /etc/sarangbang/tls/ca.crt at central
    -----END CERTIFICATE-----
    \"\"\"
    library_key = "ed25519:…" # optional: central's `sarangbang-central publish-key`
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"the credentials file {path} does not exist: {HOW_TO_CREDENTIALS}")
        return Credentials()
    except OSError as exc:
        problems.append(f"the credentials file {path} cannot be read: {exc.strerror}")
        return Credentials()
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"the credentials file {path} is not TOML ({exc}): {HOW_TO_CREDENTIALS}")
        return Credentials()
    where = f"the credentials file {path}"
    known = CREDENTIAL_KEYS + OPTIONAL_CREDENTIAL_KEYS
    unknown = sorted(set(raw) - set(known))
    if unknown:
        problems.append(f"{where} has unknown keys {unknown} (known: {list(known)})")
    missing = [key for key in CREDENTIAL_KEYS if not isinstance(raw.get(key), str)]
    if missing:
        problems.append(f"{where} lacks {', '.join(missing)} (text): {HOW_TO_CREDENTIALS}")
        return Credentials()
    if center is not None and raw["center"] != center:
        problems.append(
            f"{where} is for center {raw['center']!r}, not {center!r}: "
            "use the file central made for this center"
        )
    password = raw["password"].strip()
    if not PASSWORD.fullmatch(password):
        problems.append(
            f"{where}: password must be 16 to 256 characters of A-Z a-z 0-9 . _ ~ + / = - "
            "(make it with python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
        )
    ca_cert = raw["ca_cert"].strip() + "\n"
    if not is_pem_certificate(ca_cert):
        problems.append(
            f"{where}: ca_cert must be central's CA certificate in PEM "
            "(-----BEGIN CERTIFICATE----- …), the content of /etc/sarangbang/tls/ca.crt at central"
        )
    return Credentials(password, ca_cert, read_library_key(raw, where, problems))


def read_library_key(raw: dict[str, object], where: str, problems: list[str]) -> str | None:
    """The credentials file's `library_key`, if it has one and it has the right form."""
    key = raw.get("library_key")
    if key is None:
        return None
    why = "is not text" if not isinstance(key, str) else library_key.problem(key.strip())
    if why:
        problems.append(
            f"{where}: library_key {why}: it must be central's public key as "
            f"`sarangbang-central publish-key` prints it (ed25519:…); ask central's operator "
            "for a new credentials file, or remove the line to set up without it"
        )
        return None
    assert isinstance(key, str)
    return key.strip()


def is_pem_certificate(text: str) -> bool:
    """Whether `text` holds one or more certificates in PEM, each of them base64."""
    blocks = _PEM.findall(text)
    return bool(blocks) and all(_is_base64(block) for block in blocks)


def _is_base64(text: str) -> bool:
    try:
        return bool(base64.b64decode("".join(text.split()), validate=True))
    except binascii.Error:
        return False


def read_table(path: Path) -> dict[str, list[str]]:
    """A passwd-style file (`name:x:id:…`) as {name: fields}; {} if it does not exist."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    return {
        fields[0]: fields
        for fields in (line.split(":") for line in lines if line)
        if len(fields) > 2
    }


def make_plan(args: argparse.Namespace) -> Plan:
    """Check every argument and the root; Refused lists every problem found."""
    problems: list[str] = []
    root = check_target(args.root, PROG, problems)
    center: str | None = args.center
    if center is None:
        problems.append("--center ID is missing: the center's id as registered at central")
    elif problem := check_center_id(center):
        problems.append(f"{problem} (--center)")
    central: tuple[str, ...] = ()
    if args.central is None:
        problems.append(
            "--central HOST:PORT is missing: central's broker, e.g. central.example.org:8883"
        )
    else:
        central = tuple(part.strip() for part in args.central.split(","))
        for part in central:
            host, _, port_text = part.rpartition(":")
            port = int(port_text) if port_text.isdigit() else 0
            if not HOST.fullmatch(host) or not 0 < port < 65536:
                named = "" if part == args.central else f" in {args.central!r}"
                problems.append(
                    f"--central {part!r}{named} is not HOST:PORT (a host name or IPv4 address "
                    "and its TLS port, e.g. central.example.org:8883; a cluster's nodes "
                    "separated by commas)"
                )
        if len(set(central)) < len(central):
            problems.append(f"--central {args.central!r} names a node twice")
    if not HOST.fullmatch(args.site_host):
        problems.append(f"--site-host {args.site_host!r} is not a host name or IPv4 address")
    credentials = Credentials()
    if args.credentials is None:
        problems.append(
            "--credentials FILE is missing: the center's login at central and central's CA "
            f"certificate; {HOW_TO_CREDENTIALS}"
        )
    else:
        credentials = read_credentials(Path(args.credentials), center, problems)
    kiosks = id_list(args.kiosks, "kiosk id", problems)
    robots = id_list(args.robots, "robot id", problems)
    updates: tuple[tuple[str, str], ...] = ()
    keeper = False
    if root.is_dir():
        check_root(root, center, problems)
        keeper = (root / library_key.KEYS_FILE.lstrip("/")).is_file()
        if credentials.library_key is not None:
            updates = kiosk_updates(root, credentials.library_key, problems)
    if problems:
        raise Refused(problems)
    assert center is not None
    return Plan(
        root, center, central, credentials, kiosks, robots, args.site_host,
        kiosk_updates=updates, keeper=keeper or credentials.library_key is not None,
    )  # fmt: skip


def kiosk_updates(root: Path, key: str, problems: list[str]) -> tuple[tuple[str, str], ...]:
    """Every kiosk TOML in the root's /etc/sarangbang/kiosks with `key` as the one it
    trusts; a problem named for one that cannot be given it by changing one line."""
    folder = root / KIOSKS.lstrip("/")
    updates = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        name = f"{KIOSKS}/{path.name}"
        try:
            text = path.read_text(encoding="utf-8")
            if text:  # an empty one is written anew, as before
                updates.append((name, with_trusted_key(text, key)))
        except (OSError, UnicodeDecodeError, TrustEditError) as exc:
            problems.append(
                f"{name} cannot be given central's library key ({exc}): set "
                f'`[library]` `trusted_keys = ["{key}"]` in it by hand, then run this again'
            )
    return tuple(updates)


def check_target(root_arg: str, prog: str, problems: list[str]) -> Path:
    """The root to install into, resolved: a folder, and this machine only as root."""
    root = Path(root_arg).resolve()
    if os.geteuid() != 0 and root == Path("/"):
        problems.append(
            f"not running as root: run it as root (sudo deploy/{prog} …); "
            "only with --root DIR (another tree) may it run as another user"
        )
    if not root.is_dir():
        problems.append(f"--root {root_arg} is not a folder")
    return root


def check_center_id(center: str) -> str | None:
    """Why `center` cannot be a center's id (its login and client id at central), or None."""
    if problem := check_id(center, "center id"):
        return problem
    if center.startswith(RESERVED_CENTER_PREFIXES):
        return (
            f"center id {center!r} begins like one of central's own logins "
            f"({', '.join(RESERVED_CENTER_PREFIXES)}): central refuses it (sarangbang-central "
            "add-center); use the id central gave this center"
        )
    return None


def check_mosquitto(root: Path, problems: list[str]) -> None:
    """What a box needs before either installer runs: Mosquitto with its group and
    mosquitto_passwd, and a user database."""
    shown = "" if root == Path("/") else f" in {root}"
    if not (root / CONF_D.lstrip("/")).is_dir():
        problems.append(f"Mosquitto is not installed{shown} (no {CONF_D}): apt install mosquitto")
    for name in ("passwd", "group"):
        if not (root / "etc" / name).is_file():
            problems.append(f"/etc/{name} is missing{shown}: not a Debian system?")
    if (root / "etc/group").is_file() and BROKER_GROUP not in read_table(root / "etc/group"):
        problems.append(
            f"the group {BROKER_GROUP} does not exist{shown} (its broker reads its files "
            "through it): apt install mosquitto"
        )
    if shutil.which("mosquitto_passwd") is None:
        problems.append("mosquitto_passwd is not on PATH: apt install mosquitto")


def check_root(root: Path, center: str | None, problems: list[str]) -> None:
    """What must be there already: Mosquitto, its group, the user database, and no other
    center's (or central's) setup."""
    check_mosquitto(root, problems)
    if (root / CENTRAL_ENV.lstrip("/")).is_file():
        problems.append(
            f"{CENTRAL_ENV} exists: this box is central (deploy/install-central), and its "
            "broker's logins and ACL are central's: set up a center on a box of its own"
        )
    if center is None:
        return
    site_env = root / "etc/sarangbang/site.env"
    if site_env.is_file():
        known = env_value(site_env.read_text(encoding="utf-8"), "SARANGBANG_CENTER")
        if known != center:
            problems.append(
                f"{site_env} says this box is center {known!r}, not {center!r}: a box "
                "serves one center (to give it to another, remove /etc/sarangbang first)"
            )
    devices = root / BROKER_CONFIG.lstrip("/")
    if (devices / "devices").is_file():
        try:
            known, _ = site_users.read_devices(devices)
        except (site_users.SiteUsersError, ValueError) as exc:
            problems.append(f"{devices / 'devices'} cannot be read: {exc}")
        else:
            if known != center:
                problems.append(
                    f"{devices / 'devices'} belongs to center {known!r}, not {center!r}: "
                    "a box serves one center (remove /etc/sarangbang first)"
                )


def env_value(text: str, key: str) -> str | None:
    for line in text.splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() == key:
            return value.strip().strip("\"'")
    return None
