"""docs/protocol.md stays true: its JSON examples parse, and its walkthrough, run as written
against a real broker, plays a robot the class runner understands."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from robot_bridge.link.mqtt_link import BrokerAddress
from robot_bridge.protocol.incoming import MODELS, Incoming, parse
from robot_bridge.protocol.robot_messages import RobotEvent, RobotStatus
from robot_bridge.protocol.topics import Kind
from robot_bridge.robots import robot_sim
from robot_bridge.robots.robot_agent import RobotAgent
from robot_bridge.robots.robot_sim import SimulatedRobot
from tests.mosquitto import Broker
from tests.robot_bridge.probe import Probe

DOC = Path(__file__).parents[2] / "docs" / "protocol.md"
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
SUBSCRIBED_SECONDS = 0.5  # mosquitto_sub prints nothing when ready; it takes ~50 ms
BASE = "sarangbang/v1/centers/demo/robots/liku-1"


def blocks(language: str) -> list[tuple[str, str]]:
    """(info after the language, body) of each fenced block in `language`."""
    text = DOC.read_text()
    return [(m[2].strip(), m[3]) for m in BLOCK.finditer(text) if m[1] == language]


def for_broker(command: str, broker: Broker) -> str:
    return command.replace("-h localhost -p 1883", f"-h 127.0.0.1 -p {broker.port}")


def test_every_json_example_is_a_valid_message_on_its_topic() -> None:
    examples = blocks("json")
    assert len(examples) >= 10
    kinds = set()
    for topic, body in examples:
        parsed = parse(topic, body.strip().encode())
        assert isinstance(parsed, Incoming), f"{topic}: {parsed}"
        kinds.add(parsed.topic.kind)
    # every robot/class message (the center-wide stop stands for both stops); the sync
    # messages are documented in docs/sync.md and checked by tests/robot_bridge/test_sync_*
    assert kinds >= set(MODELS) - {Kind.ROBOT_ESTOP}


def test_the_doc_names_every_topic_and_reason() -> None:
    text = DOC.read_text()
    for needle in ("robots/{robot}/cmd", "robots/estop", "classes/{class}/state", "schedule"):
        assert needle in text
    for reason in ("unknown_action", "bad_arguments", "busy", "expired", "bad_message"):
        assert f"`{reason}`" in text


def test_the_walkthrough_plays_a_robot_with_only_the_mosquitto_tools(
    site_broker: Broker, tmp_path: Path
) -> None:
    background: dict[str, tuple[subprocess.Popen[bytes], Path]] = {}
    try:
        for info, body in blocks("sh"):
            if "walkthrough" not in info:
                continue
            command = for_broker(body, site_broker)
            name = re.search(r"background=(\w+)", info)
            if name:
                log = tmp_path / f"{name[1]}.log"
                with log.open("wb") as out:
                    process = subprocess.Popen(
                        ["bash", "-c", command], stdout=out, start_new_session=True
                    )
                background[name[1]] = (process, log)
                time.sleep(SUBSCRIBED_SECONDS)
            else:
                subprocess.run(["bash", "-c", command], check=True, timeout=10)
        ears, ears_log = background["ears"]
        os.killpg(ears.pid, signal.SIGKILL)  # the robot vanishes: its last will is published
        time.sleep(SUBSCRIBED_SECONDS)
        heard = read_messages(ears_log)
        said = read_messages(background["runner"][1])
    finally:
        for process, _ in background.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(5)
    assert [type(m).__name__ for m in heard] == ["Command", "EmergencyStop"]
    events = [(m.id, m.event, m.reason, m.duplicate) for m in said if isinstance(m, RobotEvent)]
    assert events == [
        ("c-1", "accepted", None, None),
        ("c-1", "started", None, None),
        ("c-1", "done", None, None),
        ("c-1", "accepted", None, True),
        ("c-1", "done", None, True),
        ("c-2", "rejected", "unknown_action", None),
        ("stop-1", "stopped", None, None),
    ]
    statuses = [m.state for m in said if isinstance(m, RobotStatus)]
    assert statuses == ["online", "offline"]  # the last will arrived


def read_messages(log: Path) -> list[object]:
    """Each `topic payload` line that mosquitto_sub -v printed, parsed as a message."""
    messages = []
    for line in log.read_text().splitlines():
        topic, _, payload = line.partition(" ")
        parsed = parse(topic, payload.encode())
        assert isinstance(parsed, Incoming), f"{line}: {parsed}"
        messages.append(parsed.message)
    return messages


@pytest.fixture
def agent(site_broker: Broker) -> Iterator[RobotAgent]:
    adapter = SimulatedRobot("liku-1", out=lambda _: None)
    robot = RobotAgent(adapter, BrokerAddress.parse(site_broker.address), "demo", "liku-1")
    yield robot.start()
    robot.close()


def test_the_agent_library_answers_the_walkthrough_command_as_the_doc_does(
    site_broker: Broker, agent: RobotAgent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(robot_sim, "SPEED", 1.0)  # the line takes its time: `started` is said
    probe = Probe(site_broker, f"{BASE}/events", f"{BASE}/status")
    try:
        probe.wait_for(f"{BASE}/status", lambda s: s["state"] == "online")
        [send] = [b for info, b in blocks("sh") if info == "walkthrough" and f"{BASE}/cmd" in b]
        for _ in range(2):  # the second time is a repeat of the same id
            subprocess.run(["bash", "-c", for_broker(send, site_broker)], check=True, timeout=10)
            probe.wait_for(f"{BASE}/events", lambda e: e["event"] == "done", timeout=10)
        probe.wait_for(f"{BASE}/events", lambda e: e.get("duplicate") and e["event"] == "done")
        answered = [(e["event"], e.get("duplicate")) for e in probe.on(f"{BASE}/events")]
        assert answered == [  # protocol 1.2: begun at once, so `started` says `accepted` too
            ("started", None),
            ("done", None),
            ("accepted", True),
            ("done", True),
        ]
    finally:
        probe.close()
