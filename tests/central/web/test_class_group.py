"""A class across centers from the dashboard: started at several centers at once (each with
its own robots), its console showing the centers side by side (who leads, who is behind,
whose link is down), each control sent to every center through a real Mosquitto, the moves
as one step counted from the lead, and every center's instructor who lacks one of the
centers refused."""

from __future__ import annotations

import time

from central.class_groups import STALE_SECONDS, centers_of, create_group
from central.class_states import record_class_state
from central.database import open_database, write_transaction
from central.devices import DeviceStatus, record_status
from central.help_calls import record_help_call
from central.roster import add_center
from robot_bridge.link.mqtt_link import MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.class_messages import ClassControl, ClassStatus, HelpCall
from robot_bridge.protocol.wire import decode
from tests.central.web.conftest import CENTER, OTHER, Dashboard, post
from tests.central.web.test_class_console import linked, state_of
from tests.waiting import wait_for

__all__ = ["linked"]  # the fixture, shared with the single center's console
CLASS = "now-0123456789"
CONSOLE = f"/classes/{CLASS}"


def group(dashboard: Dashboard, *steps: tuple[str, int, float]) -> None:
    """CLASS at both centers, each (center, step, heard so many seconds ago)."""
    db = open_database(dashboard.db_path)
    create_group(db, CLASS, [CENTER, OTHER])
    for center, step, ago in steps:
        state = state_of(
            CLASS, step_index=step, step_kind="say", heartbeat=5.0, at=time.time() - ago
        )
        record_class_state(db, center, state, time.time() - ago)
    db.close()


def sent(listener: MqttLink, count: int) -> dict[str, ClassControl]:
    """The next `count` class controls published, by center."""
    found = {}
    for _ in range(count):
        wait_for(lambda: not listener.inbox.empty(), 5, "a class control")
        topic, payload = listener.inbox.get()
        parsed = topics.parse_topic(topic)
        assert parsed.class_id is not None
        found[parsed.center] = decode(ClassControl, payload)
    return found


def test_a_class_starts_at_every_center_chosen_each_with_its_own_robots(
    linked: tuple[Dashboard, MqttLink],
) -> None:
    dashboard, listener = linked
    db = open_database(dashboard.db_path)
    now = time.time()
    for center, robot, online in ((CENTER, "r1", True), (CENTER, "r2", False), (OTHER, "r9", True)):
        record_status(db, DeviceStatus(center, "robot", robot, online, now), {}, False)
    admin = dashboard.client("admin")
    form = {"lesson": "phone-call", "center": [CENTER, OTHER], "lang": "ko"}
    answer = post(admin, "/classes", form)
    assert answer.status_code == 303
    class_id = answer.headers["location"].removeprefix("/classes/")
    assert class_id.startswith("now-") and centers_of(db, class_id) == [CENTER, OTHER]
    starts = sent(listener, 2)
    assert {c: (m.action, m.lesson_id, m.robots) for c, m in starts.items()} == {
        CENTER: ("start", "phone-call", ["r1"]),  # its robot offline now is left out
        OTHER: ("start", "phone-call", ["r9"]),
    }
    page = admin.get(answer.headers["location"]).text
    assert (
        "지금 시작&#39;을(를) 경로당 2곳 중 2곳에 보냈어요." in page
        and "시작을 기다리는 중" in page
    )
    # one center is no class across centers; nor is a center the user may not see
    for centers in ([CENTER], [CENTER, "no-such-center"]):
        bad = post(admin, "/classes", {"lesson": "phone-call", "center": centers})
        assert bad.headers["location"] == "/"
    kim = dashboard.client("kim")
    refused = post(kim, "/classes", {"lesson": "phone-call", "center": [CENTER, OTHER]})
    assert refused.headers["location"] == "/"
    time.sleep(0.3)
    assert listener.inbox.empty()
    db.close()


def test_the_console_shows_the_centers_side_by_side(dashboard: Dashboard) -> None:
    group(dashboard, (CENTER, 4, 1.0), (OTHER, 2, STALE_SECONDS + 5))
    db = open_database(dashboard.db_path)
    record_help_call(db, OTHER, HelpCall(kiosk="kiosk-7", class_id=CLASS, at=time.time()), 0)
    db.close()
    page = dashboard.client("admin").get(CONSOLE)
    assert page.status_code == 200
    assert "가장 앞선 곳 5 / 9단계" in page.text
    rows = page.text.split('id="class-centers"')[1].split("</table>")[0]
    gangnam, seocho = rows.split("<tr data-center=")[1:]
    assert 'data-standing="linked" data-behind="0"' in gangnam and "진행 중" in gangnam
    assert 'data-standing="on_its_own" data-behind="2"' in seocho
    assert "연결 끊김, 자체 진행 중" in seocho and "2단계 뒤처짐" in seocho
    assert "도움 요청 1건" in seocho and "kiosk-7" in page.text
    assert 'value="start"' not in page.text  # it was started when it was made
    # each center's own console points to the class's
    own = dashboard.client("admin").get(f"/centers/{CENTER}/classes/{CLASS}").text
    assert f'href="{CONSOLE}"' in own and "이 경로당에만 가요" in own


def test_moves_go_to_every_center_as_the_leads_step(linked: tuple[Dashboard, MqttLink]) -> None:
    dashboard, listener = linked
    group(dashboard, (CENTER, 4, 1.0), (OTHER, 3, 1.0))
    admin = dashboard.client("admin")
    for action, step in (("next", 5), ("back", 3), ("repeat", 4)):
        answer = post(admin, f"{CONSOLE}/control", {"action": action})
        assert answer.headers["location"] == CONSOLE
        assert {c: (m.action, m.step) for c, m in sent(listener, 2).items()} == {
            CENTER: ("goto", step),
            OTHER: ("goto", step),
        }
    post(admin, f"{CONSOLE}/control", {"action": "announce", "text": "5분 쉬었다 할게요."})
    assert {m.text for m in sent(listener, 2).values()} == {"5분 쉬었다 할게요."}
    post(admin, f"{CONSOLE}/control", {"action": "estop"})
    assert {(m.action, tuple(m.robots)) for m in sent(listener, 2).values()} == {("estop", ())}
    # a robot's own stop, pressed on this console, goes to its center only, and back here
    own = post(admin, f"/centers/{OTHER}/classes/{CLASS}/control", {
        "action": "estop", "robot": "r1", "from": "group",
    })  # fmt: skip
    assert own.headers["location"] == CONSOLE
    assert {c: m.robots for c, m in sent(listener, 1).items()} == {OTHER: ["r1"]}
    page = admin.get(CONSOLE).text
    assert "2곳 중 2곳에 보냄" in page and "· 5분 쉬었다 할게요. ·" in page
    assert "· 다음 단계 · 6 ·" in page  # the step it meant, shown from 1
    db = open_database(dashboard.db_path)
    rows = db.execute("SELECT center, action, detail FROM class_actions ORDER BY id").fetchall()
    assert [tuple(r) for r in rows[:2]] == [(CENTER, "next", "6"), (OTHER, "next", "6")]
    db.close()


def test_next_on_the_last_step_is_refused(linked: tuple[Dashboard, MqttLink]) -> None:
    dashboard, listener = linked
    group(dashboard, (CENTER, 8, 1.0), (OTHER, 8, 1.0))
    admin = dashboard.client("admin")
    post(admin, f"{CONSOLE}/control", {"action": "next"})
    assert "이 수업에 없는 단계예요" in admin.get(CONSOLE).text
    time.sleep(0.3)
    assert listener.inbox.empty()


def test_an_instructor_of_one_of_its_centers_is_refused_its_console(
    linked: tuple[Dashboard, MqttLink],
) -> None:
    dashboard, listener = linked
    group(dashboard, (CENTER, 4, 1.0), (OTHER, 3, 1.0))
    for username in ("kim", "lee"):
        client = dashboard.client(username)
        assert client.get(CONSOLE).status_code == 404
        assert client.get(f"{CONSOLE}/live").status_code == 404
        for action in ("next", "pause", "estop", "stop"):
            assert post(client, f"{CONSOLE}/control", {"action": action}).status_code == 404
    # kim still steers gangnam-1's part from its own console, which does not point to
    # the class's console (nor says how many centers are in it)
    kim = dashboard.client("kim")
    own = kim.get(f"/centers/{CENTER}/classes/{CLASS}").text
    assert f'href="{CONSOLE}"' not in own and 'id="in-group"' not in own
    assert post(kim, f"/centers/{CENTER}/classes/{CLASS}/control", {"action": "pause"})
    assert {c: m.action for c, m in sent(listener, 1).items()} == {CENTER: "pause"}
    time.sleep(0.3)
    assert listener.inbox.empty()


def test_the_live_part_changes_when_a_center_falls_silent(dashboard: Dashboard) -> None:
    group(dashboard, (CENTER, 4, 1.0), (OTHER, 4, 2.0))
    admin = dashboard.client("admin")
    first = admin.get(f"{CONSOLE}/live").json()
    assert "on_its_own" not in first["html"] and "pause" in first["offered"]
    assert admin.get(f"{CONSOLE}/live", params={"v": first["version"]}).status_code == 204
    db = open_database(dashboard.db_path)  # nothing more from OTHER since: time passes
    silent = time.time() - STALE_SECONDS - 1
    with write_transaction(db) as conn:
        conn.execute("UPDATE class_states SET received_at = ? WHERE center = ?", (silent, OTHER))
    later = admin.get(f"{CONSOLE}/live", params={"v": first["version"]})
    assert later.status_code == 200 and 'data-standing="on_its_own"' in later.json()["html"]
    for center in (CENTER, OTHER):
        state = state_of(CLASS, status=ClassStatus.FINISHED, at=time.time())
        record_class_state(db, center, state, time.time())
    db.close()
    over = admin.get(f"{CONSOLE}/live").json()
    assert over["offered"] == ["estop"] and "끝남" in over["html"]


def test_resume_leaves_a_center_stopped_by_an_emergency_stop_to_its_staff(
    linked: tuple[Dashboard, MqttLink],
) -> None:
    dashboard, listener = linked
    db = open_database(dashboard.db_path)
    create_group(db, CLASS, [CENTER, OTHER])
    for center, reason in ((CENTER, "instructor"), (OTHER, "emergency_stop")):
        paused = state_of(CLASS, status=ClassStatus.PAUSED, paused_reason=reason, heartbeat=5.0)
        record_class_state(db, center, paused, time.time())
    db.close()
    admin = dashboard.client("admin")
    post(admin, f"{CONSOLE}/control", {"action": "resume"})
    assert {c: m.action for c, m in sent(listener, 1).items()} == {CENTER: "resume"}
    time.sleep(0.3)
    assert listener.inbox.empty()  # nothing went to the stopped center
    page = admin.get(CONSOLE).text
    assert "비상 정지로 멈춘 곳(서초 경로당)은" in page


def test_moves_wait_for_a_center_to_count_from(linked: tuple[Dashboard, MqttLink]) -> None:
    """Every center silent (central not hearing them): no lead, so no move is guessed."""
    dashboard, listener = linked
    group(dashboard, (CENTER, 4, STALE_SECONDS + 5), (OTHER, 3, STALE_SECONDS + 5))
    admin = dashboard.client("admin")
    for action in ("next", "back", "repeat"):
        post(admin, f"{CONSOLE}/control", {"action": action})
    assert "15초 넘게 소식이 온 경로당이 없어서" in admin.get(CONSOLE).text
    post(admin, f"{CONSOLE}/control", {"action": "goto", "step": "6"})  # a step still goes
    assert {m.step for m in sent(listener, 2).values()} == {5}
    time.sleep(0.3)
    assert listener.inbox.empty()


def test_the_live_part_of_twenty_centers_is_versioned_by_what_it_shows(
    dashboard: Dashboard,
) -> None:
    """However many centers, and a heartbeat that changes nothing shown is no change."""
    db = open_database(dashboard.db_path)
    centers = [f"center-{n:02d}" for n in range(20)]
    for center in centers:
        add_center(db, center, f"{center} 경로당")
    create_group(db, CLASS, centers)
    now = time.time()
    for n, center in enumerate(centers):  # half of them cut off
        ago = STALE_SECONDS + 5 if n % 2 else 1.0
        state = state_of(CLASS, step_kind="say", heartbeat=5.0, at=now - ago)
        record_class_state(db, center, state, now - ago)
    admin = dashboard.client("admin")
    first = admin.get(f"{CONSOLE}/live").json()
    assert first["html"].count('data-standing="on_its_own"') == 10
    beat = state_of(CLASS, step_kind="say", heartbeat=5.0, at=time.time())
    record_class_state(db, centers[0], beat, time.time())  # a heartbeat: the same state
    db.close()
    assert admin.get(f"{CONSOLE}/live", params={"v": first["version"]}).status_code == 204
