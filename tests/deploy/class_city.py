"""A city teaching robot-led classes, on one machine, every part a real process: central's
broker (TLS, passwords, the real ACL) with its dashboard (`sarangbang-central serve
--broker`: the console and the site monitor), and N centers, each a site broker bridged to
central by the real site-bridge.conf, a class runner and simulated robots `r1`, `r2`, ….

With `cuttable=True` each center's bridge goes through its own `CuttableLink`, so a test can
cut one center off central and bring it back (`cut(center)`, `restore(center)`).

    with ClassCity(tmp_path, [("gangnam-1", "강남 경로당")]) as city:
        kim = city.instructor("kim")
        ...

Accounts: `kim` teaches every center, `lee` only the first; both sign in with `PASSWORD`.
Every process logs into a file in the city's directory."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from central.accounts import Role, create_user
from central.class_audit import Outcome
from central.class_controls import ControlLink
from central.class_form import ClassDraft
from central.class_states import class_state
from central.database import open_database
from central.roster import add_center
from central.schedule import save_class
from robot_bridge.classes.class_client import ClassClient
from robot_bridge.classes.class_follower import ClassUpdate
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink, read_password_file
from robot_bridge.protocol import topics
from robot_bridge.protocol.class_messages import ClassControl, ClassState
from tests import waiting
from tests.deploy.city import INTAKE_PASSWORD, INTAKE_USER, Central, Site, make_tls, spawn
from tests.deploy.cuttable import CuttableLink
from tests.deploy.instructor import Instructor
from tests.mosquitto import free_port

# Processes starting, TLS bridges connecting, on a busy 2-core machine.
ARRIVE_SECONDS = 30.0
# And more for each center: its runner (~1.2 s of CPU: imports and the lesson library's
# check) and robots start at the same moment as every other center's, on 2 cores. 20
# centers were ready in 35–80 s with the machine busy with other tests (load 5–24), 3 in 9 s.
START_SECONDS_PER_CENTER = 6.0
PASSWORD = "correct horse battery"  # every instructor's
STOP_SECONDS = 10.0  # a process's orderly exit on SIGTERM (a robot says `offline` first)


@dataclass
class Center:
    """One center of the city: its site broker, and the link in front of its bridge."""

    id: str
    name: str
    site: Site
    link: CuttableLink | None
    watcher: StateWatch | None = None


class StateWatch:
    """The latest state of each class on a site broker, as an observer there sees it."""

    def __init__(self, broker: BrokerAddress, center: str) -> None:
        self.latest: dict[str, bytes] = {}  # topic → payload, written on paho's thread only
        subscription = [(topics.class_state_subscription(center), 1)]
        self.link = MqttLink(broker, f"class-city-watch-{center}", subscription, handle=self._keep)

    def _keep(self, topic: str, payload: bytes) -> None:
        self.latest[topic] = payload

    def state(self, center: str, class_id: str) -> ClassState | None:
        payload = self.latest.get(ClassState.topic(center, class_id))
        return ClassState.model_validate_json(payload) if payload else None


class ClassCity:
    """The city, as a context manager: every part running on entering, stopped on leaving."""

    def __init__(
        self,
        directory: Path,
        centers: list[tuple[str, str]],
        robots_per_center: int = 1,
        practice_seconds: float = 60,
        cuttable: bool = False,
    ) -> None:
        """`centers`: (id, Korean name) each. `practice_seconds`: how long a class's practice
        step waits for kiosks before going on."""
        assert centers, "a city needs a center"
        self.directory = directory
        self.named = dict(centers)
        self.robots = [f"r{n}" for n in range(1, robots_per_center + 1)]
        self.practice_seconds = practice_seconds
        self.cuttable = cuttable
        self.db_path = directory / "central-data" / "central.db"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.centers: dict[str, Center] = {}
        self.processes: list[tuple[subprocess.Popen[bytes], Path]] = []
        self._kiosks: list[ClassClient] = []
        self._controls: ControlLink | None = None
        self._central: Central | None = None

    @property
    def central(self) -> Central:
        assert self._central, "the city is not running"
        return self._central

    def __enter__(self) -> ClassCity:
        try:
            self._start()
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self._stop()

    def _start(self) -> None:
        """Everything configured first (no broker reloads), then every broker and process
        started at once, then one wait for all of them."""
        self._central = Central(self.directory / "central", make_tls(self.directory / "tls"))
        for center_id in self.named:
            self.centers[center_id] = self._configure(center_id)
        self._make_database()
        self.central.broker.start()
        for center in self.centers.values():
            center.site.broker.start()
        self._spawn_dashboard()
        for center in self.centers.values():
            self._spawn_center(center)
        for center in self.centers.values():
            secret = center.site.directory / "secrets" / "observer.test.password"
            login = BrokerAddress(
                "127.0.0.1", center.site.port, "observer.test", read_password_file(secret)
            )  # added before the broker started: `site.login` would reload it for nothing
            center.watcher = StateWatch(login, center.id)
            center.watcher.link.start()
        self._controls = ControlLink(self.central.intake_address).start()
        starting = ARRIVE_SECONDS + START_SECONDS_PER_CENTER * len(self.centers)
        self.wait_for(
            self._ready, "the dashboard, the runners and every robot at central", starting
        )

    def _configure(self, center: str) -> Center:
        link = CuttableLink("127.0.0.1", self.central.tls_port) if self.cuttable else None
        address = f"localhost:{link.port}" if link else None  # the certificate names localhost
        site = Site(center, self.directory / center, self.central, bridge_addresses=address)
        for role, device in [("runner", "main"), ("observer", "test")]:
            site.add_device(role, device)
        for robot in self.robots:
            site.add_device("robot", robot)
        return Center(center, self.named[center], site, link)

    def _make_database(self) -> None:
        db = open_database(self.db_path)
        try:
            for center, name in self.named.items():
                add_center(db, center, name)
            create_user(db, "kim", "김 강사", Role.INSTRUCTOR, PASSWORD, set(self.named))
            first = next(iter(self.named))
            create_user(db, "lee", "이 강사", Role.INSTRUCTOR, PASSWORD, {first})
        finally:
            db.close()

    def _spawn_dashboard(self) -> None:
        password = self.directory / "intake.password"
        password.write_text(INTAKE_PASSWORD)
        broker = self.central.intake_address
        self._spawn(
            "central.cli", "--db", self.db_path, "serve", "--port", str(self.port),
            "--broker", f"{broker.host}:{broker.port}", "--username", INTAKE_USER,
            "--password-file", password, log=self.directory / "dashboard.log",
        )  # fmt: skip

    def _spawn_center(self, center: Center) -> None:
        site, secrets_dir = center.site, center.site.directory / "secrets"
        on_site = ["--broker", f"127.0.0.1:{site.port}", "--center", center.id]
        self._spawn(
            "robot_bridge.classes.bridge_cli", *on_site, "--username", "runner.main",
            "--password-file", secrets_dir / "runner.main.password",
            "--practice-seconds", str(self.practice_seconds), "-v",
            log=self.directory / f"{center.id}-runner.log",
        )  # fmt: skip
        for robot in self.robots:
            self._spawn(
                "robot_bridge.robots.robot_sim_cli", *on_site, "--robot", robot,
                "--speed", "0", "--username", f"robot.{robot}",
                "--password-file", secrets_dir / f"robot.{robot}.password",
                log=self.directory / f"{center.id}-{robot}.log",
            )  # fmt: skip

    def _spawn(self, module: str, *args: str | Path, log: Path) -> None:
        self.processes.append((spawn(module, *args, log=log), log))

    def _ready(self) -> bool:
        for process, log in self.processes:
            if process.poll() is not None:
                raise AssertionError(f"{log.name} ended early:\n{log.read_text()[-3000:]}")
        runners = (self.directory / f"{c}-runner.log" for c in self.centers)
        if not all("connected to" in log.read_text() for log in runners):
            return False
        links = [c.watcher.link for c in self.centers.values() if c.watcher]
        if self._controls is None or not self._controls.link.connected.is_set():
            return False
        if not all(link.connected.is_set() for link in links):
            return False
        return self._robots_seen() and Instructor(self.url, "", "").answers()

    def _robots_seen(self) -> bool:
        """Every robot's status has reached central's table: every bridge is up."""
        db = open_database(self.db_path)
        try:
            rows = db.execute("SELECT center, device FROM devices WHERE kind = 'robot'")
            seen = set(map(tuple, rows.fetchall()))
        finally:
            db.close()
        return all((c, r) in seen for c in self.centers for r in self.robots)

    def _stop(self) -> None:
        for kiosk in self._kiosks:
            kiosk.close()
        for center in self.centers.values():
            if center.watcher:
                center.watcher.link.stop()
        if self._controls:
            self._controls.stop()
        for process, _ in self.processes:  # all asked at once, then each waited for
            if process.poll() is None:
                process.terminate()
        for process, _ in self.processes:
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for center in self.centers.values():
            center.site.broker.stop()
            if center.link:
                center.link.close()
        if self._central:
            self._central.broker.stop()

    def instructor(self, username: str = "kim") -> Instructor:
        """A browser signed in to the dashboard as `username`."""
        signed_in = Instructor(self.url, username, PASSWORD)
        signed_in.sign_in()
        return signed_in

    def kiosk(
        self, center: str, kiosk_id: str, on_update: Callable[[ClassUpdate], None] | None = None
    ) -> ClassClient:
        """A kiosk in class mode on the center's site broker, with a login of its own,
        connected (not yet in a class); closed with the city."""
        login = self.centers[center].site.login("kiosk", kiosk_id)
        client = ClassClient(login, center, kiosk_id, on_update or (lambda _update: None))
        self._kiosks.append(client.start())
        self.wait_for(client.link.connected.is_set, f"kiosk {kiosk_id} on {center}'s broker")
        return client

    def schedule(self, center: str, draft: ClassDraft) -> str:
        """Put a class on the center's schedule at central; its id."""
        db = open_database(self.db_path)
        try:
            class_id = save_class(db, center, draft)
        finally:
            db.close()
        assert isinstance(class_id, str), f"the class clashes: {class_id}"
        return class_id

    def control(self, center: str, class_id: str, control: ClassControl) -> None:
        """Publish a class control at central as the dashboard does (its `ControlLink`, with
        intake's login): the center's bridge carries it to the center's runner."""
        assert self._controls, "the city is not running"
        outcome = self._controls.send(center, class_id, control)
        assert outcome is Outcome.SENT, f"central's broker did not take the control: {outcome}"

    def state(self, center: str, class_id: str) -> ClassState | None:
        """The class's state as central last heard it from the center."""
        db = open_database(self.db_path)
        try:
            kept = class_state(db, center, class_id)
        finally:
            db.close()
        return kept.state if kept else None

    def site_state(self, center: str, class_id: str) -> ClassState | None:
        """The class's state as the center's runner last published it on its own broker."""
        watcher = self.centers[center].watcher
        assert watcher, "the city is not running"
        return watcher.state(center, class_id)

    def cut(self, center: str) -> None:
        """Cut the center's bridge to central (its connection dropped, new ones refused)."""
        self._link(center).cut()

    def restore(self, center: str) -> None:
        self._link(center).restore()

    def _link(self, center: str) -> CuttableLink:
        link = self.centers[center].link
        assert link, "a city made with cuttable=True can cut a center's bridge"
        return link

    def wait_for(
        self, condition: Callable[[], bool], what: str, timeout: float = ARRIVE_SECONDS
    ) -> None:
        waiting.wait_for(condition, timeout, what)
