"""The live class console through the real deploy/ path: the dashboard (`sarangbang-central
serve --broker`, a process) sends the instructor's controls through central's broker (TLS,
passwords, the real ACL), a center's bridge (the real site-bridge.conf) carries them to the
center's class runner, which teaches with a simulated robot; the class's state comes back
the same way into central's table, which the console reads."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from central.accounts import Role, create_user
from central.class_form import ClassDraft
from central.class_states import class_state
from central.database import open_database
from central.roster import add_center
from central.schedule import save_class
from robot_bridge.protocol.class_messages import ClassState, ClassStatus
from tests import waiting
from tests.deploy.city import INTAKE_PASSWORD, INTAKE_USER, Central, Site, make_tls, spawn, stop
from tests.mosquitto import free_port

CENTER = "gangnam-1"
PASSWORD = "correct horse battery"
ARRIVE_SECONDS = 30.0  # processes starting, TLS bridge connecting, on a busy 2-core machine
# The practice step waits this long for kiosks (there are none): long enough that the class
# sits on it while the test steers, short enough that a stuck test shows quickly.
PRACTICE_SECONDS = 60
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def wait_for(condition: Callable[[], bool], what: str) -> None:
    waiting.wait_for(condition, ARRIVE_SECONDS, what)


class Instructor:
    """A browser signed in to the dashboard process, as `kim` (cookies kept, redirects
    followed)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.url + path, timeout=10) as answer:
            return str(answer.read().decode())

    def post(self, path: str, data: dict[str, str]) -> str:
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(self.url + path, body, timeout=10) as answer:
            return str(answer.read().decode())

    def token(self, path: str) -> str:
        match = _CSRF.search(self.get(path))
        assert match, f"no form on {path}"
        return match.group(1)

    def sign_in(self) -> None:
        data = {"username": "kim", "password": PASSWORD, "csrf_token": self.token("/login")}
        assert "강남 경로당" in self.post("/login", data)

    def press(self, class_id: str, action: str, **details: str) -> None:
        """Press a control; the console it comes back to says central's broker took it."""
        console = f"/centers/{CENTER}/classes/{class_id}"
        form = {"action": action, "csrf_token": self.token(console), **details}
        page = self.post(f"{console}/control", form)
        assert "보냈어요" in page, page

    def live(self, class_id: str) -> dict[str, object]:
        found: dict[str, object] = json.loads(
            self.get(f"/centers/{CENTER}/classes/{class_id}/live")
        )
        return found


@pytest.fixture
def city(tmp_path: Path) -> Iterator[tuple[Path, str, Instructor]]:
    """Central (broker, dashboard with its site monitor), one center (broker bridged to
    central, class runner, simulated robot r1) and a class of that center scheduled for an
    hour from now."""
    central = Central(tmp_path / "central", make_tls(tmp_path / "tls"))
    central.broker.start()
    db_path = tmp_path / "central-data" / "central.db"
    db = open_database(db_path)
    add_center(db, CENTER, "강남 경로당")
    create_user(db, "kim", "김 강사", Role.INSTRUCTOR, PASSWORD, {CENTER})
    draft = ClassDraft("phone-call", time.time() + 3600, 60, False, "교실", ("r1",), None, "ko")
    class_id = save_class(db, CENTER, draft)
    assert isinstance(class_id, str)
    db.close()
    password = tmp_path / "intake.password"
    password.write_text(INTAKE_PASSWORD)
    port, broker = free_port(), central.intake_address
    processes = [
        spawn(
            "central.cli", "--db", db_path, "serve", "--port", str(port),
            "--broker", f"{broker.host}:{broker.port}", "--username", INTAKE_USER,
            "--password-file", password, log=tmp_path / "dashboard.log",
        )
    ]  # fmt: skip
    site = Site(CENTER, tmp_path / CENTER, central)
    site.broker.start()
    secrets = site.directory / "secrets"
    runner, robot = site.login("runner", "main"), site.login("robot", "r1")
    on_site = ["--broker", f"127.0.0.1:{site.port}", "--center", CENTER]
    processes.append(
        spawn(
            "robot_bridge.classes.bridge_cli", *on_site, "--username", runner.username,
            "--password-file", secrets / "runner.main.password",
            "--practice-seconds", str(PRACTICE_SECONDS), "-v", log=tmp_path / "runner.log",
        )
    )  # fmt: skip
    processes.append(
        spawn(
            "robot_bridge.robots.robot_sim_cli", *on_site, "--robot", "r1", "--speed", "0",
            "--username", robot.username, "--password-file", secrets / "robot.r1.password",
            log=tmp_path / "robot.log",
        )
    )  # fmt: skip
    instructor = Instructor(f"http://127.0.0.1:{port}")
    try:
        wait_for(lambda: _answers(instructor), "the dashboard")
        instructor.sign_in()
        console = f"/centers/{CENTER}/classes/{class_id}"
        wait_for(lambda: 'id="no-link"' not in instructor.get(console), "its link")
        runner_log = tmp_path / "runner.log"
        wait_for(lambda: "connected to" in runner_log.read_text(), "the class runner")
        wait_for(lambda: _robot_seen(db_path), "r1's status at central: the bridge is up")
        yield db_path, class_id, instructor
    finally:
        for process in processes:
            stop(process)
        site.broker.stop()
        central.broker.stop()


def _answers(instructor: Instructor) -> bool:
    try:
        return "csrf_token" in instructor.get("/login")
    except (urllib.error.URLError, ConnectionError):
        return False


def _robot_seen(db_path: Path) -> bool:
    db = open_database(db_path)
    try:
        return bool(db.execute("SELECT 1 FROM devices WHERE device = 'r1'").fetchone())
    finally:
        db.close()


def _state(db_path: Path, class_id: str) -> ClassState | None:
    db = open_database(db_path)
    try:
        kept = class_state(db, CENTER, class_id)
        return kept.state if kept else None
    finally:
        db.close()


def test_the_instructors_controls_reach_the_runner_and_its_state_comes_back(
    city: tuple[Path, str, Instructor],
) -> None:
    db_path, class_id, instructor = city

    def state_is(status: ClassStatus, step: int) -> Callable[[], bool]:
        def holds() -> bool:
            state = _state(db_path, class_id)
            return state is not None and (state.status, state.step_index) == (status, step)

        return holds

    instructor.press(class_id, "start")  # an hour early: "start now"
    # two narration steps (the robot says them at once), then the first practice, which
    # waits for kiosks: the class sits there until the instructor moves it on
    wait_for(state_is(ClassStatus.RUNNING, 2), "the class running, at its first practice")
    started = _state(db_path, class_id)
    assert started is not None and started.robots == {"r1": "ready"}
    instructor.press(class_id, "next")
    wait_for(state_is(ClassStatus.RUNNING, 3), "the next step")
    instructor.press(class_id, "pause")
    wait_for(state_is(ClassStatus.PAUSED, 3), "the class paused")
    live = instructor.live(class_id)
    assert "잠시 멈춤" in str(live["html"]) and "4 / 9단계" in str(live["html"])
    assert "resume" in live["offered"] and "pause" not in live["offered"]
    instructor.press(class_id, "announce", text="5분 쉬었다 할게요.")
    wait_for(
        lambda: (
            (s := _state(db_path, class_id)) is not None and s.lines == ["오 분 쉬었다 할게요."]
        ),
        "the announcement, said while paused",
    )
    instructor.press(class_id, "goto", step="2")  # back to the second step (shown from 1)
    wait_for(state_is(ClassStatus.PAUSED, 1), "the class at the step chosen")
    instructor.press(class_id, "estop", robot="r1")
    wait_for(
        lambda: (
            (s := _state(db_path, class_id)) is not None
            and s.robots == {"r1": "offline"}
            and s.paused_reason == "emergency_stop"
        ),
        "the robot stopped",
    )
    instructor.press(class_id, "stop")
    wait_for(state_is(ClassStatus.STOPPED, 1), "the class ended")
    db = open_database(db_path)
    audit = db.execute("SELECT action, username, outcome FROM class_actions ORDER BY id")
    done = ("start", "next", "pause", "announce", "goto", "estop", "stop")
    assert audit.fetchall() == [(action, "kim", "sent") for action in done]
    db.close()
