"""One class in three centers at once, each center's bridge cuttable: a center cut off from
central keeps teaching from its own runner, and central hears it again once the link is
back (issue #16, "classes across centers")."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from robot_bridge.classes.class_follower import ClassUpdate
from robot_bridge.protocol.class_messages import ClassControl, ClassStatus, ControlAction
from tests.deploy.class_city import ClassCity
from tests.deploy.instructor import console
from tests.waiting import POLL_SECONDS

CENTERS = [("gangnam-1", "강남 경로당"), ("mapo-1", "마포 경로당"), ("jongno-1", "종로 경로당")]
CLASS = "together"  # the same class id in every center
FIRST_PRACTICE = 2  # phone-call: two narration steps, then a practice that waits for kiosks
# The bridge retries every 1–3 s (site-bridge.conf.in): back well within this once restored.
RETURN_SECONDS = 30.0
CUT_SECONDS = 4.0


def test_a_center_cut_off_teaches_on_and_central_hears_it_again_once_restored(
    tmp_path: Path,
) -> None:
    with ClassCity(tmp_path, CENTERS, cuttable=True) as city:
        start = ClassControl(
            action=ControlAction.START, lesson_id="phone-call", robots=["r1"], by="test"
        )
        for center, _ in CENTERS:
            city.control(center, CLASS, start)
        for center, _ in CENTERS:
            city.wait_for(at_central(city, center, FIRST_PRACTICE), f"the class at {center}")
        cut_off, linked = "mapo-1", "jongno-1"
        updates: list[ClassUpdate] = []
        kiosk = city.kiosk(cut_off, "k1", updates.append)
        kiosk.join(CLASS)
        city.wait_for(lambda: bool(updates) and in_class(city, cut_off, "k1"), "k1 in class")
        city.wait_for(settled(city, cut_off), "central up to date with the center")

        city.cut(cut_off)
        frozen = city.state(cut_off, CLASS)
        assert frozen is not None and frozen.step_index == FIRST_PRACTICE
        kiosk.practice_done()  # k1 is the class's only kiosk there: the class moves on
        city.wait_for(
            lambda: (
                (s := city.site_state(cut_off, CLASS)) is not None and s.step_index > FIRST_PRACTICE
            ),
            "the cut-off center teaching on at its own pace",
        )
        other = city.kiosk(linked, "k2")  # a center still linked is heard all the while
        other.join(CLASS)
        city.wait_for(lambda: in_class(city, linked, "k2"), "k2 in class, at central")
        # long enough for the bridge to try again (every 1–3 s) and be refused while cut
        assert stays(lambda: city.state(cut_off, CLASS) == frozen, CUT_SECONDS), (
            "central heard a center that is cut off"
        )

        city.restore(cut_off)
        city.wait_for(settled(city, cut_off), "central hearing the center again", RETURN_SECONDS)
        back = city.state(cut_off, CLASS)
        assert back is not None and back.status is ClassStatus.RUNNING
        assert back.step_index > FIRST_PRACTICE
        city.wait_for(settled(city, "gangnam-1"), "the untouched center as it was")
        # kim teaches every center, lee only the first
        page = console(cut_off, CLASS)
        assert "마포 경로당" in city.instructor("kim").get(page)
        assert city.instructor("lee").status(page) == 404


def at_central(city: ClassCity, center: str, step: int) -> Callable[[], bool]:
    """Whether central's copy of the center's class is running at `step`."""

    def holds() -> bool:
        state = city.state(center, CLASS)
        return (
            state is not None and state.status is ClassStatus.RUNNING and state.step_index == step
        )

    return holds


def stays(condition: Callable[[], bool], seconds: float) -> bool:
    """Whether `condition` holds all through the next `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not condition():
            return False
        time.sleep(POLL_SECONDS)
    return condition()


def settled(city: ClassCity, center: str) -> Callable[[], bool]:
    """Whether central's copy of the center's class is what the center's runner said last."""

    def holds() -> bool:
        said = city.site_state(center, CLASS)
        return said is not None and city.state(center, CLASS) == said

    return holds


def in_class(city: ClassCity, center: str, kiosk: str) -> bool:
    """Whether central's copy of the center's class lists the kiosk."""
    state = city.state(center, CLASS)
    return state is not None and kiosk in state.kiosks
