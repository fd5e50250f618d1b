"""The class console in a real browser (Debian chromium, Playwright): a new class state that
reaches central's table shows on the open page within a second, without reloading, under
the dashboard's strict Content-Security-Policy."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Page, expect

from central.class_groups import create_group
from central.class_states import record_class_state
from central.database import open_database
from central.roster import add_center
from central.web.settings import WebSettings
from robot_bridge.protocol.class_messages import ClassStatus
from tests.central.web.conftest import CENTER, OTHER, PASSWORD, seed
from tests.central.web.test_browser import SHOTS, Server, page, shot
from tests.central.web.test_class_console import console_url, state_of

__all__ = ["page"]  # the browser fixture
LIVE_SECONDS = 1.0  # what the console promises


def test_the_console_shows_a_new_state_live(tmp_path: Path, page: Page) -> None:
    db_path = tmp_path / "central.db"
    seed(db_path)
    db = open_database(db_path)
    record_class_state(db, CENTER, state_of("morning"), time.time())
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "favicon" not in m.location.get("url", "")
            else None
        ),
    )
    settings = WebSettings(db_path=db_path, secret_key="browser-test-secret" * 2)
    with Server(settings) as url:
        page.goto(f"{url}{console_url('morning')}")
        page.fill("#username", "kim")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit].primary")
        expect(page.locator("#class-state")).to_contain_text("3 / 9단계")
        expect(page.locator("button[data-action=resume]")).to_be_disabled()
        page.wait_for_timeout(700)  # a poll or two that find nothing new
        paused = state_of("morning", status=ClassStatus.PAUSED, paused_reason="instructor",
                          step_index=3, step_id="dial-number", at=time.time())  # fmt: skip
        record_class_state(db, CENTER, paused, time.time())
        changed = time.monotonic()
        expect(page.locator("#class-state")).to_contain_text("4 / 9단계", timeout=2000)
        seen = time.monotonic() - changed
        expect(page.locator("#class-state")).to_contain_text("잠시 멈춤")
        expect(page.locator("button[data-action=resume]")).to_be_enabled()
        expect(page.locator("button[data-action=pause]")).to_be_disabled()
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot(page, "class-console")
        # an announcement from the console's own form (no link to a broker here: the
        # console says it was not sent, and the audit says so too)
        page.fill("#announce-text", "5분 쉬었다 할게요.")
        page.click("button[data-action=announce]")
        expect(page.locator("main")).to_contain_text("'안내 말하기'을(를) 보내지 못했어요")
        expect(page.locator("#goto-step")).to_have_value("4")  # the step the class is on
        page.set_viewport_size({"width": 800, "height": 1280})  # a 10-inch tablet, upright
        shot(page, "class-console-tablet")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, "the console is wider than a tablet's screen"
    db.close()
    assert seen < LIVE_SECONDS, f"the new state showed after {seen:.2f} s"
    assert not problems, problems  # a CSP violation is reported as a console error


def test_the_console_of_a_class_across_centers_fits_a_tablet(tmp_path: Path, page: Page) -> None:
    """Three centers side by side, one cut off, one behind; a new state shows live."""
    db_path = tmp_path / "central.db"
    seed(db_path)
    db = open_database(db_path)
    add_center(db, "mapo-2", "마포 행복 경로당")
    centers = [CENTER, OTHER, "mapo-2"]
    create_group(db, "now-0a1b2c3d4e", centers)
    now = time.time()
    for center, step, ago in ((CENTER, 4, 1.0), (OTHER, 2, 1.0), ("mapo-2", 3, 40.0)):
        state = state_of(
            "now-0a1b2c3d4e", step_index=step, step_kind="say", heartbeat=5.0, at=now - ago
        )
        record_class_state(db, center, state, now - ago)
    settings = WebSettings(db_path=db_path, secret_key="browser-test-secret" * 2)
    with Server(settings) as url:
        page.goto(f"{url}/classes/now-0a1b2c3d4e")
        page.fill("#username", "admin")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit].primary")
        rows = page.locator("#class-centers tbody tr")
        expect(rows).to_have_count(3)
        expect(page.locator("tr[data-center=mapo-2]")).to_contain_text("연결 끊김, 자체 진행 중")
        expect(page.locator(f"tr[data-center={OTHER}]")).to_contain_text("2단계 뒤처짐")
        caught_up = state_of(
            "now-0a1b2c3d4e", step_index=4, step_kind="say", heartbeat=5.0, at=time.time()
        )
        record_class_state(db, OTHER, caught_up, time.time())
        expect(page.locator(f"tr[data-center={OTHER}]")).not_to_contain_text("뒤처짐", timeout=2000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot(page, "class-group-console")
        page.set_viewport_size({"width": 800, "height": 1280})  # a 10-inch tablet, upright
        shot(page, "class-group-console-tablet")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, "the console is wider than a tablet's screen"
    db.close()
