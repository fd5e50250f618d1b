"""Whole classes against a real Mosquitto: simulated robots, kiosk class clients, the runner."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from robot_bridge.classes import class_runner
from robot_bridge.classes.class_runner import ACCEPT_SECONDS
from robot_bridge.protocol import topics
from tests.mosquitto import Broker
from tests.robot_bridge.classroom import CENTER, LIBRARY, Classroom
from tests.waiting import wait_for

LESSON = LIBRARY.lessons["phone-call"]
STEPS = len(LESSON.steps)


@pytest.fixture(autouse=True)
def quick_class(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kiosks say a robot's line in no time, and steps follow each other without a breath."""
    monkeypatch.setattr(class_runner, "speech_seconds", lambda *_: 0.0)
    monkeypatch.setattr(class_runner, "KIOSK_MARGIN_SECONDS", 0.05)
    monkeypatch.setattr(class_runner, "STEP_GAP_SECONDS", 0.0)


@pytest.fixture
def room(site_broker: Broker) -> Iterator[Classroom]:
    classroom = Classroom(site_broker)
    yield classroom
    classroom.close()


def assert_every_command_answered(room: Classroom, robot: str) -> None:
    done = {e["id"] for e in room.events(robot) if e["event"] == "done"}
    sent = [c["id"] for c in room.commands(robot)]
    assert sent and set(sent) <= done, f"{robot}: unanswered {set(sent) - done}"


def test_a_whole_class_with_two_robots_and_two_kiosks(room: Classroom) -> None:
    room.robot("r1")
    room.robot("r2")
    kiosks = [room.kiosk("k1"), room.kiosk("k2")]
    for kiosk in kiosks:
        kiosk.client.join("morning")
    time.sleep(0.2)  # the joins reach the runner's lobby
    room.control("morning", action="start", lesson_id="phone-call", robots=["r1", "r2"])
    room.wait_state("morning", status="finished", timeout=30)

    for robot in ("r1", "r2"):
        assert_every_command_answered(room, robot)
    states = room.states("morning")
    assert [s["step_index"] for s in states] == sorted(s["step_index"] for s in states)
    for index, step in enumerate(LESSON.steps):
        at_step = [s for s in states if s["step_index"] == index]
        assert at_step and all(s["step_id"] == step.id for s in at_step)
        speaking = [s for s in at_step if s["lines"]]
        assert speaking and all(s["robot"] == ("r1", "r2")[index % 2] for s in speaking)
        if step.kind != "say":  # moved on because both kiosks were done
            assert at_step[-1]["practice_done"] == ["k1", "k2"]
    for kiosk in kiosks:
        # each kiosk takes the last step's state on its own client's thread, which on a busy
        # machine can come after the probe saw `finished`: give it the moment, then check
        wait_for(lambda k=kiosk: len(k.steps) >= STEPS, 5, f"{kiosk.name} at the last step")
        assert kiosk.steps == list(range(STEPS)) and kiosk.spoken == []


def test_a_killed_robot_is_covered_by_the_kiosks_and_rejoins_at_the_next_step(
    room: Classroom,
) -> None:
    room.robot_process("r1", speed=1.0)  # real speaking time, so it dies mid-line
    room.robot("r2")
    kiosks = [room.kiosk("k1"), room.kiosk("k2")]
    for kiosk in kiosks:
        kiosk.practising.clear()
        kiosk.client.join("morning")
    time.sleep(0.2)
    room.control("morning", action="start", lesson_id="phone-call", robots=["r1", "r2"])
    room.probe.wait_for(topics.robot_events(CENTER, "r1"), lambda e: e["event"] == "started")
    killed = time.monotonic()
    room.kill("r1")
    covered = room.wait_state("morning", step_index=0, speaker="kiosks")
    fallback = time.monotonic() - killed
    print(f"\nrobot killed → kiosks speak its line: {fallback * 1000:.0f} ms")
    assert fallback < ACCEPT_SECONDS and covered["robots"]["r1"] == "offline"
    assert covered["lines"] == [LESSON.steps[0].say.spoken("ko")]  # type: ignore[union-attr]

    at_practice = room.wait_state("morning", step_index=2, speaker="kiosks")
    assert at_practice["robots"] == {"r1": "offline", "r2": "ready"}
    room.robot_process("r1", speed=0.0)
    room.probe.wait_for(topics.instructor(CENTER), lambda n: n["key"] == "robot_back")
    for kiosk in kiosks:
        kiosk.practising.set()
    room.wait_state("morning", status="finished", timeout=30)

    back = room.commands("r1")[1:]  # what it was told after it came back
    assert back, "r1 was given no line after it came back"
    steps_back = {s["step_index"] for s in room.states("morning") if s.get("robot") == "r1"} - {0}
    assert min(steps_back) == 4  # step 2 was its turn while it was away; step 4 is its next
    assert_every_command_answered(room, "r2")
    assert LESSON.steps[2].practice.instruction.spoken("ko") in kiosks[0].spoken  # type: ignore[union-attr]


def test_a_broker_restart_mid_class_and_the_class_still_finishes(
    room: Classroom, site_broker: Broker
) -> None:
    room.robot("r1")
    kiosks = [room.kiosk("k1"), room.kiosk("k2")]
    for kiosk in kiosks:
        kiosk.practising.clear()
        kiosk.client.join("morning")
    time.sleep(0.2)
    room.control("morning", action="start", lesson_id="phone-call", robots=["r1"])
    room.wait_state("morning", step_index=2)
    site_broker.restart()  # persistence is off: every retained message is gone
    room.probe.messages.clear()
    room.wait_state("morning", step_index=2)  # the runner published its state again
    room.wait_online("r1")  # and the robot its status
    for kiosk in kiosks:
        assert kiosk.client.link.connected.wait(10)
    # A line sent while the robot was still away may be lost (the kiosks then say it);
    # from here on, with everyone back, every command is answered.
    room.probe.messages.clear()
    for kiosk in kiosks:
        kiosk.practising.set()
    room.wait_state("morning", status="finished", timeout=30)
    assert_every_command_answered(room, "r1")


def test_emergency_stop_during_a_long_speech_stops_the_robot_quickly(
    room: Classroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    room.robot_process("r1", speed=1.0)
    room.control("morning", action="start", lesson_id="phone-call", robots=["r1"])
    room.probe.wait_for(topics.robot_events(CENTER, "r1"), lambda e: e["event"] == "started")
    sent = time.monotonic()
    room.control("morning", action="estop", by="instructor")
    room.probe.wait_for(topics.robot_events(CENTER, "r1"), lambda e: e["event"] == "stopped")
    latency = time.monotonic() - sent
    print(f"\ninstructor estop → robot reports stopped: {latency * 1000:.1f} ms")
    assert latency < 0.5
    state = room.wait_state("morning", status="paused", paused_reason="emergency_stop")
    assert state["step_index"] == 0


def test_a_help_call_sends_a_robot_and_tells_the_instructor(room: Classroom) -> None:
    room.robot("r1")
    kiosk = room.kiosk("k1")
    kiosk.practising.clear()
    room.control("morning", action="start", lesson_id="phone-call", robots=["r1"])
    room.wait_state("morning", status="running")
    kiosk.client.join("morning")
    room.wait_state("morning", kiosks=["k1"])
    kiosk.client.help(learner="learner-7")
    told = room.probe.wait_for(topics.instructor(CENTER), lambda n: n["key"] == "help")
    assert told["kiosk"] == "k1" and told["robot"] == "r1" and "k1" in told["text"]["ko"]
    room.probe.wait_for(
        topics.robot_cmd(CENTER, "r1"),
        lambda c: c["action"] == "point" and c["args"] == {"target": "kiosk", "kiosk": "k1"},
    )


def test_a_class_starts_from_the_retained_schedule(room: Classroom) -> None:
    room.robot("r1")
    entry = {"class_id": "noon", "lesson_id": "phone-call", "starts_at": time.time() - 1}
    room.probe.publish(
        topics.schedule(CENTER), {"v": 1, "classes": [{**entry, "robots": ["r1"]}]}, retain=True
    )
    room.wait_state("noon", status="running")
    room.control("noon", action="pause")
    room.wait_state("noon", status="paused", paused_reason="instructor")
    room.control("noon", action="stop")
    room.wait_state("noon", status="stopped")


def test_a_stop_published_on_the_center_estop_pauses_the_class_and_says_why(
    room: Classroom,
) -> None:
    """A stop from outside the class (a vendor's remote, an operator's mosquitto_pub on
    robots/estop) pauses the class until the instructor resumes it; no new line is sent."""
    room.robot_process("r1", speed=1.0)
    room.control("morning", action="start", lesson_id="phone-call", robots=["r1"])
    room.probe.wait_for(topics.robot_events(CENTER, "r1"), lambda e: e["event"] == "started")
    room.probe.publish(topics.center_estop(CENTER), {"v": 1, "id": "remote-1", "reason": "remote"})
    told = room.probe.wait_for(topics.instructor(CENTER), lambda n: n["key"] == "robot_stopped")
    assert told["robot"] == "r1" and "r1" in told["text"]["ko"]
    assert "경로당 전체 정지 신호: remote" in told["text"]["ko"]  # and who or what stopped it
    assert "a stop for every robot of the center: remote" in told["text"]["en"]
    state = room.wait_state("morning", status="paused", paused_reason="emergency_stop")
    sent = len(room.commands("r1"))
    time.sleep(3 * ACCEPT_SECONDS)  # longer than any deadline: nothing is dropped or resent
    assert len(room.commands("r1")) == sent
    assert room.states("morning")[-1]["step_index"] == state["step_index"]
    room.control("morning", action="resume", by="instructor")
    room.wait_state("morning", status="running")
    room.probe.wait_for(topics.robot_cmd(CENTER, "r1"), lambda c: len(room.commands("r1")) > sent)
