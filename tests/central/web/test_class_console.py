"""The live class console: what it shows of a class's state, its live part, and its controls:
each a CSRF-checked POST that publishes the class control on the center's topic through
central's broker (a real Mosquitto) and writes an audit row; another center's instructor is
refused every one of them, as on every center page."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

import pytest

from central.class_controls import CONSOLE_ACTIONS, ControlLink
from central.class_form import ClassDraft
from central.class_states import record_class_state
from central.database import open_database
from central.devices import DeviceStatus, record_status
from central.help_calls import record_help_call
from central.schedule import save_class
from central.web.app import create_app
from central.web.settings import WebSettings
from lessons.library import load_library
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.class_messages import (
    ClassControl,
    ClassState,
    ClassStatus,
    ControlAction,
    Desk,
    HelpCall,
    Speaker,
)
from robot_bridge.protocol.wire import decode
from tests.central.web.conftest import CENTER, OTHER, Dashboard, csrf_of, post
from tests.mosquitto import Broker
from tests.waiting import wait_for


def schedule_class(dashboard: Dashboard, center: str = CENTER) -> str:
    db = open_database(dashboard.db_path)
    draft = ClassDraft("phone-call", time.time() + 600, 60, False, "교실", ("r1",), None, "ko")
    class_id = save_class(db, center, draft)
    db.close()
    assert isinstance(class_id, str)
    return class_id


def state_of(class_id: str, **changes: object) -> ClassState:
    values: dict[str, object] = {
        "class_id": class_id, "lesson_id": "phone-call", "lesson_version": 1, "lang": "ko",
        "status": ClassStatus.RUNNING, "step_index": 2, "step_id": "open-phone-app",
        "step_kind": "practice", "total_steps": 9, "speaker": Speaker.ROBOT, "robot": "r1",
        "lines": ["전화 앱을 눌러 보세요."], "robots": {"r1": "ready", "r2": "offline"},
        "kiosks": ["kiosk-1", "kiosk-2"], "practice_done": ["kiosk-2"], "heartbeat": 5.0,
        "at": time.time(),
    }  # fmt: skip
    return ClassState.model_validate(values | changes)


def keep(dashboard: Dashboard, state: ClassState, center: str = CENTER) -> None:
    db = open_database(dashboard.db_path)
    record_class_state(db, center, state, time.time())
    db.close()


def audit(dashboard: Dashboard) -> list[tuple[str, str, str, str, str]]:
    db = open_database(dashboard.db_path)
    rows = db.execute(
        "SELECT center, class_id, action, username, outcome FROM class_actions ORDER BY id"
    ).fetchall()
    db.close()
    return [tuple(row) for row in rows]


def console_url(class_id: str, center: str = CENTER) -> str:
    return f"/centers/{center}/classes/{class_id}"


@pytest.fixture
def linked(dashboard: Dashboard, broker: Broker) -> Iterator[tuple[Dashboard, MqttLink]]:
    """The dashboard with its own link to a real broker, and a listener on every center's
    class controls (as the centers' bridges are)."""
    address = BrokerAddress.parse(broker.address)
    controls = ControlLink(address).start()
    listener = MqttLink(address, "bridges", [(topics.every_center(topics.Kind.CLASS_CONTROL), 1)])
    listener.start()
    assert listener.connected.wait(10) and controls.link.connected.wait(10)
    settings = WebSettings(db_path=dashboard.db_path, secret_key="test-secret-" * 4)
    yield dataclasses.replace(dashboard, app=create_app(settings, controls)), listener
    listener.stop()
    controls.stop()


def test_the_console_shows_the_step_the_kiosks_and_the_robots(dashboard: Dashboard) -> None:
    class_id = schedule_class(dashboard)
    keep(dashboard, state_of(class_id))
    page = dashboard.client("kim").get(console_url(class_id))
    assert page.status_code == 200
    instruction = load_library().lessons["phone-call"].steps[2].practice
    assert instruction is not None
    assert instruction.instruction.shown("ko") in page.text
    assert "3 / 9단계" in page.text and "진행 중" in page.text
    kiosks = page.text.split('id="class-kiosks"')[1].split("</table>")[0]
    assert "kiosk-1</th><td>연습 중" in kiosks and 'kiosk-2</th><td><span class="ok">✓' in kiosks
    robots = page.text.split('id="class-robots"')[1].split("</table>")[0]
    assert (
        'r1</th><td class="ok">말하는 중' in robots and 'r2</th><td class="bad">연결 끊김' in robots
    )
    assert (
        'value="pause"' in page.text
        and 'value="start" data-action="start" class="primary" disabled' in page.text
    )
    assert '<script src="/static/class_console.js"' in page.text
    # the center's page links to it, from today's classes and from the classes running now
    center = dashboard.client("kim").get(f"/centers/{CENTER}").text
    assert center.count(f'href="{console_url(class_id)}"') == 2


def test_a_class_the_center_has_not_is_not_found(dashboard: Dashboard) -> None:
    other_class = schedule_class(dashboard, OTHER)
    client = dashboard.client("kim")
    for class_id in ("no-such-class", other_class):
        assert client.get(console_url(class_id)).status_code == 404
        assert client.get(console_url(class_id) + "/live").status_code == 404
        assert (
            post(client, console_url(class_id) + "/control", {"action": "pause"}).status_code == 404
        )
    assert audit(dashboard) == []


def test_another_centers_instructor_is_refused_every_control(
    linked: tuple[Dashboard, MqttLink],
) -> None:
    dashboard, listener = linked
    class_id = schedule_class(dashboard)
    keep(dashboard, state_of(class_id))
    lee = dashboard.client("lee")
    token = csrf_of(lee, "/")
    for action in CONSOLE_ACTIONS:
        answer = lee.post(
            console_url(class_id) + "/control", data={"action": action.value, "csrf_token": token}
        )
        assert answer.status_code == 404, action
        assert "강남" not in answer.text
    assert lee.get(console_url(class_id)).status_code == 404
    assert lee.get(console_url(class_id) + "/live").status_code == 404
    time.sleep(0.3)  # anything published would have reached the listener by now
    assert listener.inbox.empty() and audit(dashboard) == []


def test_a_control_without_the_forms_token_is_refused(linked: tuple[Dashboard, MqttLink]) -> None:
    dashboard, listener = linked
    class_id = schedule_class(dashboard)
    kim = dashboard.client("kim")
    for data in ({"action": "estop"}, {"action": "estop", "csrf_token": "forged"}):
        assert kim.post(console_url(class_id) + "/control", data=data).status_code == 403
    time.sleep(0.3)
    assert listener.inbox.empty() and audit(dashboard) == []


def test_each_control_publishes_its_class_control_and_is_audited(
    linked: tuple[Dashboard, MqttLink],
) -> None:
    dashboard, listener = linked
    class_id = schedule_class(dashboard)
    kim = dashboard.client("kim")
    details = {ControlAction.GOTO: {"step": "3"}, ControlAction.ANNOUNCE: {"text": " 5분  쉬어요 "}}
    for action in CONSOLE_ACTIONS:
        form = {"action": action.value, **details.get(action, {})}
        answer = post(kim, console_url(class_id) + "/control", form)
        assert answer.status_code == 303 and answer.headers["location"] == console_url(class_id)
        wait_for(lambda: not listener.inbox.empty(), 5, f"the {action} control")
        topic, payload = listener.inbox.get()
        assert topic == f"sarangbang/v1/centers/{CENTER}/classes/{class_id}/control"
        message = decode(ClassControl, payload)
        assert (message.action, message.by) == (action, "kim")
        if action is ControlAction.START:  # the scheduled class's lesson, robots, language
            assert (message.lesson_id, message.robots, message.lang) == ("phone-call", ["r1"], "ko")
        assert message.step == (2 if action is ControlAction.GOTO else None)  # shown from 1
        assert message.text == ("5분 쉬어요" if action is ControlAction.ANNOUNCE else None)
        assert message.robots == (["r1"] if action is ControlAction.START else [])
    assert audit(dashboard) == [
        (CENTER, class_id, action.value, "kim", "sent") for action in CONSOLE_ACTIONS
    ]
    page = kim.get(console_url(class_id)).text
    assert "비상 정지 (로봇 모두)&#39;을(를) 보냈어요." in page  # the flash of the last one
    assert page.count("· kim ·") == len(CONSOLE_ACTIONS)  # the audit, on the console


def test_a_control_that_cannot_be_sent_is_logged_as_such(dashboard: Dashboard) -> None:
    class_id = schedule_class(dashboard)
    unscheduled = "started-elsewhere"
    keep(dashboard, state_of(unscheduled))
    kim = dashboard.client("kim")
    assert "경로당들과 연결되어 있지 않아" in kim.get(console_url(class_id)).text
    post(kim, console_url(class_id) + "/control", {"action": "pause"})
    post(kim, console_url(unscheduled) + "/control", {"action": "start"})
    assert audit(dashboard) == [
        (CENTER, class_id, "pause", "kim", "not_connected"),
        (CENTER, unscheduled, "start", "kim", "not_startable"),
    ]
    assert "일정에 없는 수업은" in kim.get(console_url(unscheduled)).text
    bad = post(kim, console_url(class_id) + "/control", {"action": "dance"})
    assert bad.status_code == 422 and len(audit(dashboard)) == 2


def test_the_live_part_answers_only_when_something_changed(dashboard: Dashboard) -> None:
    class_id = schedule_class(dashboard)
    kim = dashboard.client("kim")
    live = console_url(class_id) + "/live"
    first = kim.get(live).json()
    assert first["offered"] == ["estop", "start"] and "시작 전" in first["html"]
    assert kim.get(live, params={"v": first["version"]}).status_code == 204
    keep(dashboard, state_of(class_id, status=ClassStatus.PAUSED, paused_reason="emergency_stop"))
    changed = kim.get(live, params={"v": first["version"]})
    assert changed.status_code == 200
    data = changed.json()
    assert data["offered"] == [
        "announce",
        "back",
        "estop",
        "goto",
        "next",
        "repeat",
        "resume",
        "stop",
    ]
    assert "비상 정지로 멈춤" in data["html"] and data["version"] != first["version"]
    assert "Content-Security-Policy" in changed.headers


def test_an_older_state_arriving_late_does_not_replace_a_newer_one(dashboard: Dashboard) -> None:
    class_id = schedule_class(dashboard)
    now = time.time()
    keep(dashboard, state_of(class_id, step_index=3, step_id="dial-number", at=now))
    keep(dashboard, state_of(class_id, at=now - 1))
    live = dashboard.client("kim").get(console_url(class_id) + "/live").json()
    assert "4 / 9단계" in live["html"]


def test_one_robot_is_stopped_from_its_row_and_bad_details_are_refused(
    linked: tuple[Dashboard, MqttLink],
) -> None:
    dashboard, listener = linked
    class_id = schedule_class(dashboard)
    keep(dashboard, state_of(class_id))
    kim = dashboard.client("kim")
    page = kim.get(console_url(class_id)).text
    robots = page.split('id="class-robots"')[1].split("</table>")[0]
    assert robots.count('name="robot" value=') == 2 and 'aria-label="로봇 r2 비상 정지"' in robots
    # the step list in words only for the lesson version the class runs (else numbers)
    assert '<option value="3" selected>3</option>' in page
    version = load_library().lessons["phone-call"].version
    keep(dashboard, state_of(class_id, lesson_version=version, at=time.time() + 1))
    page = kim.get(console_url(class_id)).text
    assert '<option value="3" selected>3. 전화 앱을 눌러 보세요.</option>' in page
    post(kim, console_url(class_id) + "/control", {"action": "estop", "robot": "r2"})
    wait_for(lambda: not listener.inbox.empty(), 5, "the robot's stop")
    stop = decode(ClassControl, listener.inbox.get()[1])
    assert (stop.action, stop.robots) == (ControlAction.ESTOP, ["r2"])
    # a robot id the class does not have (a forged form): every robot stops, in doubt
    post(kim, console_url(class_id) + "/control", {"action": "estop", "robot": "r9"})
    wait_for(lambda: not listener.inbox.empty(), 5, "the class's stop")
    stop = decode(ClassControl, listener.inbox.get()[1])
    assert (stop.action, stop.robots) == (ControlAction.ESTOP, [])
    refused = [
        ({"action": "goto", "step": "x"}, "이 수업에 없는 단계예요"),
        ({"action": "goto", "step": "0"}, "이 수업에 없는 단계예요"),
        ({"action": "goto", "step": "10"}, "이 수업에 없는 단계예요"),  # a class of 9 steps
        ({"action": "announce", "text": "가" * 121}, "120자 안으로"),
        ({"action": "announce", "text": "\u202e"}, "120자 안으로"),
    ]
    for form, said in refused:
        answer = post(kim, console_url(class_id) + "/control", form)
        assert answer.status_code == 303, form
        assert said in kim.get(console_url(class_id)).text, form
    time.sleep(0.3)
    assert listener.inbox.empty() and len(audit(dashboard)) == 2


def test_each_kiosk_shows_its_learner_hint_and_answer_and_the_class_s_help_calls(
    dashboard: Dashboard,
) -> None:
    class_id = schedule_class(dashboard)
    desks = {
        "kiosk-1": Desk(learner="김영희", hint_level=3, answer=2, right=False),
        "kiosk-2": Desk(learner="👨‍👩‍👧 박순자", answer=1, right=True),
    }
    quiz = state_of(class_id, step_kind="quiz", step_index=7, step_id="quiz", desks=desks)
    keep(dashboard, quiz)
    kim = dashboard.client("kim")
    first = kim.get(console_url(class_id) + "/live").json()
    kiosks = first["html"].split('id="class-kiosks"')[1].split("</table>")[0]
    assert "김영희" in kiosks and "힌트 3단계" in kiosks and "2번 답" in kiosks and "✗" in kiosks
    assert "👨‍👩‍👧 박순자" in kiosks and "1번 답" in kiosks and "✓" in kiosks
    assert 'id="class-help"' not in first["html"]
    db = open_database(dashboard.db_path)
    call = HelpCall(kiosk="kiosk-1", class_id=class_id, step_index=7, learner="김영희", at=1.0)
    record_help_call(db, CENTER, call, time.time())
    other = HelpCall(kiosk="kiosk-9", class_id="another-class", at=1.0)
    record_help_call(db, CENTER, other, time.time())
    db.close()
    changed = kim.get(console_url(class_id) + "/live", params={"v": first["version"]})
    assert changed.status_code == 200  # a help call changes the live part
    helped = changed.json()["html"].split('id="class-help"')[1].split("</section>")[0]
    assert "도움 요청 1건" in helped and "kiosk-1 · 김영희" in helped and "kiosk-9" not in helped


def test_a_class_not_on_the_schedule_is_started_from_the_center_page(
    linked: tuple[Dashboard, MqttLink],
) -> None:
    dashboard, listener = linked
    db = open_database(dashboard.db_path)
    for robot in ("r1", "r2"):
        status = DeviceStatus(CENTER, "robot", robot, True, time.time())
        record_status(db, status, {}, replay=False)
    db.close()
    kim = dashboard.client("kim")
    page = kim.get(f"/centers/{CENTER}").text
    assert 'action="/centers/gangnam-1/classes"' in page and 'value="r2" checked' in page
    form = {"lesson": "phone-call", "robot": ["r2", "r9"], "lang": "en"}
    answer = post(kim, f"/centers/{CENTER}/classes", form)
    console = answer.headers["location"]
    assert answer.status_code == 303 and console.startswith(f"/centers/{CENTER}/classes/now-")
    wait_for(lambda: not listener.inbox.empty(), 5, "the start")
    topic, payload = listener.inbox.get()
    start = decode(ClassControl, payload)
    assert topic.endswith(console.rsplit("/", 1)[1] + "/control")
    assert (start.action, start.lesson_id, start.robots, start.lang, start.by) == (
        ControlAction.START, "phone-call", ["r2"], "en", "kim"  # r9: not one of the center's
    )  # fmt: skip
    page = kim.get(console)  # its console, before the center has said a word of it
    assert page.status_code == 200 and "· kim · 지금 시작 · " in page.text
    bad = post(kim, f"/centers/{CENTER}/classes", {"lesson": "no-such-lesson"})
    assert bad.headers["location"] == f"/centers/{CENTER}"
    assert "수업을 골라 주세요" in kim.get(f"/centers/{CENTER}").text
    lee = dashboard.client("lee")  # another center's instructor
    assert post(lee, f"/centers/{CENTER}/classes", form).status_code == 404
    time.sleep(0.3)
    assert listener.inbox.empty() and len(audit(dashboard)) == 1
