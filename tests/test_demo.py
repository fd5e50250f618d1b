"""`make run`'s demo (scripts/demo.sh) starts every part, they reach each other, and Ctrl-C
stops it all within seconds, clients before brokers, even mid-class on a busy machine."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from shlex import quote

from tests.mosquitto import free_port

ROOT = Path(__file__).parents[1]
STARTUP_SECONDS = 60.0
# Clients get 3 s (scripts/processes.sh, tests/test_stop_signals.py), then the brokers go.
STOP_SECONDS = 5.0
# The hang this guards against was a race: stop it several times (3, not 5: each round is
# ~11 s of a suite over its 10 minutes)
STOPS = 3
SPIN_UP_SECONDS = 0.5  # the spinning processes are running flat out by then
CENTER, ROBOT = "demo-center", "liku-1"


def _start_demo(tmp_path: Path, ports: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("SDL_VIDEODRIVER", None)  # no screen: the kiosk stays closed, the rest runs
    env.update({f"DEMO_{name}_PORT": port for name, port in ports.items()})
    env.update(DEMO_DATA=str(tmp_path / "demo"), PY=str(ROOT / ".venv" / "bin" / "python"))
    with (tmp_path / "demo.out").open("ab") as out:
        return subprocess.Popen(
            [ROOT / "scripts" / "demo.sh"], cwd=ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def _learners(store: Path) -> int:
    if not store.exists():
        return 0
    with sqlite3.connect(store) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM learners").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


def _dashboard_status(url: str, deadline: float) -> int:
    while True:
        try:
            return int(urllib.request.urlopen(url, timeout=10).status)
        except OSError:
            assert time.monotonic() < deadline, f"no dashboard at {url}"
            time.sleep(0.2)


def test_demo_runs_central_and_a_site_that_reach_each_other(tmp_path: Path) -> None:
    ports = {name: str(free_port()) for name in ("WEB", "CENTRAL", "CENTRAL_TLS", "SITE")}
    log = tmp_path / "demo.out"
    demo = _start_demo(tmp_path, ports)
    store = tmp_path / "demo" / "site" / "kiosk-data" / "kiosk.db"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while _learners(store) < 6:  # the roster went central → bridge → sync agent → store
            assert demo.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        assert _dashboard_status(f"http://127.0.0.1:{ports['WEB']}/login", deadline) == 200
        # the bundled lessons, published at central, reached the kiosk through the keeper
        current = store.parent / "library" / "current"
        while not (current.exists() and current.read_text().strip() == "1"):
            assert time.monotonic() < deadline, _tails(tmp_path / "demo" / "logs")
            time.sleep(0.2)
        text = log.read_text()
        assert "admin password" in text and "no kiosk window" in text
    finally:
        os.killpg(demo.pid, signal.SIGINT)
        demo.wait(STOP_SECONDS)


@contextlib.contextmanager
def _busy_machine(cores: int = 2) -> Iterator[None]:
    """Processes that spin for as long as the block runs."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(cores)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def _tails(logs: Path) -> str:
    return "\n".join(
        f"== {log.name}\n" + "\n".join(log.read_text().splitlines()[-8:])
        for log in sorted(logs.glob("*.log"))
    )


def _start_a_class(site_port: str, logs: Path, deadline: float) -> None:
    """Ask the runner to start a class until the robot speaks (it may not listen yet)."""
    control = f"sarangbang/v1/centers/{CENTER}/classes/stop-test/control"
    start = f'{{"v":1,"action":"start","lesson_id":"phone-call","robots":["{ROBOT}"]}}'
    robot_log = logs / "robot.log"
    secret = logs.parent / "site" / "secrets" / "runner.main.password"  # the site needs a login
    while not (robot_log.exists() and "🗣" in robot_log.read_text()):
        assert time.monotonic() < deadline, f"the class never started\n{_tails(logs)}"
        subprocess.run(
            ["mosquitto_pub", "-p", site_port, "-q", "1", "-t", control, "-m", start,
             "-u", "runner.main", "-P", secret.read_text().strip() if secret.exists() else ""],
            check=False, capture_output=True,
        )  # fmt: skip
        time.sleep(0.5)


def _left_behind(marks: list[str]) -> list[str]:
    """Command lines of running processes that mention any of `marks` (they are killed)."""
    left = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(mark in args for mark in marks):
            left.append(args)
            with contextlib.suppress(OSError):
                os.kill(int(cmdline.parent.name), signal.SIGKILL)
    return left


def test_ctrl_c_stops_the_demo_mid_class_within_seconds_every_time(tmp_path: Path) -> None:
    logs = tmp_path / "demo" / "logs"
    took = []
    for _ in range(STOPS):
        # new ports each time: the last run's connections may still hold the old ones
        ports = {name: str(free_port()) for name in ("WEB", "CENTRAL", "CENTRAL_TLS", "SITE")}
        marks = [str(tmp_path / "demo"), f"127.0.0.1:{ports['SITE']}"]
        for old in logs.glob("*.log"):
            old.unlink()
        demo = _start_demo(tmp_path, ports)
        try:
            _start_a_class(ports["SITE"], logs, time.monotonic() + STARTUP_SECONDS)
        finally:
            with _busy_machine():  # the stop, not the start, is what must cope with it
                time.sleep(SPIN_UP_SECONDS)
                os.killpg(demo.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group
                stopped = time.monotonic()
                try:
                    demo.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(demo.pid, signal.SIGKILL)
                took.append(time.monotonic() - stopped)
            left = _left_behind(marks)
        assert not left, left
        # the robot said goodbye (retained `offline`) through a broker still there
        site = (logs / "site-broker.log").read_text()
        # (its client id ends in a secret of its login: mqtt_link.private_client_id)
        said = re.search(
            rf"Client sarangbang-robot-{CENTER}-{ROBOT}(-[0-9a-f]+)? disconnected", site
        )
        robot_left = said.start() if said else -1
        assert 0 <= robot_left < site.find("terminating"), _tails(logs)
    print("demo stopped in", [round(t, 2) for t in took], "s")
    assert max(took) <= STOP_SECONDS, took


STUBBORN = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
RECORDER = (  # writes when it got SIGTERM, then leaves
    "import signal, sys, time\n"
    "def bye(*_):\n"
    "    open(sys.argv[1], 'w').write(repr(time.time()))\n"
    "    sys.exit(0)\n"
    "signal.signal(signal.SIGTERM, bye)\n"
    "time.sleep(60)\n"
)


def test_the_scripts_stop_a_stubborn_client_in_bounded_time_and_its_broker_last(
    tmp_path: Path,
) -> None:
    """scripts/processes.sh: SIGTERM, STOP_SECONDS, then SIGKILL; the broker only after."""
    script = (
        f"source {ROOT / 'scripts' / 'processes.sh'}\n"
        f"start_broker broker {sys.executable} -c {quote(RECORDER)} {tmp_path / 'broker-stopped'}\n"
        f"start_client client {sys.executable} -c {quote(STUBBORN)}\n"
        "sleep 1\n"
        "python3 -c 'import time; print(time.time())'\n"
        "stop_all\n"
    )
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=20, check=True,
        env={**os.environ, "STOP_SECONDS": "1"},
    )  # fmt: skip
    stopping = float(done.stdout.split()[0])
    took = time.time() - stopping
    broker_stopped = float((tmp_path / "broker-stopped").read_text())
    assert "still running after 1s, killed" in done.stderr
    assert broker_stopped - stopping >= 1.0  # the client had its second first
    assert took < 4.0, took
