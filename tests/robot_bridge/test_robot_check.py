"""The conformance kit against a real broker: our simulated robot passes every check, and a
careless robot written with plain paho fails exactly where it breaks the protocol."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from robot_bridge.protocol import topics
from robot_bridge.robots import robot_check_cli
from tests.mosquitto import Broker
from tests.robot_bridge.classroom import CENTER
from tests.robot_bridge.probe import Probe


def run_kit(broker: Broker, robot: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = robot_check_cli.main(
        ["--broker", broker.address, "--center", CENTER, "--robot", robot]
    )
    return status, capsys.readouterr().out


def test_the_simulated_robot_passes_every_check(
    site_broker: Broker, capsys: pytest.CaptureFixture[str]
) -> None:
    command = [sys.executable, "-m", "robot_bridge.robots.robot_sim_cli", "--broker"]
    command += [site_broker.address, "--center", CENTER, "--robot", "good", "--speed", "1"]
    robot = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # speaks in real time
    try:
        probe = Probe(site_broker, topics.robot_status(CENTER, "good"))
        probe.wait_for(topics.robot_status(CENTER, "good"), lambda s: s.get("state") == "online")
        probe.close()
        started = time.monotonic()
        status, out = run_kit(site_broker, "good", capsys)
        print(f"\nconformance kit against the simulated robot: {time.monotonic() - started:.1f} s")
    finally:
        robot.terminate()
        robot.wait(10)
    assert status == 0, out
    assert "FAIL" not in out and "12 of 12 checks passed" in out


class CarelessRobot:
    """Answers every command accepted/started/done at once: no at-most-once, no deadlines,
    no argument checks, ignores emergency stops, no retained status."""

    def __init__(self, broker: Broker, robot: str) -> None:
        self.robot = robot
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"careless-{robot}")
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()

    def _on_connect(self, client: mqtt.Client, *_: Any) -> None:
        client.subscribe(topics.robot_cmd(CENTER, self.robot), qos=1)
        status = {"v": 1, "state": "online", "capabilities": ["say"]}
        client.publish(topics.robot_status(CENTER, self.robot), json.dumps(status), qos=1)

    def _on_message(self, client: mqtt.Client, _u: Any, message: mqtt.MQTTMessage) -> None:
        try:
            command_id = json.loads(message.payload).get("id")
        except ValueError:
            return
        for event in ("accepted", "started", "done"):
            body = {"v": 1, "id": command_id, "event": event, "at": time.time()}
            client.publish(topics.robot_events(CENTER, self.robot), json.dumps(body), qos=1)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def careless(site_broker: Broker) -> Iterator[CarelessRobot]:
    robot = CarelessRobot(site_broker, "careless")
    time.sleep(0.3)
    yield robot
    robot.close()


def test_a_careless_robot_fails_where_it_breaks_the_protocol(
    site_broker: Broker, careless: CarelessRobot, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run_kit(site_broker, "careless", capsys)
    assert status == 1
    failed = {
        line.split(":")[0].removeprefix("FAIL  ")
        for line in out.splitlines()
        if line.startswith("FAIL")
    }
    assert failed == {
        "status",  # not retained
        "at most once",
        "deadline",
        "unknown action is rejected 'unknown_action'",
        "marks out of order are rejected 'bad_arguments'",
        "unreadable command is answered 'rejected' 'bad_message' with id null",
        "a command with v ≠ 1 is rejected 'bad_message'",
        "emergency stop",
    }, out
