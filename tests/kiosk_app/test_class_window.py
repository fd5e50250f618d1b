"""The kiosk's site link in the real window against a real Mosquitto and the real class
runner: joining a class by touch, following it, practising, help calls, today's class."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kiosk_app.site_link import start_site_link
from lessons.library import load_library
from robot_bridge.classes import class_runner
from robot_bridge.classes.bridge_service import BridgeService
from robot_bridge.link.mqtt_link import BrokerAddress
from robot_bridge.protocol import topics
from robot_bridge.robots.robot_agent import RobotAgent
from robot_bridge.robots.robot_sim import SimulatedRobot
from tests.kiosk_app.driver import WAIT_SECONDS, wait_until
from tests.kiosk_app.test_window import choose_learner, tap_element
from tests.mosquitto import Broker, free_port
from tests.robot_bridge.probe import Probe


def point_kiosk_at(kiosk: Any, port: int) -> None:
    """Give the kiosk a new site link to 127.0.0.1:`port` (the old one is closed)."""
    app = kiosk.app
    app.site.close()
    app.kiosk.config = replace(app.kiosk.config, broker_host="127.0.0.1", broker_port=port)
    app.site = start_site_link(app.kiosk, app.post, app.site_event)


@pytest.fixture
def broker(tmp_path: Path, kiosk: Any) -> Iterator[Broker]:
    site = Broker(tmp_path / "site-broker").start()
    point_kiosk_at(kiosk, site.port)
    wait_until(kiosk, lambda: kiosk.app.site.connected, "the kiosk to reach its broker")
    yield site
    kiosk.app.sign_out()
    point_kiosk_at(kiosk, free_port())  # back to a broker that is not there
    site.stop()


@pytest.fixture
def probe(broker: Broker, kiosk: Any) -> Iterator[Probe]:
    center = kiosk.app.kiosk.config.center_id
    watcher = Probe(
        broker,
        topics.class_state_subscription(center),
        topics.help_calls(center),
        topics.robot_status(center, "r1"),
    )
    yield watcher
    watcher.close()


@pytest.fixture
def runner(
    broker: Broker, kiosk: Any, probe: Probe, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The class runner and a simulated robot `r1` (instant), on the kiosk's center."""
    monkeypatch.setattr(class_runner, "speech_seconds", lambda *_: 0.0)
    monkeypatch.setattr(class_runner, "STEP_GAP_SECONDS", 1.0)  # time to join and see steps
    center = kiosk.app.kiosk.config.center_id
    address = BrokerAddress.parse(broker.address)
    bridge = BridgeService(address, center, load_library()).start()
    robot = RobotAgent(SimulatedRobot("r1", out=lambda _l: None), address, center, "r1").start()
    status = topics.robot_status(center, "r1")
    probe.wait_for(status, lambda s: s.get("state") == "online")
    assert bridge.link.connected.wait(WAIT_SECONDS)  # listening for the start
    time.sleep(0.2)  # its subscriptions reach the broker
    yield center
    robot.close()
    bridge.close()


def join_by_touch(kiosk: Any, probe: Probe, center: str, learner: str) -> None:
    """Start class `am`, then on the welcome screen: 수업 참여하기, and who the learner is."""
    kiosk.app.sign_out()
    body = {"v": 1, "action": "start", "lesson_id": "phone-call", "robots": ["r1"]}
    probe.publish(topics.class_control(center, "am"), body)
    wait_until(kiosk, lambda: kiosk.screen.ids.now.text != "", "수업 참여하기 on the welcome")
    kiosk.press("수업 참여하기")
    choose_learner(kiosk, learner)
    assert kiosk.screen.name == "classroom"


def test_a_kiosk_joins_a_class_by_touch_follows_it_and_practises(
    kiosk: Any, probe: Probe, runner: str
) -> None:
    app = kiosk.app
    join_by_touch(kiosk, probe, runner, "강춘자")
    probe.wait_for(topics.class_state(runner, "am"), lambda s: "test-kiosk" in s["kiosks"])
    # the instructor's console learns who sits there (the kiosk's status report)
    state = topics.class_state(runner, "am")
    probe.wait_for(state, lambda s: s["desks"].get("test-kiosk", {}).get("learner") == "강춘자")

    seen: list[int] = []

    def at_practice() -> bool:
        run = app.kiosk.class_run.run
        if run is not None and (not seen or seen[-1] != run.view.index):
            seen.append(run.view.index)
        return run is not None and run.view.index == 2

    wait_until(kiosk, at_practice, "the class to reach its first practice")
    kiosk.frames(3)  # the practice screen laid out and drawn before it is touched
    # followed the class forward (a slow frame may see two steps go by at once: the kiosk
    # then lands on the current one, as a late joiner does)
    assert len(seen) >= 2 and seen == sorted(set(seen)) and seen[-1] == 2, seen
    assert kiosk.screen.ids.progress.text.endswith("수업 3 / 9 단계")
    tap_element(kiosk, "messages")  # wrong: the hint ladder works in class too
    assert app.kiosk.class_run.run.view.hint_level == 1
    probe.wait_for(state, lambda s: s["desks"].get("test-kiosk", {}).get("hint_level") == 1)
    tap_element(kiosk, "phone")
    done = probe.wait_for(
        topics.class_state(runner, "am"), lambda s: s["practice_done"] == ["test-kiosk"]
    )
    assert done["step_index"] == 2
    wait_until(kiosk, lambda: app.kiosk.class_run.run.view.index == 3, "the runner to move on")
    assert kiosk.screen.practice.element_widget("key-1") is not None  # the dialer is shown

    kiosk.press("수업 나가기")
    assert kiosk.screen.name == "welcome"
    probe.wait_for(topics.class_state(runner, "am"), lambda s: s["kiosks"] == [])
    app.kiosk.writer.flush()
    rows = app.kiosk.reader.unsynced(1000)
    mine = [r.event for r in rows if r.event.session_id == rows[-1].event.session_id]
    kinds = [e.kind.value for e in mine]
    assert kinds[0] == "lesson_started" and "practice_attempt" in kinds
    assert {"step_completed"} <= set(kinds) and all(e.lesson_id == "phone-call" for e in mine)


def test_help_in_class_publishes_a_help_call(kiosk: Any, probe: Probe, runner: str) -> None:
    join_by_touch(kiosk, probe, runner, "조금순")
    kiosk.press("도와주세요")
    assert kiosk.screen.name == "help"
    call = probe.wait_for(topics.help_calls(runner), lambda c: c["kiosk"] == "test-kiosk")
    assert call["learner"] == "조금순" and call["class_id"] == "am"
    kiosk.press("수업으로 돌아가기")
    assert kiosk.screen.name == "classroom"


def test_todays_class_shows_from_the_retained_schedule_and_offline(
    kiosk: Any, probe: Probe, broker: Broker
) -> None:
    app = kiosk.app
    app.sign_out()
    center = app.kiosk.config.center_id
    starts = time.localtime(kiosk.clock.now)
    two_pm = time.mktime((*starts[:3], 14, 0, 0, 0, 0, -1))
    entry = {"class_id": "pm", "lesson_id": "video-call", "starts_at": two_pm}
    probe.publish(topics.schedule(center), {"v": 1, "classes": [entry]}, retain=True)
    kiosk.clock.now = two_pm - 3600
    point_kiosk_at(kiosk, broker.port)  # a kiosk starting up gets the retained schedule
    today = kiosk.screen.ids.today
    wait_until(kiosk, lambda: today.text != "", "today's class on the welcome screen")
    assert today.text == "오늘의 수업: 가족과 영상통화 하기, 오후 2시"

    app.kiosk.writer.flush()
    point_kiosk_at(kiosk, free_port())  # the broker is gone: the kept schedule still shows
    app.go("welcome")
    assert kiosk.screen.ids.today.text == today.text and not app.site.connected
