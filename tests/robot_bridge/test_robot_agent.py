from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from robot_bridge.link.mqtt_link import BrokerAddress
from robot_bridge.protocol import topics
from robot_bridge.robots import robot_agent, robot_sim
from robot_bridge.robots.robot_agent import RobotAgent
from robot_bridge.robots.robot_sim import SimulatedRobot
from tests.mosquitto import Broker
from tests.robot_bridge.probe import Probe

C, R = "c1", "r1"
CMD, EVENTS, STATUS = topics.robot_cmd(C, R), topics.robot_events(C, R), topics.robot_status(C, R)


def start_robot(broker: Broker, robot: str = R, out: list[str] | None = None) -> RobotAgent:
    lines = out if out is not None else []
    adapter = SimulatedRobot(robot, out=lines.append)
    return RobotAgent(adapter, BrokerAddress.parse(broker.address), C, robot).start()


@pytest.fixture
def probe(site_broker: Broker) -> Iterator[Probe]:
    p = Probe(site_broker, EVENTS, STATUS)
    yield p
    p.close()


@pytest.fixture
def robot(site_broker: Broker, probe: Probe) -> Iterator[RobotAgent]:
    agent = start_robot(site_broker)
    probe.wait_for(STATUS, lambda s: s["state"] == "online")
    yield agent
    agent.close()


def say(id: str, text: str = "안녕하세요", deadline: float | None = None) -> dict[str, object]:
    args = {"text": text, "marks": [{"at": 0, "gesture": "bow"}]}
    when = deadline if deadline is not None else time.time() + 10
    return {"v": 1, "id": id, "action": "say", "args": args, "deadline": when}


def events_of(probe: Probe, id: str) -> list[str]:
    return [e["event"] for e in probe.on(EVENTS) if e.get("id") == id]


def test_status_is_retained_with_capabilities(robot: RobotAgent, probe: Probe) -> None:
    status = probe.wait_for(STATUS, lambda s: s["state"] == "online")
    assert "say" in status["capabilities"] and "gesture:bow" in status["capabilities"]
    assert status["model"] and status["battery"] == robot_sim.BATTERY_PERCENT


def test_a_command_is_answered_as_briefly_as_protocol_1_2_allows(
    robot: RobotAgent, probe: Probe, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line begun at once: `started`, `done`; one that waits behind it: `accepted` first;
    an act over within BRIEF_SECONDS (an empty display): `done` alone."""
    monkeypatch.setattr(robot_sim, "SPEED", 0.2)  # each line lasts ~0.2 s: longer than brief
    probe.publish(CMD, say("c-1"))
    probe.publish(CMD, say("c-2"))
    probe.wait_for(EVENTS, lambda e: e["id"] == "c-2" and e["event"] == "done")
    assert events_of(probe, "c-1") == ["started", "done"]
    assert events_of(probe, "c-2") == ["accepted", "started", "done"]
    display = {"v": 1, "id": "c-3", "action": "display", "args": {"text": ""}}
    probe.publish(CMD, {**display, "deadline": time.time() + 10})
    probe.wait_for(EVENTS, lambda e: e["id"] == "c-3" and e["event"] == "done")
    time.sleep(robot_agent.BRIEF_SECONDS * 2)  # a `started` would have gone out by now
    assert events_of(probe, "c-3") == ["done"]


def test_a_repeated_id_is_acknowledged_and_not_run_twice(site_broker: Broker, probe: Probe) -> None:
    out: list[str] = []
    agent = start_robot(site_broker, out=out)
    try:
        probe.wait_for(STATUS, lambda s: s["state"] == "online")
        probe.publish(CMD, say("c-1"))
        probe.wait_for(EVENTS, lambda e: e["id"] == "c-1" and e["event"] == "done")
        probe.publish(CMD, say("c-1"))
        probe.wait_for(EVENTS, lambda e: e.get("duplicate") and e["event"] == "done")
        assert sum("안녕하세요" in line for line in out) == 1
    finally:
        agent.close()


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"not json", "bad_message"),
        ({"v": 1, "id": "c-2", "action": "dance", "deadline": 2e9}, "unknown_action"),
        ({"v": 1, "id": "c-3", "action": "say", "args": {}, "deadline": 2e9}, "bad_arguments"),
        ({"v": 1, "id": "c-4", "action": "say", "args": {"text": "x"}, "deadline": 1}, "expired"),
    ],
)
def test_bad_commands_are_rejected_with_a_reason(
    robot: RobotAgent, probe: Probe, payload: bytes | dict[str, object], reason: str
) -> None:
    probe.publish(CMD, payload)
    event = probe.wait_for(EVENTS, lambda e: e["event"] == "rejected")
    assert event["reason"] == reason and event.get("detail")


def test_last_will_marks_a_vanished_robot_offline(site_broker: Broker, probe: Probe) -> None:
    agent = start_robot(site_broker, robot="r1")
    probe.wait_for(STATUS, lambda s: s["state"] == "online")
    agent.link.client.socket().close()  # the robot vanishes without saying goodbye
    agent._closing.set()
    probe.wait_for(STATUS, lambda s: s["state"] == "offline", timeout=30)
    agent.link.client.loop_stop()


def test_emergency_stop_ends_a_long_speech_at_once(
    robot: RobotAgent, probe: Probe, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(robot_sim, "SPEED", 1.0)
    probe.publish(CMD, say("long", text="가" * 300))  # ~46 s of speech
    probe.wait_for(EVENTS, lambda e: e["id"] == "long" and e["event"] == "started")
    sent = time.monotonic()
    probe.publish(topics.center_estop(C), {"v": 1, "id": "stop-1", "reason": "test"})
    probe.wait_for(EVENTS, lambda e: e["id"] == "stop-1" and e["event"] == "stopped")
    latency = time.monotonic() - sent
    failed = probe.wait_for(EVENTS, lambda e: e["id"] == "long" and e["event"] == "failed")
    print(f"\nemergency stop → stopped: {latency * 1000:.1f} ms")
    assert failed["reason"] == "stopped" and latency < 0.5
    monkeypatch.setattr(robot_sim, "SPEED", 0.0)
    probe.publish(CMD, say("after"))  # and it takes commands again
    probe.wait_for(EVENTS, lambda e: e["id"] == "after" and e["event"] == "done")


class NoBattery(SimulatedRobot):
    def battery(self) -> int | None:
        raise OSError("the battery gauge is unplugged")


def test_an_adapter_that_fails_its_battery_still_answers_started(
    site_broker: Broker, probe: Probe, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The status thread says `started` (protocol 1.2): an adapter's failure there must
    neither kill it nor hold back the answer; the status goes out without the battery."""
    monkeypatch.setattr(robot_sim, "SPEED", 0.2)
    agent = RobotAgent(
        NoBattery(R, out=lambda _: None), BrokerAddress.parse(site_broker.address), C, R
    )
    agent.start()
    try:
        status = probe.wait_for(STATUS, lambda s: s["state"] == "online")
        assert "battery" not in status
        probe.publish(CMD, say("c-1"))
        probe.wait_for(EVENTS, lambda e: e["id"] == "c-1" and e["event"] == "done")
        assert events_of(probe, "c-1") == ["started", "done"]
    finally:
        agent.close()
