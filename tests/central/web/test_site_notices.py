"""What a center's programs tell the instructor (a robot stopped, a lesson library refused)
is kept once at central and shown on that center's page, newest first, in the page's
language; a help call's notice is not kept twice (help calls have their own list)."""

from __future__ import annotations

import time

from central.database import open_database
from central.site_notices import KEEP_PER_CENTER, recent_notices, record_notice
from robot_bridge.classes.notices import Why, notice
from robot_bridge.protocol.class_messages import NoticeKey
from tests.central.web.conftest import CENTER, OTHER, Dashboard


def test_notices_are_kept_once_and_shown_to_the_centers_instructor(dashboard: Dashboard) -> None:
    db = open_database(dashboard.db_path)
    now = time.time()
    refused = notice(NoticeKey.LIBRARY_REFUSED, now - 60, why=Why("버전 2: 서명이 달라요", "v2"))
    stopped = notice(NoticeKey.ROBOT_STOPPED, now - 5, robot="liku-1", why=Why("리모컨", "remote"))
    helped = notice(NoticeKey.HELP, now, kiosk="kiosk-1")
    for message in (refused, stopped, stopped, helped):  # a QoS 1 copy delivered twice
        record_notice(db, CENTER, message, message.model_dump_json().encode(), now)
    assert [key for _, key, _ in recent_notices(db, CENTER, "ko")] == [
        "robot_stopped",
        "library_refused",
    ]
    db.close()
    page = dashboard.client("kim").get(f"/centers/{CENTER}").text
    notices = page.split("경로당에서 온 알림")[1].split("</ul>")[0]
    assert notices.index("liku-1이(가) 비상 정지") < notices.index("새 수업 자료를 받지 않았어요")
    assert "서명이 달라요" in notices
    other = dashboard.client("lee").get(f"/centers/{OTHER}").text
    assert "아직 온 알림이 없어요" in other and "liku-1" not in other


def test_a_center_keeps_its_latest_notices_only(dashboard: Dashboard) -> None:
    db = open_database(dashboard.db_path)
    for n in range(KEEP_PER_CENTER + 20):
        message = notice(NoticeKey.CLASS_FINISHED, float(n), class_id=f"class-{n}")
        record_notice(db, CENTER, message, message.model_dump_json().encode(), float(n))
    kept = db.execute("SELECT count(*), min(at) FROM site_notices").fetchone()
    assert kept == (KEEP_PER_CENTER, 20.0)
    db.close()
