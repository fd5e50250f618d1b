"""Console click → the robots of every center start the line (issue #16, "Tests and
numbers"), for a class across 1, 10 and 20 centers, as a ratio to one MQTT round trip
through the same bridges, in the same run.

Every part is a real process (tests/deploy/class_city.py): central's Mosquitto (TLS, ACL)
and dashboard, and per center a site Mosquitto bridged to central by the real
site-bridge.conf, a class runner and a simulated robot. A phone-call class is started at
every center from the dashboard and reaches its first practice step, where it waits (no
kiosk comes). Then the instructor presses 다시 듣기 (`repeat`; on a class across centers it
goes out as one `goto` of the lead's step, one control per center) and the bench times,
from just before the HTTP POST, the arrival of each center's robot `say` command on that
center's broker: a `mosquitto_sub` per center with the observer login, subscribed to
`robots/+/cmd`, stamping each arrival itself (`%U`); one machine, one clock. (Stamped in
this process instead, 100 messages a click at 20 centers queued behind its own threads and
made the last arrivals look 10–25 ms later than they were.)

The floor: a class control for a class no runner runs (`…/classes/floor/control`; the
runners log it and carry on), published at central with intake's login; the bridge carries
it down, an echo process on the site broker (an observer to read it, a kiosk login `echo`
to answer) answers on `…/sync/echo/status`, which the bridge carries up to central, where
this process receives it. One center at a time (the reference every ratio is to) and all N
at once. Samples of the click and of both floors alternate, so load weighs on all alike.

Run: .venv/bin/python bench/console_fanout.py [--sizes 1,10,20] [--samples 40] [--json F]
The echo (started by the bench): bench/fanout_echo.py LOGINS.json
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fanout_echo import ECHO, FLOOR_CLASS, echo_process, observer

from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.class_messages import ClassControl, ClassStatus, ControlAction
from robot_bridge.protocol.robot_messages import Command, EventKind, RobotEvent
from robot_bridge.protocol.wire import ProtocolError, decode
from tests.deploy.class_city import ClassCity
from tests.deploy.instructor import HTTP_SECONDS

SIZES = (1, 10, 20)
SAMPLES = 40  # of each kind, per city size
WARMUP = 3  # rounds first, not counted: connections, caches and the dashboard warm up
LESSON = "phone-call"
PRACTICE = 2  # phone-call: two narration steps, then a practice waiting for kiosks
PRACTICE_SECONDS = 3600.0  # no practice runs out while the bench runs: the class stays
SAMPLE_SECONDS = 15.0  # a sample not complete by then is counted as missed
GAP_SECONDS = 0.15  # between samples (plus up to as much again at random): states settle
START_SECONDS = 60.0  # a class started at 20 centers, at its practice step everywhere
# The floors: measure → (QoS of the control on its way down, every center at once). Down at
# QoS 1 the bridge answers central with a PUBACK just before the echo goes up the same
# connection; Mosquitto 2.0 does not turn Nagle's algorithm off on a bridge's own socket
# (`set_tcp_nodelay` covers the sockets it accepts), so the echo waits for central's delayed
# ACK, ~40 ms. At QoS 0 nothing is waiting: that is the round trip of the wire and brokers.
FLOORS = {"floor": (0, False), "floor_qos1": (1, False), "floor_all": (0, True)}

log = logging.getLogger("console_fanout")
Handler = Callable[[str, bytes, float], None]  # topic, payload, when it arrived (Unix time)


class Arrivals:
    """When each center's message of the current sample arrived (Unix time, as the
    listeners stamped it), written by their reader threads, read once a sample is complete."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.class_id = ""
        self.tag = ""
        self.say: dict[str, float] = {}
        self.done: dict[str, float] = {}
        self.control: dict[str, float] = {}  # the measured class's control at central
        self.echo: dict[str, float] = {}
        self._say_ids: dict[str, str] = {}

    def begin(self, tag: str) -> None:
        with self._changed:
            self.tag = tag
            for kept in (self.say, self.done, self.control, self.echo, self._say_ids):
                kept.clear()

    def wait(self, kept: dict[str, float], count: int) -> bool:
        """Whether `count` centers are in `kept` within SAMPLE_SECONDS."""
        with self._changed:
            return self._changed.wait_for(lambda: len(kept) >= count, SAMPLE_SECONDS)

    def _note(self, kept: dict[str, float], center: str, at: float) -> None:
        with self._changed:
            if center not in kept:
                kept[center] = at
                self._changed.notify_all()

    def on_site(self, center: str) -> Handler:
        """The handler of a center's site broker: its robot's `say` and that say's `done`."""

        def handle(topic: str, payload: bytes, at: float) -> None:
            kind = topics.parse_topic(topic).kind
            if kind is topics.Kind.ROBOT_CMD:
                command = decode(Command, payload)
                if command.action == "say" and command.class_id == self.class_id:
                    self._say_ids.setdefault(center, command.id)
                    self._note(self.say, center, at)
            elif kind is topics.Kind.ROBOT_EVENTS:
                event = decode(RobotEvent, payload)
                if event.event is EventKind.DONE and event.id == self._say_ids.get(center):
                    self._note(self.done, center, at)

        return handle

    def on_central(self, topic: str, payload: bytes, at: float) -> None:
        """Central's broker: the measured class's controls going out, the echoes coming in."""
        parsed = topics.parse_topic(topic)
        echo = parsed.kind is topics.Kind.SYNC_STATUS and parsed.kiosk == ECHO
        if parsed.kind is topics.Kind.CLASS_CONTROL and parsed.class_id == self.class_id:
            self._note(self.control, parsed.center, at)
        elif echo and json.loads(payload).get(ECHO) == self.tag:  # not a late sample's
            self._note(self.echo, parsed.center, at)


@dataclass
class Results:
    """Milliseconds, per measure, for one city size."""

    centers: int
    ms: dict[str, list[float]] = field(default_factory=dict)
    missed: dict[str, int] = field(default_factory=dict)

    def add(self, measure: str, *values: float) -> None:
        self.ms.setdefault(measure, []).extend(v * 1000 for v in values)

    def miss(self, measure: str) -> None:
        self.missed[measure] = self.missed.get(measure, 0) + 1


class Console:
    """The instructor's side: the class started from the dashboard, then 다시 듣기 pressed."""

    def __init__(self, city: ClassCity, centers: list[str]) -> None:
        self.city, self.centers = city, centers
        self.kim = city.instructor("kim")
        self.token = self.kim.token("/")  # one per session, on every form
        self.class_id, self.control = self._start()

    def _start(self) -> tuple[str, str]:
        """A class at every center (one center: its own console's start), its console."""
        form = [("csrf_token", self.token), ("lesson", LESSON), ("lang", "ko")]
        if len(self.centers) == 1:
            center = self.centers[0]
            landed = self.submit(f"/centers/{center}/classes", [*form, ("robot", "r1")])
        else:
            landed = self.submit("/classes", [*form, *(("center", c) for c in self.centers)])
        path = urllib.parse.urlsplit(landed).path
        return path.rsplit("/", 1)[-1], f"{path}/control"

    def submit(self, path: str, form: list[tuple[str, str]]) -> str:
        """Post a form as the browser does (the redirect followed); where it landed."""
        body = urllib.parse.urlencode(form).encode()
        with self.kim.opener.open(self.kim.url + path, body, timeout=HTTP_SECONDS) as answer:
            answer.read()
            return str(answer.geturl())

    def press_repeat(self) -> None:
        self.submit(self.control, [("csrf_token", self.token), ("action", "repeat")])

    def at_practice(self) -> bool:
        """Every center's class at the practice step, as its broker and central know it."""
        for center in self.centers:
            for state in (
                self.city.site_state(center, self.class_id),
                self.city.state(center, self.class_id),
            ):
                if state is None or state.status is not ClassStatus.RUNNING:
                    return False
                if state.step_index != PRACTICE:
                    return False
        return True


def measure_click(console: Console, arrivals: Arrivals, results: Results | None) -> None:
    """One press: when each center's robot got its line, and the control left central."""
    n = len(console.centers)
    arrivals.begin("click")
    start = time.time()
    console.press_repeat()
    answered = time.time()
    complete = arrivals.wait(arrivals.say, n) and arrivals.wait(arrivals.done, n)
    if results is None:
        return
    if not complete:
        log.warning("click: %d of %d centers' robots got the line", len(arrivals.say), n)
        results.miss("click")
        return
    results.add("all", max(arrivals.say.values()) - start)
    results.add("center", *(at - start for at in arrivals.say.values()))
    results.add("central_first", min(arrivals.control.values(), default=start) - start)
    results.add("central", max(arrivals.control.values(), default=start) - start)
    results.add("http", answered - start)


def measure_floor(
    link: MqttLink, centers: list[str], arrivals: Arrivals, measure: str, kept: Results | None
) -> None:
    """Round trips through `centers`' bridges, all published at once; the last one back."""
    qos, _ = FLOORS[measure]
    tag = f"{measure}-{time.time_ns()}"
    arrivals.begin(tag)
    control = ClassControl(action=ControlAction.PAUSE, by=tag).encode()
    start = time.time()
    for center in centers:
        link.publish(ClassControl.topic(center, FLOOR_CLASS), control, qos=qos)
    complete = arrivals.wait(arrivals.echo, len(centers))
    if kept is None:
        return
    if not complete:
        log.warning("%s: %d of %d echoes came back", measure, len(arrivals.echo), len(centers))
        kept.miss(measure)
        return
    kept.add(measure, max(arrivals.echo.values()) - start)


def run_size(directory: Path, n: int, samples: int) -> Results:
    """A city of `n` centers, its class, and the samples, interleaved."""
    centers = [(f"center-{i:02d}", f"경로당 {i}") for i in range(1, n + 1)]
    ids = [c for c, _ in centers]
    results = Results(n)
    begun = time.monotonic()
    with ClassCity(directory, centers, practice_seconds=PRACTICE_SECONDS) as city:
        print(f"  {n} centers up in {time.monotonic() - begun:.0f} s", flush=True)
        arrivals = Arrivals()
        links = bench_links(city, arrivals, directory)
        with links as central, echo_process(city, directory):
            console = Console(city, ids)
            arrivals.class_id = console.class_id
            city.wait_for(console.at_practice, "the class at its practice step", START_SECONDS)
            time.sleep(1.0)  # the practice step's own line said
            for round_no in range(WARMUP + samples):
                kept = results if round_no >= WARMUP else None
                kinds = [partial(measure_click, console, arrivals, kept)]
                for measure, (_, every) in FLOORS.items():
                    targets = ids if every else [ids[round_no % n]]
                    if len(targets) == 1 and every:
                        continue  # one center: the floor above
                    kinds.append(partial(measure_floor, central, targets, arrivals, measure, kept))
                turn = round_no % len(kinds)
                for sample in kinds[turn:] + kinds[:turn]:
                    sample()
                    time.sleep(GAP_SECONDS * (1 + random.random()))
    return results


@contextmanager
def bench_links(city: ClassCity, arrivals: Arrivals, directory: Path) -> Iterator[MqttLink]:
    """What the bench hears, through `mosquitto_sub` (its own processes, written in C: each
    arrival stamped as it comes, never queued behind this process's threads): at central
    with intake's login, on every site broker with the observer's. Yields a link at central
    that publishes the floor's controls."""
    central = city.central.intake_address
    heard = [topics.every_center(k) for k in (topics.Kind.CLASS_CONTROL, topics.Kind.SYNC_STATUS)]
    listeners = [Listener(central, directory / "listen-central", arrivals.on_central, heard)]
    for center in city.centers.values():
        watched = [
            topics.every_device(center.id, topics.Kind.ROBOT_CMD),
            topics.every_device(center.id, topics.Kind.ROBOT_EVENTS),
        ]
        handle = arrivals.on_site(center.id)
        login = observer(city, center.id)
        listeners.append(Listener(login, directory / f"listen-{center.id}", handle, watched))
    publisher = MqttLink(central, "bench-fanout", [])
    publisher.start()
    try:
        city.wait_for(publisher.connected.is_set, "the bench's link at central")
        yield publisher
    finally:
        publisher.stop()
        for listener in listeners:
            listener.stop()


class Listener:
    """`mosquitto_sub` on a broker, each message handed to `handle` with the time it
    arrived (`%U`, the Unix time with nanoseconds). Its login goes into the options file
    mosquitto_sub reads ($XDG_CONFIG_HOME/mosquitto_sub), not onto its command line."""

    def __init__(
        self, broker: BrokerAddress, home: Path, handle: Handler, subscriptions: list[str]
    ) -> None:
        home.mkdir()
        options = home / "mosquitto_sub"
        options.write_text(f"-u {broker.username}\n-P {broker.password}\n")
        options.chmod(0o600)
        topics_args = [arg for topic in subscriptions for arg in ("-t", topic)]
        self.process = subprocess.Popen(
            ["mosquitto_sub", "-h", broker.host, "-p", str(broker.port), "-q", "1",
             "-F", "%U %t %p", *topics_args],
            stdout=subprocess.PIPE, env={**os.environ, "XDG_CONFIG_HOME": str(home)},
        )  # fmt: skip
        self.handle = handle
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            at, topic, payload = line.rstrip(b"\n").split(b" ", 2)
            try:
                self.handle(topic.decode(), payload, float(at))
            except (ValueError, ProtocolError, topics.TopicError) as exc:
                log.warning("ignored a message on %s: %s", topic[:200], exc)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        self.thread.join(1)


def percentile(samples: list[float], p: float) -> float:
    """Nearest rank: of 40 samples, p99 is the largest."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


MEASURES = {
    "all": "click → every center's robot has the line",
    "center": "click → a center's robot has the line",
    "central_first": "click → first control at central's broker",
    "central": "click → last control at central's broker",
    "http": "click → the console page back",
    "floor": "floor: 1 round trip central ↔ a center",
    "floor_qos1": "the same, down at QoS 1 (Nagle on the bridge)",
    "floor_all": "floor: N round trips at once, last back",
}


def summary(results: Results) -> dict[str, dict[str, float]]:
    floor = statistics.median(results.ms["floor"])
    found = {}
    for measure, values in results.ms.items():
        median, p99 = statistics.median(values), percentile(values, 0.99)
        found[measure] = {
            "n": len(values),
            "median_ms": round(median, 1),
            "p99_ms": round(p99, 1),
            "median_x_floor": round(median / floor, 2),
            "p99_x_floor": round(p99 / floor, 2),
        }
    return found


def print_table(results: Results) -> None:
    print(
        f"\n{results.centers} center(s)" + (f", missed {results.missed}" if results.missed else "")
    )
    print(f"  {'':44} {'n':>4} {'median ms':>10} {'p99 ms':>8} {'×floor':>7} {'p99×floor':>9}")
    found = summary(results)
    for measure, words in MEASURES.items():
        if measure in found:
            row = found[measure]
            print(
                f"  {words:44} {row['n']:>4} {row['median_ms']:>10.1f} {row['p99_ms']:>8.1f}"
                f" {row['median_x_floor']:>7.2f} {row['p99_x_floor']:>9.2f}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="centers per city")
    parser.add_argument("--samples", type=int, default=SAMPLES)
    parser.add_argument("--json", type=Path, help="write the summary here too")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    found = {}
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"{n} centers: starting the city", flush=True)
        with tempfile.TemporaryDirectory(prefix="console-fanout-") as directory:
            results = run_size(Path(directory), n, args.samples)
        print_table(results)
        found[str(n)] = {"missed": results.missed, **summary(results)}
    if args.json:
        args.json.write_text(json.dumps(found, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
