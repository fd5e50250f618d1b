"""Progress set aside reaches the instructor: a notice on the center's page, a details page
and the API, for those who may see the center (issue 18). Rows are written by the real
intake, kiosk statuses by the real site monitor's handler, on a real SQLite file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from central.database import open_database
from central.intake import store_batch, take_in
from central.site_monitor import SiteMonitor
from central.web.settings import SEOUL
from kiosk_app.sync.sync_agent import SyncStatus
from robot_bridge.link.mqtt_link import BrokerAddress
from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import OutboxEvent, SyncBatch
from tests.central.web.conftest import CENTER, OTHER, Dashboard, post
from tests.progress_events import walk

# A reason as a tampered kiosk might report it: a bidi override (shows "evil" as "live")
# and a bell; the page must show neither.
FORGED_REASON = "rejected by central: \u202eevil\u0007 <b>bold</b>"


def set_aside_at_central(db_path: Path, center: str, kiosk: str) -> None:
    """Through the real intake: one event with a clock from 2000, and one unreadable batch."""
    db = open_database(db_path)
    events = walk("guest-1")[:2]  # a learner on no roster: stored, marked
    reset_clock = events[0].model_copy(update={"at": 946_684_800.0})  # 2000-01-01
    recent = events[1].model_copy(update={"at": time.time() - 60})
    batch = SyncBatch(
        center=center,
        kiosk=kiosk,
        batch_id="b1",
        first_seq=1,
        last_seq=2,
        events=[OutboxEvent(seq=1, event=reset_clock), OutboxEvent(seq=2, event=recent)],
    )
    assert store_batch(db, batch, now=time.time()).reason
    bad = b'{"batch_id": "b2", "first_seq": 3, "last_seq": 4, "events": "nope"}'
    (ack,) = take_in(db, [(topics.sync_batch(center, kiosk), bad)], now=time.time())
    assert ack.status == "rejected"
    db.close()


def kiosk_reports(db_path: Path, center: str, kiosk: str, status: SyncStatus) -> None:
    """Through the real site monitor's handler, as a retained status would arrive."""
    monitor = SiteMonitor(db_path, BrokerAddress.parse("127.0.0.1:1"), SEOUL)
    db = open_database(db_path)
    monitor.handle(db, topics.sync_status(center, kiosk), status.to_json(), replay=False)
    db.close()


def holding(set_aside: int, reason: str | None, ignored_acks: int = 0) -> SyncStatus:
    return SyncStatus(
        backlog=0,
        lag_seconds=0.0,
        synced_up_to=10,
        resends=0,
        connected=True,
        set_aside=set_aside,
        set_aside_reason=reason,
        ignored_acks=ignored_acks,
    )


@pytest.fixture
def set_aside(dashboard: Dashboard) -> Dashboard:
    set_aside_at_central(dashboard.db_path, CENTER, "kiosk-1")
    kiosk_reports(dashboard.db_path, CENTER, "kiosk-1", holding(0, None))
    kiosk_reports(dashboard.db_path, CENTER, "kiosk-2", holding(3, FORGED_REASON, 4))
    big = "event of 600,000 bytes, over the 500,000-byte batch limit"
    kiosk_reports(dashboard.db_path, OTHER, "kiosk-9", holding(7, big, 9))
    set_aside_at_central(dashboard.db_path, OTHER, "kiosk-9")
    return dashboard


def test_center_page_tells_the_instructor_what_was_set_aside(set_aside: Dashboard) -> None:
    page = set_aside.client("kim").get(f"/centers/{CENTER}").text
    notice = page.split('id="set-aside-notice"')[1].split("</section>")[0]
    assert "중앙 서버가 받지 않고 따로 보관한 기록 2건" in notice
    assert "키오스크가 보내지 못하고 따로 보관한 기록 3건" in notice
    assert "위조하고 있을 수 있어요" in notice and "확인 메시지 4건" in notice
    assert "기록은 지워지지 않았어요" in notice
    assert f'href="/centers/{CENTER}/set-aside"' in notice
    devices = page.split('id="devices"')[1].split("</table>")[0]
    assert "보내지 못하고 보관한 기록 3건" in devices  # kiosk-2's own pile
    assert "중앙 서버가 보류한 기록 2건" in devices  # kiosk-1's rows at central
    # the other center's kiosk and counts never show
    assert "kiosk-9" not in page and "7건" not in page


def test_details_list_each_row_in_plain_words_without_control_characters(
    set_aside: Dashboard,
) -> None:
    page = set_aside.client("kim").get(f"/centers/{CENTER}/set-aside").text
    rows = page.split('id="set-aside-rows"')[1].split("</table>")[0]
    assert "키오스크 시계가 2024년보다 이전으로 되어 있어요" in rows
    assert "중앙 서버가 읽을 수 없는 형식이에요" in rows
    assert "기록 묶음 3–4번" in rows and "학습 기록 " in rows
    kiosks = page.split('id="set-aside-kiosks"')[1].split("</table>")[0]
    assert "kiosk-2" in kiosks and "중앙 서버가 받지 않았어요" in kiosks
    assert "\u202e" not in page and "\u0007" not in page
    assert "\ufffdevil\ufffd" in kiosks
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in kiosks
    marked = page.split('id="marked"')[1].split("</ul>")[0]
    assert "명단에 없는 학습자의 기록이에요" in marked and "1건" in marked


def test_overview_marks_the_center_and_the_forged_acks(set_aside: Dashboard) -> None:
    page = set_aside.client("kim").get("/").text
    row = page.split(f'data-center="{CENTER}"')[1].split("</tr>")[0]
    assert f'href="/centers/{CENTER}/set-aside"' in row
    assert "</span> 5</a>" in row  # 2 rows at central + 3 events on kiosk-2
    assert "확인 메시지 4건" in row
    api = set_aside.client("kim").get("/api/v1/centers").json()["centers"][0]
    assert (api["set_aside"], api["kiosk_set_aside"], api["ignored_acks"]) == (2, 3, 4)


def test_api_answers_the_same_with_the_same_permissions(set_aside: Dashboard) -> None:
    kim = set_aside.client("kim")
    report = kim.get(f"/api/v1/centers/{CENTER}/set-aside").json()
    assert report["central_rows"] == 2
    assert {r["reason_key"] for r in report["at_central"]} == {
        "aside_clock_behind",
        "aside_unreadable",
    }
    assert [(m["flag"], m["events"]) for m in report["marked"]] == [("learner-not-on-roster", 1)]
    (kiosk,) = report["kiosks"]
    assert (kiosk["device"], kiosk["set_aside"], kiosk["ignored_acks"]) == ("kiosk-2", 3, 4)
    assert "\u202e" not in kiosk["set_aside_reason"]
    assert kim.get(f"/api/v1/centers/{OTHER}/set-aside").status_code == 404
    assert kim.get(f"/centers/{OTHER}/set-aside").status_code == 404
    lee = set_aside.client("lee").get(f"/api/v1/centers/{OTHER}/set-aside").json()
    assert lee["central_rows"] == 2 and lee["kiosks"][0]["set_aside_reason_key"] == "aside_too_big"


def test_english_and_nothing_set_aside(dashboard: Dashboard) -> None:
    kim = dashboard.client("kim")
    assert 'id="set-aside-notice"' not in kim.get(f"/centers/{CENTER}").text
    assert "보류된 기록이 없어요." in kim.get(f"/centers/{CENTER}/set-aside").text
    set_aside_at_central(dashboard.db_path, CENTER, "kiosk-1")
    post(kim, "/lang", {"lang": "en", "next": "/"})
    page = kim.get(f"/centers/{CENTER}").text
    assert "2 records central set aside" in page
    # the unreadable batch came last
    assert "Latest reason: Central could not read it (check the kiosk&#39;s software)." in page
    assert "Nothing is lost" in page
