"""The systemd units in deploy/systemd/ (deploy/README.md, "Running as services").

`systemd-analyze verify` checks each unit as systemd would load it; it needs no running
systemd (this runs where PID 1 is not systemd, as in CI's container). It is pointed at a
throw-away root (`--root`) holding the units where they are installed
(`/etc/systemd/system`), this machine's own system units (`mosquitto.service`,
`getty@.service`, the targets the units order against) and an executable stub at the path
of every program the project installs (`/opt/sarangbang/venv/bin/sarangbang-*`) and at
`/usr/bin/cage`: an `ExecStart=` naming any other program is reported as not executable.
`verify` exits 0 on a misspelled key or a bad value (it logs "ignoring" and goes on), so
every line it prints about one of our units is a failure, whatever its exit code; lines
about the machine's own units (e.g. a system call this systemd does not know in
`systemd-logind.service`) are not ours to fix and are ignored.

Statically, from the unit files: every `ExecStart=` runs one of the project's
`[project.scripts]` (or cage, with options cage 0.1.4 has, in front of one), with arguments
its own argparse parser accepts, reading config from /etc/sarangbang only; every service
restarts by itself, logs to journald, runs as the `sarangbang` user with the hardening
baseline, writes only under /var/lib/sarangbang, and is ordered after the broker.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).parents[2]
UNIT_DIR = ROOT / "deploy" / "systemd"
README = ROOT / "deploy" / "README.md"

VENV_BIN = PurePosixPath("/opt/sarangbang/venv/bin")
CAGE = PurePosixPath("/usr/bin/cage")
# Debian 12's cage 0.1.4 (`cage -h`): -d no client-side decorations, -h help, -m extend|last,
# -r rotate, -s allow VT switching, -v version
CAGE_OPTIONS = {"-d", "-m", "-r", "-s"}
CONFIG = PurePosixPath("/etc/sarangbang")
STATE = PurePosixPath("/var/lib/sarangbang")
SITE_ENV = CONFIG / "site.env"
SITE_ENV_SAMPLE = {"SARANGBANG_CENTER": "mapo-2"}  # what /etc/sarangbang/site.env holds

CENTRAL = ("sarangbang-intake.service", "sarangbang-dashboard.service")
KEEPER = "sarangbang-library-keeper.service"
RETAINER = "sarangbang-site-retainer.service"  # behind a plain bridge only (install-center)
SITE = (
    "sarangbang-class-runner.service",
    KEEPER,
    RETAINER,
    "sarangbang-sync@.service",
    "sarangbang-robot-sim@.service",
    "sarangbang-kiosk@.service",
)
SERVICES = CENTRAL + SITE
GROUP = {name: "sarangbang-central.target" for name in CENTRAL} | {
    name: "sarangbang-site.target" for name in SITE
}
TARGETS = ("sarangbang-central.target", "sarangbang-site.target")
KIOSK = "sarangbang-kiosk@.service"
# the instance each template is checked as (%i: a kiosk's or a robot's id)
INSTANCE = {
    "sarangbang-sync@.service": "kiosk-1",
    "sarangbang-kiosk@.service": "kiosk-1",
    "sarangbang-robot-sim@.service": "liku-1",
}

# The baseline every service keeps; the kiosk gives up only what its compositor needs
# (deploy/systemd/sarangbang-kiosk@.service says what and why).
BASELINE = {
    "User": "sarangbang",
    "Group": "sarangbang",
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectKernelLogs": "yes",
    "ProtectControlGroups": "yes",
    "ProtectClock": "yes",
    "ProtectHostname": "yes",
    "RestrictNamespaces": "yes",
    "RestrictRealtime": "yes",
    "RestrictSUIDSGID": "yes",
    "LockPersonality": "yes",
    "SystemCallArchitectures": "native",
    "CapabilityBoundingSet": "",
}
HEADLESS = {
    "PrivateDevices": "yes",
    "PrivateUsers": "yes",
    "ProtectProc": "invisible",
    "SystemCallFilter": "@system-service",
}
FAMILIES = {"AF_INET", "AF_INET6", "AF_UNIX"}
KIOSK_FAMILIES = FAMILIES | {"AF_NETLINK"}  # udev: screens and touch panels plugged in
KIOSK_WRITABLE = {"/run/user"}  # the logind session's runtime dir: cage's Wayland socket
# `systemd-analyze security --offline`: the overall exposure (0 best, 10 worst) may not grow
HEADLESS_EXPOSURE = 2.0
KIOSK_EXPOSURE = 4.0


# ---- reading unit files --------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    name: str
    path: Path
    entries: tuple[tuple[str, str, str], ...]  # (section, key, value) in file order

    def values(self, section: str, key: str) -> list[str]:
        return [v for s, k, v in self.entries if s == section and k == key]

    def value(self, section: str, key: str) -> str | None:
        """The last assignment wins, as in systemd."""
        found = self.values(section, key)
        return found[-1] if found else None

    def words(self, section: str, key: str) -> list[str]:
        """A list setting: every assignment adds its words, an empty one resets the list."""
        words: list[str] = []
        for value in self.values(section, key):
            words = [*words, *value.split()] if value else []
        return words


def read_unit(path: Path) -> Unit:
    entries: list[tuple[str, str, str]] = []
    section = ""
    lines = iter(path.read_text(encoding="utf-8").splitlines())
    for raw in lines:
        line = raw.strip()
        while line.endswith("\\"):  # a continued line
            line = line[:-1] + " " + next(lines, "").strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, sep, value = line.partition("=")
        assert sep and section, f"{path.name}: not a key=value line in a section: {raw!r}"
        entries.append((section, key.strip(), value.strip()))
    return Unit(path.name, path, tuple(entries))


def units() -> dict[str, Unit]:
    return {path.name: read_unit(path) for path in sorted(UNIT_DIR.iterdir())}


def instance_name(name: str) -> str:
    """`sarangbang-sync@.service` → `sarangbang-sync@kiosk-1.service`."""
    if name not in INSTANCE:
        return name
    stem, suffix = name.split("@.")
    return f"{stem}@{INSTANCE[name]}.{suffix}"


def expand(unit: Unit, text: str) -> str:
    """Fill in specifiers (%i) and environment variables (${NAME}) as systemd would."""

    def specifier(match: re.Match[str]) -> str:
        letter = match.group(1)
        if letter == "%":
            return "%"
        assert letter in "iI" and unit.name in INSTANCE, f"{unit.name}: unexpected %{letter}"
        return INSTANCE[unit.name]

    def variable(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        assert unit.value("Service", "EnvironmentFile") == str(SITE_ENV), (
            f"{unit.name}: ${name} without EnvironmentFile={SITE_ENV}"
        )
        assert name in SITE_ENV_SAMPLE, f"{unit.name}: ${name} is not a key of {SITE_ENV}"
        return SITE_ENV_SAMPLE[name]

    text = re.sub(r"%(.)", specifier, text)
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", variable, text)


def command_line(unit: Unit) -> list[str]:
    starts = unit.values("Service", "ExecStart")
    assert len(starts) == 1, f"{unit.name}: one ExecStart= line, not {len(starts)}"
    return shlex.split(expand(unit, starts[0]))


# ---- the project's commands, parsed by their own argparse parsers ---------------------------


def project_scripts() -> dict[str, str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    scripts: dict[str, str] = pyproject["project"]["scripts"]
    return scripts


class _Parsed(Exception):
    def __init__(self, namespace: argparse.Namespace) -> None:
        super().__init__("parsed")
        self.namespace = namespace


def parse_with_cli(script: str, argv: list[str]) -> argparse.Namespace:
    """Run `script`'s own main() on `argv` up to its argument parsing, and no further:
    what its parser makes of the arguments, or a test failure with argparse's message."""
    module_name, _, function = project_scripts()[script].partition(":")
    main = getattr(importlib.import_module(module_name), function)
    real_parse_args = argparse.ArgumentParser.parse_args

    def parse_and_stop(
        self: argparse.ArgumentParser, args: Sequence[str] | None = None, namespace: None = None
    ) -> argparse.Namespace:
        raise _Parsed(real_parse_args(self, args))

    errors = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(errors):
        patch.setattr(argparse.ArgumentParser, "parse_args", parse_and_stop)
        try:
            main(argv)
        except _Parsed as parsed:
            return parsed.namespace
        except SystemExit as exc:
            pytest.fail(
                f"{script} {shlex.join(argv)}: refused (exit {exc.code}):\n{errors.getvalue()}"
            )
    pytest.fail(f"{script}: main() returned without parsing its arguments")


@dataclass(frozen=True)
class Command:
    script: str  # the [project.scripts] name
    argv: list[str]  # its arguments, as systemd passes them
    namespace: argparse.Namespace  # what its own parser made of them

    def paths(self) -> dict[str, str]:
        """The arguments given on the command line that name files."""
        return {
            key: str(value)
            for key, value in vars(self.namespace).items()
            if isinstance(value, str | Path)
            and str(value).startswith("/")
            and str(value) in self.argv
        }


def project_command(unit: Unit, argv: list[str]) -> Command:
    program = PurePosixPath(argv[0])
    assert program.parent == VENV_BIN, f"{unit.name}: {program} is not in {VENV_BIN}"
    assert program.name in project_scripts(), f"{unit.name}: {program.name} is no script"
    return Command(program.name, argv[1:], parse_with_cli(program.name, argv[1:]))


def service_command(unit: Unit) -> Command:
    """The project command a service runs (inside cage for the kiosk), parsed."""
    argv = command_line(unit)
    if PurePosixPath(argv[0]) != CAGE:
        return project_command(unit, argv)
    assert "--" in argv, f"{unit.name}: cage's own options end with --"
    split = argv.index("--")
    options = [word for word in argv[1:split] if word.startswith("-")]
    assert set(options) <= CAGE_OPTIONS, f"{unit.name}: cage 0.1.4 has no {options}"
    return project_command(unit, argv[split + 1 :])


# ---- the static checks ----------------------------------------------------------------------


def test_the_units_are_the_ones_the_readme_lists() -> None:
    assert sorted(units()) == sorted(SERVICES + TARGETS)
    readme = README.read_text(encoding="utf-8")
    missing = [name for name in units() if name not in readme]
    assert not missing, f"deploy/README.md does not name {missing}"


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_runs_a_project_command_its_parser_accepts(name: str) -> None:
    unit = units()[name]
    command = service_command(unit)
    script, namespace, paths = command.script, command.namespace, command.paths()
    for key, value in paths.items():  # code in /opt, config in /etc/sarangbang, state in /var
        # the folder a program keeps its state in, or reads another's (the runner: the
        # keeper's published libraries)
        where = STATE if key in ("dir", "published") else CONFIG
        assert PurePosixPath(value).is_relative_to(where), f"{name}: --{key} {value}"
    if script == "sarangbang-central":
        assert namespace.db is None, f"{name}: the database comes from SARANGBANG_CENTRAL_DB"
        assert unit.values("Service", "Environment") == [
            f"SARANGBANG_CENTRAL_DB={STATE / 'central.db'}"
        ]
    if name in INSTANCE and script in ("sarangbang-sync", "sarangbang-kiosk"):
        assert paths["config"] == f"{CONFIG}/kiosks/{INSTANCE[name]}.toml"
    site_logins = (
        "sarangbang-bridge",
        "sarangbang-robot-sim",
        "sarangbang-library-keeper",
        "sarangbang-site-retainer",
    )
    if script in (*site_logins, "sarangbang-central"):
        assert namespace.password_file is not None, f"{name}: logs in on the broker"
        assert PurePosixPath(namespace.password_file).is_relative_to(CONFIG / "secrets")


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_restarts_by_itself_and_logs_to_journald(name: str) -> None:
    unit = units()[name]
    # cage 0.1.4 exits 0 whatever its application's status: the kiosk restarts always
    restart = "always" if name == KIOSK else "on-failure"
    assert unit.value("Service", "Restart") == restart
    assert unit.value("Service", "RestartSec")
    assert unit.value("Unit", "StartLimitIntervalSec") == "0", f"{name}: never gives up"
    for stream in ("StandardOutput", "StandardError"):
        assert unit.value("Service", stream) in (None, "journal"), f"{name}: {stream}"
    if unit.value("Service", "StandardInput") not in (None, "null"):  # the kiosk's console
        assert unit.value("Service", "StandardOutput") == "journal"
        assert unit.value("Service", "StandardError") == "journal"


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_keeps_the_hardening_baseline(name: str) -> None:
    unit = units()[name]
    wanted = BASELINE if name == KIOSK else {**BASELINE, **HEADLESS}
    found = {key: unit.value("Service", key) for key in wanted}
    assert found == wanted
    assert unit.value("Service", "DynamicUser") in (None, "no")
    families = set(unit.words("Service", "RestrictAddressFamilies"))
    assert families == (KIOSK_FAMILIES if name == KIOSK else FAMILIES)


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_writes_only_under_var_lib_sarangbang(name: str) -> None:
    unit = units()[name]
    # ProtectSystem=strict: all of the file system read-only but for what is listed here
    assert unit.value("Service", "ProtectSystem") == "strict"
    state = [expand(unit, d) for d in unit.words("Service", "StateDirectory")]
    assert "sarangbang" in state
    assert all(d == "sarangbang" or d.startswith("sarangbang/") for d in state), state
    writable = {expand(unit, p) for p in unit.words("Service", "ReadWritePaths")}
    writable -= KIOSK_WRITABLE if name == KIOSK else set()
    assert all(PurePosixPath(p).is_relative_to(STATE) for p in writable), writable
    for key in (
        "RuntimeDirectory",
        "CacheDirectory",
        "LogsDirectory",
        "ConfigurationDirectory",
        "BindPaths",
        "RootDirectory",
    ):
        assert not unit.words("Service", key), f"{name}: {key}= writes elsewhere"
    assert PurePosixPath(unit.value("Service", "WorkingDirectory") or "/").is_relative_to(STATE)
    for setting in unit.words("Service", "Environment"):
        value = expand(unit, setting.partition("=")[2])
        if value.startswith("/"):  # a folder or file the program may write
            assert PurePosixPath(value).is_relative_to(STATE), f"{name}: {setting}"
    if name in INSTANCE and name != "sarangbang-robot-sim@.service":
        kiosk_state = f"sarangbang/kiosks/{INSTANCE[name]}"
        assert kiosk_state in state, f"{name}: the kiosk's data_dir is /var/lib/{kiosk_state}"


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_starts_after_the_broker_and_belongs_to_its_target(name: str) -> None:
    unit = units()[name]
    after = unit.words("Unit", "After")
    # started after the broker, so stopped before it
    assert "mosquitto.service" in after
    if name in CENTRAL or name in (
        "sarangbang-class-runner.service",
        KEEPER,
        RETAINER,
        "sarangbang-robot-sim@.service",
    ):
        # beside the broker it pulls the broker in; a kiosk's machine may have none
        assert "mosquitto.service" in unit.words("Unit", "Wants")
    assert unit.words("Unit", "PartOf") == [GROUP[name]]
    assert unit.words("Install", "WantedBy") == [GROUP[name]]


def test_the_targets_group_the_services() -> None:
    found = units()
    for target in TARGETS:
        assert found[target].words("Install", "WantedBy") == ["multi-user.target"]
    central_wants = set(found["sarangbang-central.target"].words("Unit", "Wants"))
    assert set(CENTRAL) <= central_wants  # central always runs both
    # a center's machines run different sets: each service is enabled into the site target
    assert not found["sarangbang-site.target"].words("Unit", "Wants")


def test_the_keeper_keeps_versions_in_its_state_and_trusts_the_installed_key_file() -> None:
    """Its --dir is a StateDirectory= of its own (made for the service user on start); its
    --trusted-keys is the file deploy/install-center writes from the credentials file."""
    unit = units()[KEEPER]
    command = service_command(unit)
    assert command.script == "sarangbang-library-keeper"
    assert command.namespace.username == "keeper.main"  # deploy/site_users.py's keeper role
    assert str(command.namespace.trusted_keys) == str(CONFIG / "library-keys")
    library = PurePosixPath(command.namespace.dir).relative_to("/var/lib")
    assert str(library) in unit.words("Service", "StateDirectory")


def test_the_retainer_logs_in_as_the_role_that_may_republish_centrals_retained_topics() -> None:
    """Its login is deploy/site_users.py's retainer role (the only site user allowed to
    publish the roster, schedule and library offer), its center the box's own."""
    command = service_command(units()[RETAINER])
    assert command.script == "sarangbang-site-retainer"
    assert command.namespace.username == "retainer.main"
    assert command.namespace.password_file == Path(CONFIG / "secrets/retainer.main.password")
    assert command.namespace.center == SITE_ENV_SAMPLE["SARANGBANG_CENTER"]
    assert command.namespace.broker == "localhost:1883"


def test_the_kiosk_takes_the_console_through_logind() -> None:
    unit = units()[KIOSK]
    assert command_line(unit)[0] == str(CAGE)
    assert unit.value("Service", "PAMName") == "login"
    assert unit.value("Service", "TTYPath") == "/dev/tty1"
    assert unit.value("Service", "StandardInput") == "tty-fail"
    assert "getty@tty1.service" in unit.words("Unit", "Conflicts")
    assert "getty@tty1.service" in unit.words("Unit", "After")
    assert "systemd-logind.service" in unit.words("Unit", "After")
    assert unit.value("Service", "PrivateDevices") in (None, "no")  # the GPU, input, sound


# ---- systemd-analyze ------------------------------------------------------------------------


def systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        pytest.fail("systemd-analyze is missing: apt install systemd (PID 1 need not be systemd)")
    return found


def host_unit_dir() -> Path:
    for folder in ("/usr/lib/systemd/system", "/lib/systemd/system"):
        if Path(folder, "sysinit.target").exists():
            return Path(folder).resolve()
    pytest.fail("no system units of systemd's own on this machine (apt install systemd)")


def make_root(root: Path, unit_files: list[Path]) -> Path:
    """A throw-away root: this machine's system units, `unit_files` installed, and a stub
    at each program a unit may run."""
    shutil.copytree(host_unit_dir(), root / "usr/lib/systemd/system", symlinks=True)
    installed = root / "etc/systemd/system"
    installed.mkdir(parents=True)
    for path in unit_files:
        shutil.copy(path, installed / path.name)
    programs = [VENV_BIN / script for script in project_scripts()] + [CAGE]
    for program in programs:
        stub = root / program.relative_to("/")
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text("#!/bin/sh\nexit 0\n")
        stub.chmod(0o755)
    return root


def analyze(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SYSTEMD_LOG_LEVEL": "warning",  # syntax warnings ("Unknown key …, ignoring") and up
        "SYSTEMD_LOG_COLOR": "0",
        "SYSTEMD_LOG_LOCATION": "0",
        "SYSTEMD_PAGER": "",
        "LC_ALL": "C.UTF-8",
    }
    return subprocess.run(
        [systemd_analyze(), *args, f"--root={root}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def verify_problems(root: Path, unit: str) -> list[str]:
    """What `systemd-analyze verify` says about `unit` (a template as an instance): the
    lines about our units, and the exit status if it is not 0."""
    result = analyze(root, "verify", "--man=no", "--generators=no", unit)
    ours = re.compile(r"sarangbang-|broken-")
    lines = (result.stdout + result.stderr).splitlines()
    problems = [line for line in lines if ours.search(line)]
    if result.returncode != 0:
        problems.append(f"exit status {result.returncode}: {lines}")
    return problems


@pytest.fixture(scope="module")
def installed_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("root")
    yield make_root(root, sorted(UNIT_DIR.iterdir()))
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("name", SERVICES + TARGETS)
def test_systemd_analyze_verify_accepts_the_unit(installed_root: Path, name: str) -> None:
    assert verify_problems(installed_root, instance_name(name)) == []


def test_verify_as_run_here_reports_a_broken_unit(tmp_path: Path) -> None:
    """`verify` exits 0 on bad keys and values: the lines about the unit must catch them."""
    broken = tmp_path / "broken-unit.service"
    text = (UNIT_DIR / "sarangbang-intake.service").read_text(encoding="utf-8")
    text = text.replace("Restart=on-failure", "Restart=sometimes")
    text = text.replace("ProtectClock=yes", "ProtectClok=yes")
    text = text.replace("bin/sarangbang-central intake", "bin/sarangbang-centrl intake")
    broken.write_text(text, encoding="utf-8")
    problems = verify_problems(make_root(tmp_path / "root", [broken]), broken.name)
    said = "\n".join(problems)
    assert "sometimes" in said
    assert "ProtectClok" in said
    assert "sarangbang-centrl is not executable" in said


@pytest.mark.parametrize("name", SERVICES)
def test_systemd_analyze_security_exposure_stays_low(installed_root: Path, name: str) -> None:
    result = analyze(installed_root, "security", "--offline=yes", instance_name(name))
    found = re.search(r"Overall exposure level for \S+: (\d+\.\d)", result.stdout)
    assert found, result.stdout + result.stderr
    limit = KIOSK_EXPOSURE if name == KIOSK else HEADLESS_EXPOSURE
    assert float(found.group(1)) <= limit
