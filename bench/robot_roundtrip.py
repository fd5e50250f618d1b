"""Robot command round trip: runner → robot agent → `done` for a zero-length action, against
the raw floor of the same broker in the same run; and emergency-stop latency.

Starts its own Mosquitto on a free port. Run: `.venv/bin/python bench/robot_roundtrip.py`.
Target (DESIGN.md): round trip ≤ 2 × a raw paho publish→receive round trip.
"""

from __future__ import annotations

import logging
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.incoming import Incoming, parse
from robot_bridge.protocol.robot_messages import Command, EmergencyStop, RobotEvent
from robot_bridge.robots import robot_sim
from robot_bridge.robots.robot_agent import RobotAgent
from robot_bridge.robots.robot_sim import SimulatedRobot
from tests.mosquitto import Broker, free_port

ROUNDS = 2000  # per kind of round trip, in BLOCKS alternating blocks (plus a warm-up block)
BLOCKS = 10
STOPS = 30
CENTER, ROBOT = "bench", "r1"


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def raw_client(broker: Broker, name: str) -> mqtt.Client:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=name)
    client.on_socket_open = lambda _c, _u, sock: sock.setsockopt(6, 1, 1)  # TCP_NODELAY
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    return client


class Floor:
    """Raw paho: A publishes, B echoes, A receives — the path a command and its answer take.
    B runs in this process, or (`echo_process`) in a process of its own, as a robot would."""

    def __init__(self, broker: Broker, echo_process: bool) -> None:
        self.a = raw_client(broker, "floor-a")
        self.echo: subprocess.Popen[bytes] | None = None
        if echo_process:
            self.echo = subprocess.Popen([sys.executable, __file__, "--echo", str(broker.port)])
        else:
            self.b = raw_client(broker, "floor-b")
            echo_on(self.b)
        self.got = threading.Event()
        self.a.on_message = lambda _c, _u, _m: self.got.set()
        subscribe(self.a, "floor/back")
        self._wait_for_echo()

    def _wait_for_echo(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            self.got.clear()
            self.send()
            if self.got.wait(0.2):
                return
        raise RuntimeError("the echo never answered")

    def send(self) -> None:
        self.a.publish("floor/out", b'{"v":1}', qos=1)

    def close(self) -> None:
        self.a.disconnect()
        self.a.loop_stop()
        if self.echo:
            self.echo.terminate()
            self.echo.wait()
        else:
            self.b.disconnect()
            self.b.loop_stop()


def subscribe(client: mqtt.Client, topic: str) -> None:
    subscribed = threading.Event()
    client.on_subscribe = lambda *_: subscribed.set()
    client.subscribe(topic, qos=1)
    subscribed.wait(5)


def echo_on(client: mqtt.Client) -> None:
    client.on_message = lambda c, _u, m: c.publish("floor/back", m.payload, qos=1)
    subscribe(client, "floor/out")


def serve_echo(port: int) -> None:
    """The floor's far end in a process of its own (`--echo PORT`)."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="floor-b")
    client.on_socket_open = lambda _c, _u, sock: sock.setsockopt(6, 1, 1)  # TCP_NODELAY
    client.connect("127.0.0.1", port)
    client.loop_start()
    echo_on(client)
    signal.sigwait({signal.SIGTERM})


def timed(send: Callable[[], object], got: threading.Event, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        got.clear()
        start = time.perf_counter()
        send()
        if not got.wait(5):
            raise RuntimeError("a round trip got lost")
        samples.append(time.perf_counter() - start)
    return samples


def interleaved(floor: Floor, runner: Runner) -> tuple[list[float], list[float]]:
    """Both round trips in alternating blocks, so that noise from the rest of the machine
    falls on both alike; the first block of each is a warm-up."""
    counter = iter(range(10**9))
    raw: list[float] = []
    ours: list[float] = []
    for block in range(BLOCKS + 1):
        a = timed(floor.send, floor.got, ROUNDS // BLOCKS)
        b = timed(
            lambda: runner.command(next(counter), "display", {"text": ""}),
            runner.done,
            ROUNDS // BLOCKS,
        )
        if block:
            raw += a
            ours += b
    return raw, ours


class Runner:
    """The runner's side: the same MqttLink and parser the class runner uses."""

    def __init__(self, broker: Broker) -> None:
        self.done = threading.Event()
        self.stopped = threading.Event()
        self.waiting_for = ""
        self.link = MqttLink(
            BrokerAddress.parse(broker.address),
            "bench-runner",
            [(topics.robot_events(CENTER, ROBOT), 1)],
        )
        self.link.start()
        self.link.connected.wait(5)
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            topic, payload = self.link.inbox.get()
            parsed = parse(topic, payload)
            if isinstance(parsed, Incoming) and isinstance(parsed.message, RobotEvent):
                event = parsed.message
                if event.id == self.waiting_for and event.event == "done":
                    self.done.set()
                elif event.event == "stopped":
                    self.stopped.set()

    def wait_for_robot(self) -> None:
        """Until the robot answers (a process needs a moment to start and connect)."""
        deadline = time.monotonic() + 20
        n = -1
        while time.monotonic() < deadline:
            self.done.clear()
            self.command(n, "display", {"text": ""})
            if self.done.wait(0.2):
                return
            n -= 1
        raise RuntimeError("the robot never answered")

    def command(self, n: int, action: str, args: dict[str, object]) -> None:
        self.waiting_for = f"b-{n}"
        command = Command(id=self.waiting_for, action=action, args=args, deadline=time.time() + 5)
        self.link.publish(Command.topic(CENTER, ROBOT), command.encode())


def stop_latencies(runner: Runner) -> list[float]:
    samples = []
    for n in range(STOPS):
        runner.command(10**6 + n, "say", {"text": "가" * 300})  # ~46 s of speech
        time.sleep(0.05)
        runner.stopped.clear()
        start = time.perf_counter()
        stop = EmergencyStop(id=f"stop-{n}", reason="bench")
        runner.link.publish(EmergencyStop.topic(CENTER, ROBOT), stop.encode())
        runner.stopped.wait(5)
        samples.append(time.perf_counter() - start)
    return samples


def report(name: str, samples: list[float]) -> tuple[float, float]:
    median, p99 = statistics.median(samples), percentile(samples, 0.99)
    print(f"{name:<42} median {median * 1000:7.3f} ms   p99 {p99 * 1000:7.3f} ms")
    return median, p99


def quiet() -> None:
    """The agent logs each emergency stop as a warning; here that is 30 lines of noise."""
    logging.getLogger("robot_bridge").setLevel(logging.ERROR)


def far_robot(broker: Broker, own_process: bool) -> Callable[[], None]:
    """A simulated robot acting instantly, here or in its own process; returns its closer."""
    if own_process:
        command = [
            sys.executable,
            "-m",
            "robot_bridge.robots.robot_sim_cli",
            "--broker",
            broker.address,
            "--center",
            CENTER,
            "--robot",
            ROBOT,
            "--speed",
            "0",
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        return lambda: (process.terminate(), process.wait())[-1]
    adapter = SimulatedRobot(ROBOT, out=lambda _: None)
    agent = RobotAgent(adapter, BrokerAddress.parse(broker.address), CENTER, ROBOT)
    agent.start().link.connected.wait(5)
    return agent.close


def round_trips(broker: Broker, own_process: bool) -> None:
    where = "its own process" if own_process else "this process"
    print(f"-- the far end (echo, robot) in {where}")
    robot_sim.SPEED = 0.0
    close_robot = far_robot(broker, own_process)
    runner, floor = Runner(broker), Floor(broker, own_process)
    runner.wait_for_robot()
    raw, ours = interleaved(floor, runner)
    base = report("raw paho publish → echo → receive", raw)
    measured = report("runner → robot agent → done (0-length)", ours)
    print(
        f"{'ratio to the raw floor':<42} median {measured[0] / base[0]:7.2f} ×"
        f"      p99 {measured[1] / base[1]:7.2f} ×   (target ≤ 2 ×)"
    )
    if not own_process:
        robot_sim.SPEED = 1.0
        report("emergency stop → `stopped` event", stop_latencies(runner))
    close_robot()
    floor.close()
    runner.link.stop()


def main() -> None:
    if sys.argv[1:2] == ["--echo"]:
        serve_echo(int(sys.argv[2]))
        return
    quiet()
    with tempfile.TemporaryDirectory() as directory:
        port = free_port()
        config = f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        broker = Broker(Path(directory), config=config + "set_tcp_nodelay true\n", port=port)
        broker.start()
        try:
            round_trips(broker, own_process=True)
            round_trips(broker, own_process=False)
        finally:
            broker.stop()


if __name__ == "__main__":
    main()
