"""The whole path in a real browser (Debian chromium, driven by Playwright):

sign in → add a learner (reaches a kiosk's store through a real Mosquitto and the real sync
agent) → schedule a class (its center's schedule arrives retained) → a kiosk records
progress and a learner asks for help → the dashboard shows the progress, who is stuck, and
the help call, which is marked handled. Screenshots go to artifacts/dashboard/.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page, expect, sync_playwright

from central.site_monitor import SiteMonitor
from central.web.app import create_app
from central.web.settings import SEOUL, WebSettings
from kiosk_app.storage.store import Store
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol.class_messages import HelpCall, Schedule
from robot_bridge.protocol.wire import decode
from tests.central.web.conftest import CENTER, PASSWORD, seed
from tests.central.web.test_library_page import DAY, publish_versions, reached
from tests.central.web.test_set_aside import holding, kiosk_reports, set_aside_at_central
from tests.kiosk_app.test_sync_agent import Running, start_agent, start_intake
from tests.mosquitto import Broker, free_port
from tests.progress_events import walk
from tests.waiting import wait_for

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
SHOTS = Path("artifacts/dashboard")
KIOSK = "kiosk-1"


class Server:
    """The dashboard under uvicorn on a free port, in a thread."""

    def __init__(self, settings: WebSettings) -> None:
        self.port = free_port()
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        wait_for(lambda: self.server.started, timeout=10)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def page() -> Iterator[Page]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ko-KR")
        yield context.new_page()
        context.close()
        browser.close()


def sign_in(page: Page, url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{url}/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit].primary")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_instructor_path_end_to_end(tmp_path: Path, page: Page) -> None:
    broker = Broker(tmp_path / "broker").start()
    running = Running()
    db_path = tmp_path / "central.db"
    seed(db_path)
    store_path = tmp_path / f"{KIOSK}.db"
    store = Store.open(store_path, KIOSK)
    address = BrokerAddress.parse(broker.address)
    start_intake(running, db_path, broker)
    monitor = SiteMonitor(db_path, address, SEOUL)
    running.start(lambda: monitor.run(running.stop))
    start_agent(running, store_path, KIOSK, broker)
    site = MqttLink(address, "site-listener", [(Schedule.topic(CENTER), 1)])
    site.start()
    settings = WebSettings(db_path=db_path, secret_key="browser-test-secret" * 2)
    try:
        with Server(settings) as url:
            walk_the_dashboard(page, url, store, site)
    finally:
        site.stop()
        running.close()
        store.close()
        broker.stop()


def walk_the_dashboard(page: Page, url: str, store: Store, site: MqttLink) -> None:
    # sign in (a wrong password first: the message is shown, not a traceback)
    page.goto(f"{url}/")
    page.fill("#username", "kim")
    page.fill("#password", "wrong password")
    page.click("button[type=submit].primary")
    expect(page.locator("#login-error")).to_contain_text("맞지 않아요")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    expect(page.locator("#centers")).to_contain_text("강남 경로당")
    shot(page, "1-overview")

    # add a learner, typed in Korean; it reaches the kiosk's store through the sync agent
    page.goto(f"{url}/centers/{CENTER}/roster")
    page.fill("#name", "최복순")
    page.click("form[action$='/roster'] button")
    expect(page.locator(".flash")).to_contain_text("최복순 님을 추가했어요.")
    shot(page, "2-roster")
    wait_for(lambda: "최복순" in [learner.name for learner in store.learners()])

    # schedule a class in two minutes with robot r1; the day's schedule arrives retained
    page.goto(f"{url}/centers/{CENTER}/schedule/new")
    # lessons offered by track, as the kiosk's home shows them
    expect(page.locator("#lesson_id optgroup")).to_have_count(3)
    expect(
        page.locator("#lesson_id optgroup[label='기초'] option[value='phone-call']")
    ).to_have_count(1)
    start = datetime.fromtimestamp(time.time() + 120, SEOUL).strftime("%Y-%m-%dT%H:%M")
    page.select_option("#lesson_id", "phone-call")
    page.fill("#starts", start)
    page.fill("#other_robots", "r1")
    page.click("#class-form button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("수업을 저장했어요.")
    expect(page.locator("#week")).to_contain_text("전화 걸고 받기")
    shot(page, "3-schedule-week")
    wait_for(lambda: _scheduled_lessons(site) == ["phone-call"])

    # the same robot at the same time again: refused, with the reason by the field
    page.goto(f"{url}/centers/{CENTER}/schedule/new")
    page.select_option("#lesson_id", "video-call")
    page.fill("#starts", start)
    page.fill("#room", "2층")
    page.fill("#other_robots", "r1")
    page.click("#class-form button[type=submit]")
    expect(page.locator("#robots .field-error")).to_contain_text("로봇 r1은(는)")
    shot(page, "4-double-booked")

    # the kiosk records a struggling walk through a lesson, and a learner asks for help
    learner = next(ln for ln in store.learners() if ln.name == "최복순")
    events = walk(learner.id, wrong_taps=3, help_calls=2)
    shift = time.time() - events[-1].at  # the walk's clock starts at an arbitrary time
    store.record(e.model_copy(update={"at": e.at + shift}) for e in events)
    wait_for(lambda: store.status().unsynced == 0)
    help_call = HelpCall(kiosk=KIOSK, learner="최복순", step_index=2, at=time.time())
    site.publish(HelpCall.topic(CENTER), help_call.encode())

    page.goto(f"{url}/centers/{CENTER}/progress")
    expect(page.locator("#learners")).to_contain_text("최복순")
    expect(page.locator("#stuck")).to_contain_text("최복순")
    expect(page.locator(".chart svg")).to_be_visible()
    expect(page.locator("#tracks")).to_contain_text("기초")
    expect(page.locator("#learner-tracks")).to_contain_text("최복순")
    shot(page, "5-progress")

    page.goto(f"{url}/help")
    expect(page.locator("#help-list")).to_contain_text("kiosk-1 키오스크", timeout=15_000)
    shot(page, "6-help")
    page.click("#help-list button")
    expect(page.locator("#no-help")).to_be_visible()

    page.goto(f"{url}/centers/{CENTER}")
    expect(page.locator("#devices")).to_contain_text(KIOSK)
    shot(page, "7-center")


def _scheduled_lessons(site: MqttLink) -> list[str]:
    lessons: list[str] = []
    while not site.inbox.empty():
        lessons = [c.lesson_id for c in decode(Schedule, site.inbox.get()[1]).classes]
    return lessons


def test_set_aside_notice_is_visible(tmp_path: Path, page: Page) -> None:
    """Progress set aside at central (by the real intake) and on a kiosk (its status through
    the real site monitor's handler) shows as a notice an instructor cannot miss."""
    db_path = tmp_path / "central.db"
    seed(db_path)
    set_aside_at_central(db_path, CENTER, KIOSK)
    kiosk_reports(db_path, CENTER, KIOSK, holding(3, "rejected by central", 2))
    settings = WebSettings(db_path=db_path, secret_key="browser-test-secret" * 2)
    with Server(settings) as url:
        sign_in(page, url, "kim")
        expect(page.locator(f"#centers [data-center={CENTER}] .aside")).to_contain_text("5")
        shot(page, "8-overview-set-aside")
        page.goto(f"{url}/centers/{CENTER}")
        notice = page.locator("#set-aside-notice")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("중앙 서버가 받지 않고 따로 보관한 기록 2건")
        expect(notice).to_contain_text("위조")
        shot(page, "9-center-set-aside")
        notice.get_by_role("link").click()
        expect(page.locator("#set-aside-rows")).to_contain_text("키오스크 시계가 2024년보다")
        expect(page.get_by_role("link", name="보류된 기록")).to_have_attribute(
            "aria-current", "page"
        )
        shot(page, "10-set-aside-details")


def test_an_instructor_cancels_one_class_of_a_weekly_series(tmp_path: Path, page: Page) -> None:
    """Make a weekly class, cancel only next week's after the confirmation page: that week
    shows it cancelled, the weeks around it keep theirs, and English keeps the week shown."""
    db_path = tmp_path / "central.db"
    seed(db_path)
    settings = WebSettings(db_path=db_path, secret_key="browser-test-secret" * 2)
    first = datetime.fromtimestamp(time.time() + 86400, SEOUL).replace(hour=10, minute=0)
    second, third = first + timedelta(days=7), first + timedelta(days=14)
    with Server(settings) as url:
        sign_in(page, url, "kim")
        page.goto(f"{url}/centers/{CENTER}/schedule/new")
        page.select_option("#lesson_id", "phone-call")
        page.fill("#starts", first.strftime("%Y-%m-%dT%H:%M"))
        page.check("input[name=repeat][value=weekly]")
        page.fill("#other_robots", "r1")
        page.click("#class-form button[type=submit]")
        expect(page.locator(".flash")).to_contain_text("수업을 저장했어요.")

        page.goto(f"{url}/centers/{CENTER}/schedule?week={second.date().isoformat()}")
        page.locator("#week a.class-card").click()
        page.click("#cancel-class")
        expect(page.locator("#cancel-form")).to_contain_text(second.strftime("%Y-%m-%d %H:%M"))
        expect(page.locator("input[name=scope][value=one]")).to_be_checked()
        shot(page, "11-cancel-one-confirm")
        page.click("#cancel-form button.danger")
        expect(page.locator(".flash")).to_contain_text("수업을 취소했어요.")
        expect(page.locator("#week .class-card.cancelled")).to_contain_text("취소됨")
        expect(page.locator("#week a.class-card")).to_have_count(0)
        shot(page, "12-cancelled-one")

        page.click("button:has-text('English')")  # the language switch keeps the week shown
        expect(page).to_have_url(re.compile(rf"week={second.date().isoformat()}"))
        expect(page.locator("#week .class-card.cancelled")).to_contain_text("cancelled")
        for week in (first, third):
            page.goto(f"{url}/centers/{CENTER}/schedule?week={week.date().isoformat()}")
            expect(page.locator("#week a.class-card")).to_have_count(1)
            expect(page.locator("#week .class-card.cancelled")).to_have_count(0)


def test_an_admin_sees_a_kiosk_far_behind_on_the_library_page(tmp_path: Path, page: Page) -> None:
    """Three versions published (the latest two days ago); a kiosk still teaching version 1
    is marked on the library page, which breaks no rule of the strict CSP."""
    db_path = tmp_path / "central.db"
    seed(db_path)
    reached(db_path, publish_versions(tmp_path / "published", (5 * DAY, 3 * DAY, 2 * DAY)))
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    settings = WebSettings(db_path=db_path, secret_key="browser-test-secret" * 2)
    with Server(settings) as url:
        sign_in(page, url, "admin")
        page.click("nav a[href='/library']")
        expect(page.locator("#versions tbody tr").first).to_contain_text("지금 보내는 중")
        warned = page.locator("#far-behind")
        expect(warned).to_be_visible()
        expect(warned).to_contain_text("kiosk-2")
        expect(page.locator("#reach li.far")).to_contain_text("두 버전 이상 뒤처졌어요")
        expect(page.locator(f"#reach [data-center={CENTER}]")).to_contain_text("버전 3 있음")
        shot(page, "13-library")
        page.locator("#far-behind a").first.click()
        expect(page.locator("#devices [data-device=kiosk-2] .far-behind")).to_be_visible()
        shot(page, "14-center-kiosk-behind")
    assert not refused, refused


def test_a_new_help_call_is_announced_and_an_ended_session_asks_to_sign_in(
    tmp_path: Path, page: Page
) -> None:
    """On the open help list: a call that arrives counts in the page title and the badge
    (with a tone the instructor can turn off, kept across reloads); when the session ends,
    a sign-in prompt shows instead of the sign-in page inside the list."""
    from central.database import open_database
    from central.help_calls import record_help_call

    db_path = tmp_path / "central.db"
    seed(db_path)
    settings = WebSettings(db_path=db_path, secret_key="browser-test-secret" * 2)
    with Server(settings) as url:
        sign_in(page, url, "kim")
        page.goto(f"{url}/help")
        expect(page.locator("#help-sound")).to_have_text("알림음 켜짐 · 끄기")
        page.click("#help-sound")
        expect(page.locator("#help-sound")).to_have_text("알림음 꺼짐 · 켜기")
        page.reload()
        expect(page.locator("#help-sound")).to_have_text("알림음 꺼짐 · 켜기")
        expect(page.locator("#help-new")).to_be_hidden()

        db = open_database(db_path)
        call = HelpCall(kiosk=KIOSK, learner="최복순", at=time.time())
        record_help_call(db, CENTER, call, time.time())
        expect(page.locator("#help-new")).to_have_text("새 요청 1건", timeout=15_000)
        expect(page).to_have_title(re.compile(r"^\(1\) "))
        shot(page, "15-help-new-call")

        db.execute("DELETE FROM sessions")  # what logout and expiry do at the server
        expect(page.locator("#help-signed-out")).to_be_visible(timeout=15_000)
        expect(page.locator("#help-list")).to_be_hidden()
        expect(page).to_have_title("다시 로그인해 주세요")
        shot(page, "16-help-signed-out")
        db.close()
