"""Forms: roster and schedule changes through the pages, errors next to the field."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta

from central.database import open_database
from central.roster import roster_of
from central.web.settings import SEOUL
from tests.central.web.conftest import CENTER, Dashboard, post

ROSTER = f"/centers/{CENTER}/roster"
NEW_CLASS = f"/centers/{CENTER}/schedule/new"


def tomorrow_at(hour: int) -> str:
    day = datetime.now(SEOUL) + timedelta(days=1)
    return day.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def class_form(**changes: str) -> dict[str, str]:
    form = {
        "lesson_id": "phone-call",
        "starts": tomorrow_at(10),
        "minutes": "60",
        "room": "교실",
        "repeat": "once",
        "other_robots": "r1",
        "lang": "ko",
    }
    return {**form, **changes}


def test_roster_add_rename_hide_bump_the_revision(dashboard: Dashboard) -> None:
    client = dashboard.client("kim")
    db = open_database(dashboard.db_path)
    before = roster_of(db, CENTER).revision
    response = post(client, ROSTER, {"name": "  이순자  "})
    assert response.status_code == 303
    page = client.get(ROSTER).text
    assert "이순자 님을 추가했어요." in page and "이순자" in page
    added = next(ln for ln in roster_of(db, CENTER).learners if ln.name == "이순자")
    post(client, f"{ROSTER}/{added.id}", {"name": "이순자 어르신"})
    post(client, f"{ROSTER}/{added.id}/hidden", {"hidden": "1"})
    roster = roster_of(db, CENTER)
    assert roster.revision == before + 3
    assert [(ln.name, ln.hidden) for ln in roster.learners][-1] == ("이순자 어르신", True)


def test_a_bad_name_is_refused_next_to_the_field(dashboard: Dashboard) -> None:
    client = dashboard.client("kim")
    response = post(client, ROSTER, {"name": "가" * 41})
    assert response.status_code == 422
    assert re.search(r'id="name-error"[^>]*>이름은 1–40자로', response.text)
    assert 'aria-invalid="true" aria-describedby="name-error"' in response.text
    response = post(client, f"{ROSTER}/{dashboard.learner}", {"name": "   "})
    assert response.status_code == 422
    assert f'id="name-{dashboard.learner}-error"' in response.text


def test_a_class_is_scheduled_edited_and_cancelled(dashboard: Dashboard) -> None:
    client = dashboard.client("kim")
    response = post(client, NEW_CLASS, class_form())
    assert response.status_code == 303, response.text
    week = client.get(response.headers["location"]).text
    assert "수업을 저장했어요." in week and "전화 걸고 받기" in week
    class_id = re.search(r'data-class="([^"]+)"', week).group(1)  # type: ignore[union-attr]
    edit = f"/centers/{CENTER}/schedule/{class_id}"
    assert 'value="r1"' in client.get(edit).text
    assert post(client, edit, class_form(starts=tomorrow_at(14))).status_code == 303
    db = open_database(dashboard.db_path)
    starts = db.execute("select starts_at from classes where id = ?", [class_id]).fetchone()[0]
    assert datetime.fromtimestamp(starts, SEOUL).hour == 14
    confirm = client.get(f"{edit}/cancel").text  # asked first: nothing is cancelled yet
    assert "수업을 취소할까요?" in confirm and client.get(edit).status_code == 200
    at = re.search(r'name="at" value="(\d+)"', confirm).group(1)  # type: ignore[union-attr]
    assert post(client, f"{edit}/cancel", {"at": at}).status_code == 303
    assert client.get(edit).status_code == 404  # a one-off that never met is gone whole


def test_a_double_booked_robot_or_room_is_refused_with_a_clear_message(
    dashboard: Dashboard,
) -> None:
    client = dashboard.client("kim")
    assert post(client, NEW_CLASS, class_form()).status_code == 303
    response = post(client, NEW_CLASS, class_form(starts=tomorrow_at(10).replace(":00", ":30")))
    assert response.status_code == 422
    text = response.text
    assert "로봇 r1은(는)" in text and "에 다른 수업" in text
    assert "교실에는" in text
    assert "빨간 글씨로 표시한 곳을 고쳐 주세요." in text
    other_room = class_form(room="2층", other_robots="r2", starts=tomorrow_at(10))
    assert post(client, NEW_CLASS, other_room).status_code == 303


def test_schedule_form_names_every_bad_field(dashboard: Dashboard) -> None:
    client = dashboard.client("kim")
    bad = class_form(lesson_id="", starts="", minutes="1000", room="", other_robots="R 2")
    response = post(client, NEW_CLASS, bad)
    assert response.status_code == 422
    for words in (
        "목록에서 수업 내용을",
        "시작 날짜와 시간을",
        "10분에서 240분",
        "교실 이름은",
        "로봇 ID는",
    ):
        assert words in response.text, words
    assert response.text.count('aria-invalid="true"') >= 4


def test_admin_forms_validate_next_to_the_field(dashboard: Dashboard) -> None:
    admin = dashboard.client("admin")
    response = post(admin, "/admin/users", {"username": "K", "display_name": "", "centers": ""})
    assert response.status_code == 422 and 'id="username-error"' in response.text
    response = post(
        admin,
        "/admin/users",
        {"username": "park", "display_name": "박 강사", "centers": "gangnam-1"},
    )
    assert "park의 새 비밀번호" in response.text
    assert post(admin, "/admin/centers", {"center_id": "Bad Id", "name": ""}).status_code == 422
    reserved = post(admin, "/admin/centers", {"center_id": "sarangbang-intake-1", "name": "x"})
    assert reserved.status_code == 422 and "sarangbang-" in reserved.text  # central's own ids
    assert (
        post(admin, "/admin/centers", {"center_id": "jongno-1", "name": "종로"}).status_code == 303
    )
    assert "종로" in admin.get("/?q=종로").text


def test_help_call_is_marked_handled_from_the_page(dashboard: Dashboard) -> None:
    from central.help_calls import record_help_call
    from robot_bridge.protocol.class_messages import HelpCall

    db = open_database(dashboard.db_path)
    record_help_call(db, CENTER, HelpCall(kiosk="kiosk-1", learner="김영희"), time.time())
    client = dashboard.client("kim")
    page = client.get("/help").text
    call_id = re.search(r'data-call="(\d+)"', page).group(1)  # type: ignore[union-attr]
    assert "kiosk-1 키오스크" in page and "김영희" in page
    assert post(client, f"/help/{call_id}/handled").status_code == 303
    assert "지금 기다리는 도움 요청이 없어요." in client.get("/help/live").text
    api = client.get("/api/v1/help").json()
    assert api == []
