"""Every long-running program exits within 3 s of SIGINT or SIGTERM, whatever its broker
does: up, killed before the signal, never there (connections refused), or unreachable
(connection attempts go unanswered, as behind a link that drops packets).

All the programs of one state run at once on one private broker, each twice (one gets
SIGTERM, the other SIGINT): that is also the busy machine a stop has to work on. They
start as a shell script's background jobs do (scripts/demo.sh), with SIGINT ignored: a
program must take the stop signals it needs itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.mosquitto import Broker, free_port

# Bounded by the wall clock (3 s from the signal to the exit): run by `make test` after the
# parallel part, with no other test's workers on the cores (under four workers on two
# cores a Kivy kiosk once took longer to exit)
pytestmark = pytest.mark.alone

ROOT = Path(__file__).parents[1]
EXIT_SECONDS = 3.0  # the bound, from the signal to the process being gone
START_SECONDS = 60.0  # twelve programs starting at once on two shared cores
SETTLE_SECONDS = 0.5  # after connecting: past the first subscribe, into the steady state
# With no broker to see it connect, a program has started once it handles a stop signal;
# one that handles neither (they keep their defaults) counts as started after this long.
UNSEEN_START_SECONDS = 30.0
STATES = ("broker-up", "broker-killed", "broker-never-there", "broker-unreachable")
SIGNALS = (signal.SIGTERM, signal.SIGINT)


@dataclass
class Program:
    name: str
    argv: list[str]
    client_id: str  # the MQTT client id it connects with, as the broker logs it
    env: dict[str, str] = field(default_factory=dict)


def _kiosk_config(directory: Path, port: int, kiosk: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "kiosk.toml"
    config.write_text(
        f'center_id = "c1"\nkiosk_id = "{kiosk}"\ninstructor_pin = "2580"\n'
        f'data_dir = "data"\n[broker]\nhost = "127.0.0.1"\nport = {port}\n'
    )
    return config


def _programs(port: int, tmp: Path, n: int) -> list[Program]:
    """The long-running programs, the `n`th copy of each (its own ids, files and ports)."""
    broker = f"127.0.0.1:{port}"
    sync_config = _kiosk_config(tmp / f"sync-{n}", port, f"k{n}")
    kiosk_config = _kiosk_config(tmp / f"kiosk-{n}", port, f"k{n}")
    kiosk_env = {
        "SDL_VIDEODRIVER": "offscreen",
        "SDL_AUDIODRIVER": "dummy",
        "KIVY_NO_ARGS": "1",
        "KIVY_HOME": str(tmp / f"kivy-{n}"),
    }
    central = ["central", "--db", str(tmp / f"central-{n}.db")]
    return [
        Program(
            "robot-sim",
            [
                *_module("robot_bridge.robots.robot_sim_cli", "--broker", broker, "--center", "c1"),
                "--robot",
                f"r{n}",
            ],
            f"sarangbang-robot-c1-r{n}",
        ),
        Program(
            "bridge",
            _module("robot_bridge.classes.bridge_cli", "--broker", broker, "--center", f"c{n}"),
            f"sarangbang-bridge-c{n}",
        ),
        Program(
            "sync",
            _module("kiosk_app.sync.sync_cli", "--config", str(sync_config)),
            f"sarangbang-sync-c1-k{n}",
        ),
        Program(
            "central-intake",
            _module(*central, "intake", "--broker", broker, "--worker-id", f"intake-{n}"),
            f"sarangbang-intake-{n}",
        ),
        Program(
            "central-serve",
            _module(*central, "serve", "--port", str(free_port()), "--broker", broker),
            "sarangbang-site-monitor",
        ),
        Program(
            "kiosk",
            _module("kiosk_app", "--config", str(kiosk_config)),
            f"sarangbang-kiosk-class-c1-k{n}",
            kiosk_env,
        ),
    ]


def _module(name: str, *args: str) -> list[str]:
    return [sys.executable, "-m", name, *args]


def _catches_stop_signals(pid: int) -> bool:
    """True once the process has a handler for SIGINT or SIGTERM (its start is over)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = int(re.search(r"^SigCgt:\s*([0-9a-f]+)", status, re.M).group(1), 16)  # type: ignore[union-attr]
    return any(caught & (1 << (s - 1)) for s in SIGNALS)


@dataclass
class Running:
    program: Program
    signum: signal.Signals
    process: subprocess.Popen[bytes]
    log: Path
    since: float = field(default_factory=time.monotonic)


@pytest.fixture
def started(tmp_path: Path) -> Iterator[list[Running]]:
    running: list[Running] = []
    yield running
    for run in running:
        if run.process.poll() is None:
            run.process.kill()
            run.process.wait()


def _start(programs: list[tuple[Program, signal.Signals]], tmp: Path) -> list[Running]:
    running = []
    for program, signum in programs:
        log = tmp / f"{program.name}-{signum.name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                program.argv, cwd=ROOT, env={**os.environ, **program.env},
                stdout=out, stderr=subprocess.STDOUT, preexec_fn=_as_a_background_job,
            )  # fmt: skip
        running.append(Running(program, signum, process, log))
    return running


def _as_a_background_job() -> None:
    """What a non-interactive shell does for `command &`: SIGINT (and SIGQUIT) ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGQUIT, signal.SIG_IGN)


@contextlib.contextmanager
def _unreachable_port() -> Iterator[int]:
    """A port whose connection attempts hang unanswered: a listener that never accepts,
    its one-place queue already taken, so the kernel drops every further SYN."""
    with socket.socket() as listener, socket.socket() as filler:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        filler.connect(listener.getsockname())
        yield int(listener.getsockname()[1])


def _wait_until(ready: Callable[[], bool], what: Callable[[], str]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not ready():
        assert time.monotonic() < deadline, what()
        time.sleep(0.05)


def _exit_times(running: list[Running]) -> dict[str, float]:
    """Seconds from now until each process is gone (inf: still there after the bound)."""
    signalled = time.monotonic()
    took = {f"{r.program.name}/{r.signum.name}": float("inf") for r in running}
    while time.monotonic() - signalled < EXIT_SECONDS + 0.5:
        for run in running:
            name = f"{run.program.name}/{run.signum.name}"
            if took[name] == float("inf") and run.process.poll() is not None:
                took[name] = time.monotonic() - signalled
        if all(t < float("inf") for t in took.values()):
            break
        time.sleep(0.01)
    return took


def _connected(broker: Broker) -> set[str]:
    text = broker.log.read_text() if broker.log.exists() else ""
    return set(re.findall(r"New client connected from \S+ as (\S+)", text))


@pytest.mark.parametrize("state", STATES)
def test_every_program_exits_within_3_s_of_a_stop_signal(
    state: str, tmp_path: Path, started: list[Running]
) -> None:
    broker = Broker(tmp_path / "broker", "log_type all").start()
    unreachable = contextlib.ExitStack()
    port = broker.port
    if state == "broker-never-there":
        port = free_port()  # nothing listens there: every connection attempt is refused
    elif state == "broker-unreachable":
        port = unreachable.enter_context(_unreachable_port())
    try:
        with unreachable:
            _start_and_stop(state, broker, port, tmp_path, started)
    finally:
        broker.stop()


def _start_and_stop(
    state: str, broker: Broker, port: int, tmp_path: Path, started: list[Running]
) -> None:
    seen = state in ("broker-up", "broker-killed")  # the broker sees them connect
    wanted = [(p, s) for n, s in enumerate(SIGNALS) for p in _programs(port, tmp_path, n)]
    started.extend(_start(wanted, tmp_path))

    def logs() -> str:
        return "\n".join(f"== {r.program.name} {r.signum.name}\n{r.log.read_text()[-1500:]}"
                         for r in started)  # fmt: skip

    def all_started() -> bool:
        for run in started:
            assert run.process.poll() is None, f"{run.program.name} exited early\n{logs()}"
        if seen:
            return {r.program.client_id for r in started} <= _connected(broker)
        return all(
            _catches_stop_signals(r.process.pid)
            or time.monotonic() - r.since > UNSEEN_START_SECONDS
            for r in started
        )

    _wait_until(all_started, lambda: f"connected: {sorted(_connected(broker))}\n{logs()}")
    time.sleep(SETTLE_SECONDS)
    if state == "broker-killed":
        broker.stop()
    took: dict[str, float] = {}
    for signum in SIGNALS:  # one signal at a time: six programs stopping at once
        runs = [r for r in started if r.signum == signum]
        for run in runs:
            run.process.send_signal(signum)
        took.update(_exit_times(runs))
    broker.stop()
    print(state, {name: round(t, 2) for name, t in took.items()})
    slow = sorted(name for name, t in took.items() if t > EXIT_SECONDS)
    tails = "\n".join(
        f"== {r.program.name} {r.signum.name}\n" + "\n".join(r.log.read_text().splitlines()[-12:])
        for r in started
        if f"{r.program.name}/{r.signum.name}" in slow
    )
    assert not slow, f"still running {EXIT_SECONDS} s after the signal: {slow}\n{tails}"
