"""Random and malformed payloads on every topic: neither the runner nor the robot agent ever
raises, and each bad message is answered by a rejection event or a log line."""

from __future__ import annotations

import itertools
import json
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from robot_bridge.classes.bridge import Bridge
from robot_bridge.link.mqtt_link import BrokerAddress
from robot_bridge.protocol.class_messages import ClassControl
from robot_bridge.protocol.incoming import Rejected, parse
from robot_bridge.protocol.robot_messages import RobotStatus
from robot_bridge.protocol.topics import TEMPLATES, Kind, Topic
from robot_bridge.robots.robot_agent import RobotAgent
from robot_bridge.robots.robot_sim import SimulatedRobot
from tests.lessons.conftest import FakeClock
from tests.robot_bridge.classroom import LIBRARY

C = "c1"
IDS = {"robot": "r1", "class_id": "am", "kiosk": "k1"}
VALID: dict[Kind, dict[str, Any]] = {
    Kind.ROBOT_STATUS: {"state": "online", "capabilities": ["say"], "battery": 50},
    Kind.ROBOT_CMD: {"id": "c-1", "action": "say", "args": {"text": "안녕"}, "deadline": 2e9},
    Kind.ROBOT_EVENTS: {"id": "c-1", "event": "done"},
    Kind.ROBOT_ESTOP: {"id": "s-1"},
    Kind.CENTER_ESTOP: {"id": "s-1", "reason": "test"},
    Kind.CLASS_STATE: {"class_id": "am", "status": "running"},
    Kind.CLASS_CONTROL: {"action": "next"},
    Kind.KIOSK_CLASS: {"kind": "done", "class_id": "am", "step_index": 0},
    Kind.HELP: {"kiosk": "k1", "class_id": "am"},
    Kind.INSTRUCTOR: {"key": "help", "text": {"ko": "도움"}, "at": 1},
    Kind.SCHEDULE: {"classes": [{"class_id": "pm", "lesson_id": "phone-call", "starts_at": 1}]},
}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)


def topic_of(kind: Kind) -> str:
    needed = {f: v for f, v in IDS.items() if "{" + f.replace("_id", "") + "}" in TEMPLATES[kind]}
    return str(Topic(kind, C, **needed))


@st.composite
def mutated(draw: st.DrawFn, kind: Kind) -> bytes:
    """A valid message of `kind` with some fields replaced by random JSON or removed."""
    body: dict[str, Any] = {"v": 1, **VALID[kind]}
    for key in draw(st.sets(st.sampled_from([*body, "v", "extra"]), max_size=3)):
        if draw(st.booleans()):
            body[key] = draw(json_values)
        else:
            body.pop(key, None)
    return json.dumps(body).encode()


def messages() -> st.SearchStrategy[tuple[str, bytes]]:
    kinds = st.sampled_from(list(VALID))  # the robot and class messages (sync has its own fuzz)
    return kinds.flatmap(
        lambda kind: st.tuples(
            st.just(topic_of(kind)),
            st.binary(max_size=64)
            | json_values.map(lambda v: json.dumps(v).encode())
            | mutated(kind),
        )
    )


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def listening(name: str) -> Recorder:
    recorder = Recorder()
    logger = logging.getLogger(name)
    logger.addHandler(recorder)
    logger.setLevel(logging.INFO)
    return recorder


def running_bridge() -> Bridge:
    ids = (f"id-{n}" for n in itertools.count())
    bridge = Bridge(C, LIBRARY, FakeClock(), lambda: next(ids))
    bridge.robots["r1"] = RobotStatus(state="online", capabilities=["say", "point:kiosk"])
    bridge.control("am", ClassControl(action="start", lesson_id="phone-call", robots=["r1"]))
    return bridge


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(messages(), min_size=1, max_size=6))
def test_the_runner_survives_anything_and_logs_what_it_rejects(
    sequence: list[tuple[str, bytes]],
) -> None:
    bridge = running_bridge()
    recorder = listening("robot_bridge.classes.bridge")
    try:
        for topic, payload in sequence:
            parsed = parse(topic, payload)
            before = len(recorder.records)
            for out in [*bridge.handle(parsed), *bridge.tick()]:
                out.message.encode()
            if isinstance(parsed, Rejected):
                assert len(recorder.records) > before, f"no log line for {parsed}"
    finally:
        logging.getLogger("robot_bridge.classes.bridge").removeHandler(recorder)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(messages(), min_size=1, max_size=6))
def test_the_robot_agent_survives_anything_and_rejects_bad_commands(
    sequence: list[tuple[str, bytes]],
) -> None:
    agent = RobotAgent(SimulatedRobot("r1", out=lambda _: None), BrokerAddress("x"), C, "r1")
    sent: list[tuple[str, bytes]] = []
    agent.link.publish = lambda topic, payload, qos=1, retain=False: sent.append((topic, payload))  # type: ignore[method-assign]
    recorder = listening("robot_bridge.robots.robot_agent")
    try:
        for topic, payload in sequence:
            before_sent, before_logged = len(sent), len(recorder.records)
            agent.handle(topic, payload)
            parsed = parse(topic, payload)
            if isinstance(parsed, Rejected):
                assert len(recorder.records) > before_logged
                answered = parsed.topic and parsed.topic.kind in (Kind.ROBOT_CMD, *STOPS)
                if answered and (payload or parsed.topic.kind == Kind.ROBOT_CMD):  # type: ignore[union-attr]
                    answers = [json.loads(p) for t, p in sent[before_sent:] if t.endswith("events")]
                    assert ("rejected", "bad_message") in [
                        (a["event"], a.get("reason")) for a in answers
                    ]
    finally:
        logging.getLogger("robot_bridge.robots.robot_agent").removeHandler(recorder)


STOPS = (Kind.ROBOT_ESTOP, Kind.CENTER_ESTOP)


@pytest.mark.parametrize("kind", STOPS)
@pytest.mark.parametrize("payload", [b"stop!", b'{"v": 1}', b'{"v": 2, "id": "s-1"}'])
def test_a_stop_that_cannot_be_read_still_stops_the_robot_and_the_class(
    kind: Kind, payload: bytes
) -> None:
    """protocol.md, Emergency stop: a stop without a readable id is answered `rejected`,
    `bad_message`, and the robot stops anyway; the class using it pauses all the same."""
    agent = RobotAgent(SimulatedRobot("r1", out=lambda _: None), BrokerAddress("x"), C, "r1")
    sent: list[tuple[str, bytes]] = []
    agent.link.publish = lambda topic, payload, qos=1, retain=False: sent.append((topic, payload))  # type: ignore[method-assign]
    queued = {"v": 1, "id": "c-1", "action": "say", "args": {"text": "가"}, "deadline": 2e9}
    agent.commands.offer(parse(topic_of(Kind.ROBOT_CMD), json.dumps(queued).encode()).message)  # type: ignore[union-attr, arg-type]
    halted: list[bool] = []
    agent.adapter.halt = lambda: halted.append(True)  # type: ignore[method-assign]
    agent.handle(topic_of(kind), payload)
    events = [json.loads(p) for t, p in sent if t.endswith("/events")]
    assert {(e["event"], e.get("reason")) for e in events} >= {
        ("rejected", "bad_message"),
        ("failed", "stopped"),
    }
    assert halted and agent.commands.current is None

    bridge = running_bridge()
    out = bridge.handle(parse(topic_of(kind), payload))
    state = [o.message for o in out if o.message.__class__.__name__ == "ClassState"][-1]
    assert (state.status, state.paused_reason) == ("paused", "emergency_stop")  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", STOPS)
def test_an_empty_payload_on_a_stop_topic_is_not_a_stop(kind: Kind) -> None:
    """Someone clearing a retained message publishes an empty one: nothing stops."""
    agent = RobotAgent(SimulatedRobot("r1", out=lambda _: None), BrokerAddress("x"), C, "r1")
    sent: list[tuple[str, bytes]] = []
    agent.link.publish = lambda topic, payload, qos=1, retain=False: sent.append((topic, payload))  # type: ignore[method-assign]
    halted: list[bool] = []
    agent.adapter.halt = lambda: halted.append(True)  # type: ignore[method-assign]
    agent.handle(topic_of(kind), b"")
    assert not halted and not sent
    bridge = running_bridge()
    out = bridge.handle(parse(topic_of(kind), b""))
    assert not [o for o in out if o.message.__class__.__name__ == "ClassState"]
