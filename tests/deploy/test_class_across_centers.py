"""One class in three centers, steered from one console (issue #16), every part a real
process: central's broker and dashboard, and per center a site broker bridged over TLS, a
class runner and a simulated robot (tests/deploy/class_city.py).

In Chromium an instructor starts the class at the three centers from the overview, sees a
kiosk's reports arrive live, moves every center on together, pauses, announces and stops
one center's robot; an instructor of one of the centers is refused the class's console.
Then a center's bridge is cut mid-class: it teaches on by itself, the console says so, and
when the link is back it rejoins the shared step, the class finishes in every center and
every progress event recorded meanwhile is stored once."""

from __future__ import annotations

import re
import threading
import urllib.error
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from central.class_groups import STALE_SECONDS
from kiosk_app.storage.store import Store
from robot_bridge.classes.class_client import ClassClient
from robot_bridge.classes.class_follower import ClassUpdate
from robot_bridge.protocol.class_messages import ClassStatus, Desk
from tests.central.web.test_browser import page, shot
from tests.deploy.city import spawn_agent, spawn_intake
from tests.deploy.class_city import PASSWORD, ClassCity
from tests.deploy.instructor import Instructor
from tests.deploy.test_city_sync import central_counts, record_walks

__all__ = ["page"]  # the browser fixture
CENTERS = [("gangnam-1", "강남 경로당"), ("jongno-1", "종로 경로당"), ("mapo-1", "마포 경로당")]
FIRST_PRACTICE = 2  # phone-call: two narration steps, then practices at 2 and 3, …
FINISH_SECONDS = 90.0  # the rest of a class, practices done at once, on a busy machine


def test_an_instructor_steers_one_class_in_three_centers(tmp_path: Path, page: Page) -> None:
    with ClassCity(tmp_path, CENTERS) as city:
        page.goto(f"{city.url}/")
        page.fill("#username", "kim")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit].primary")
        page.click("#start-together summary")
        page.select_option("#together-lesson", "phone-call")
        for center, _ in CENTERS:
            page.check(f'#start-together input[value="{center}"]')
        page.click("#start-together button[type=submit]")
        expect(page.locator("main")).to_contain_text("경로당 3곳 중 3곳에 보냈어요.")
        class_id = page.url.rsplit("/", 1)[-1]
        rows = {c: page.locator(f'#class-centers tr[data-center="{c}"]') for c, _ in CENTERS}
        for row in rows.values():  # each center's runner, its state back through its bridge
            expect(row).to_contain_text("3 / 9단계", timeout=30_000)

        kiosk = city.kiosk("gangnam-1", "k1")  # a kiosk's reports, live on the console
        kiosk.join(class_id)
        kiosk.status(Desk(learner="김영희"))
        expect(rows["gangnam-1"]).to_contain_text("1대 중 0대 연습 마침", timeout=5000)
        kiosk.practice_done()  # its only kiosk is done: gangnam-1 goes on by itself
        expect(rows["gangnam-1"]).to_contain_text("4 / 9단계", timeout=5000)
        expect(rows["mapo-1"]).to_contain_text("1단계 뒤처짐")

        page.click("button[data-action=next]")  # every center to the lead's next step
        for row in rows.values():  # 5 is narration; the class goes on to the practice at 6
            expect(row).to_contain_text("6 / 9단계", timeout=15_000)
        expect(page.locator("#class-centers")).not_to_contain_text("뒤처짐")
        page.click("button[data-action=pause]")
        for row in rows.values():
            expect(row).to_contain_text("잠시 멈춤", timeout=10_000)
        page.fill("#announce-text", "5분 쉬었다 할게요.")
        page.click("button[data-action=announce]")
        expect(page.locator("#class-actions")).to_contain_text("5분 쉬었다 할게요.")
        expect(page.locator("#class-actions li").first).to_contain_text("3곳 중 3곳에 보냄")
        rows["mapo-1"].locator("button[data-action=estop]").click()  # mapo-1's robot alone
        expect(page).to_have_url(f"{city.url}/classes/{class_id}")
        expect(rows["mapo-1"]).to_contain_text("비상 정지로 멈춤", timeout=10_000)
        expect(rows["gangnam-1"]).not_to_contain_text("비상 정지")
        shot(page, "class-across-centers")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow

        lee = city.instructor("lee")  # teaches gangnam-1 only: not the class of three
        console = f"/classes/{class_id}"
        assert lee.status(console) == 404 and lee.status(f"{console}/live") == 404
        token = lee.token("/centers/gangnam-1")
        for action in ("next", "back", "repeat", "pause", "resume", "stop", "estop"):
            assert refused(lee, f"{console}/control", {"action": action, "csrf_token": token})
        state = city.state("jongno-1", class_id)
        assert state is not None and state.status is ClassStatus.PAUSED  # not stopped by lee


def refused(instructor: Instructor, path: str, form: dict[str, str]) -> bool:
    try:
        instructor.post(path, form)
    except urllib.error.HTTPError as answer:
        with answer:
            return answer.code == 404
    return False


class Learner:
    """A kiosk in class that finishes each practice and quiz at once, on the steps it is
    allowed to (those before `until`)."""

    def __init__(self) -> None:
        self.until = 0
        self.moved = threading.Condition()
        self.client: ClassClient | None = None

    def allow(self, until: int) -> None:
        with self.moved:
            self.until = until
            self.moved.notify_all()

    def seen(self, update: ClassUpdate) -> None:
        if update.new_step and update.state.step_kind != "say":
            step = update.state.step_index
            threading.Thread(target=self._practise, args=(step,), daemon=True).start()

    def _practise(self, step: int) -> None:
        with self.moved:
            self.moved.wait_for(lambda: step < self.until)
        assert self.client is not None
        self.client.practice_done()


def test_a_center_cut_off_mid_class_rejoins_and_the_class_finishes_everywhere(
    tmp_path: Path,
) -> None:
    with ClassCity(tmp_path, CENTERS, cuttable=True) as city:
        intake = spawn_intake(city.central, city.db_path, tmp_path / "intake.log")
        agents, stores, recorded = [], [], 0
        learners = {c: Learner() for c, _ in CENTERS}
        try:
            for center, _ in CENTERS:
                config = city.centers[center].site.kiosk_config(f"{center}-desk")
                data = config.parent / f"{config.stem}-data" / "kiosk.db"
                stores.append(Store.open(data, config.stem))
                agents.append(spawn_agent(config, tmp_path / f"{center}-agent.log"))
                recorded += record_walks(stores[-1], 2, f"{center}-a")
            kim = city.instructor("kim")
            form = [("lesson", "phone-call"), ("lang", "ko"), ("csrf_token", kim.token("/"))]
            started = kim.post("/classes", form + [("center", c) for c, _ in CENTERS])
            found = re.search(r'data-live="/classes/([^/"]+)/live"', started)
            assert found, started
            class_id = found.group(1)
            for center, learner in learners.items():
                learner.client = city.kiosk(center, f"{center}-k", learner.seen)
                learner.client.join(class_id)
            for center, _ in CENTERS:
                city.wait_for(at(city, center, class_id, FIRST_PRACTICE), f"{center} in class")

            city.cut("mapo-1")
            recorded += record_walks(stores[2], 3, "mapo-1-b")  # held at the site meanwhile
            for center in ("gangnam-1", "jongno-1"):  # on to the next practice, by themselves
                learners[center].allow(FIRST_PRACTICE + 1)
                city.wait_for(at(city, center, class_id, 3), f"{center} at the next step")
            console = f"/classes/{class_id}"
            city.wait_for(
                lambda: 'data-standing="on_its_own"' in str(kim.live(console)["html"]),
                "the console showing mapo-1 cut off",
                STALE_SECONDS + 15,
            )
            live = str(kim.live(console)["html"])
            assert "연결 끊김, 자체 진행 중" in live and "1단계 뒤처짐" in live
            assert city.site_state("mapo-1", class_id).step_index == FIRST_PRACTICE  # type: ignore[union-attr]

            city.restore("mapo-1")  # no control pressed meanwhile: central realigns it
            city.wait_for(at(city, "mapo-1", class_id, 3), "mapo-1 sent to the lead's step")
            assert "is back, sent to the lead's step 3" in (tmp_path / "dashboard.log").read_text()
            city.wait_for(
                lambda: 'data-standing="on_its_own"' not in str(kim.live(console)["html"]),
                "the console showing mapo-1 linked again",
            )
            for learner in learners.values():
                learner.allow(99)
            for center, _ in CENTERS:
                finished = ended(city, center, class_id)
                city.wait_for(finished, f"the class finished at {center}", FINISH_SECONDS)
            city.wait_for(lambda: central_counts(city.db_path) == (recorded, recorded),
                          "every event at central, once", FINISH_SECONDS)  # fmt: skip
        finally:
            for process in [intake, *agents]:
                process.terminate()
                process.wait(10)
            for store in stores:
                store.close()


def at(city: ClassCity, center: str, class_id: str, step: int) -> Callable[[], bool]:
    """Whether central's copy of the center's class is at `step`."""

    def holds() -> bool:
        state = city.state(center, class_id)
        return state is not None and state.step_index == step

    return holds


def ended(city: ClassCity, center: str, class_id: str) -> Callable[[], bool]:
    """Whether central's copy of the center's class says it finished."""

    def holds() -> bool:
        state = city.state(center, class_id)
        return state is not None and state.status is ClassStatus.FINISHED

    return holds
