"""The live class console through the real deploy/ path: the dashboard (`sarangbang-central
serve --broker`, a process) sends the instructor's controls through central's broker (TLS,
passwords, the real ACL), a center's bridge (the real site-bridge.conf) carries them to the
center's class runner, which teaches with a simulated robot; the class's state comes back
the same way into central's table, which the console reads."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from central.class_form import ClassDraft
from central.database import open_database
from robot_bridge.protocol.class_messages import ClassStatus
from tests.deploy.class_city import PASSWORD, ClassCity
from tests.deploy.instructor import Instructor, console

CENTER = "gangnam-1"
# The practice step waits this long for kiosks (there are none): long enough that the class
# sits on it while the test steers, short enough that a stuck test shows quickly.
PRACTICE_SECONDS = 60


@pytest.fixture
def scheduled(tmp_path: Path) -> Iterator[tuple[ClassCity, str, Instructor]]:
    """Central (broker, dashboard with its site monitor), one center (broker bridged to
    central, class runner, simulated robot r1) and a class of that center scheduled for an
    hour from now, its console open in `kim`'s browser."""
    with ClassCity(tmp_path, [(CENTER, "강남 경로당")], practice_seconds=PRACTICE_SECONDS) as city:
        draft = ClassDraft("phone-call", time.time() + 3600, 60, False, "교실", ("r1",), None, "ko")
        class_id = city.schedule(CENTER, draft)
        instructor = Instructor(city.url, "kim", PASSWORD)
        assert "강남 경로당" in instructor.sign_in()
        page = console(CENTER, class_id)
        city.wait_for(lambda: 'id="no-link"' not in instructor.get(page), "its link")
        yield city, class_id, instructor


def test_the_instructors_controls_reach_the_runner_and_its_state_comes_back(
    scheduled: tuple[ClassCity, str, Instructor],
) -> None:
    city, class_id, instructor = scheduled
    page = console(CENTER, class_id)

    def state_is(status: ClassStatus, step: int) -> Callable[[], bool]:
        def holds() -> bool:
            state = city.state(CENTER, class_id)
            return state is not None and (state.status, state.step_index) == (status, step)

        return holds

    instructor.press(page, "start")  # an hour early: "start now"
    # two narration steps (the robot says them at once), then the first practice, which
    # waits for kiosks: the class sits there until the instructor moves it on
    city.wait_for(state_is(ClassStatus.RUNNING, 2), "the class running, at its first practice")
    started = city.state(CENTER, class_id)
    assert started is not None and started.robots == {"r1": "ready"}
    instructor.press(page, "next")
    city.wait_for(state_is(ClassStatus.RUNNING, 3), "the next step")
    instructor.press(page, "pause")
    city.wait_for(state_is(ClassStatus.PAUSED, 3), "the class paused")
    live = instructor.live(page)
    assert "잠시 멈춤" in str(live["html"]) and "4 / 9단계" in str(live["html"])
    offered = live["offered"]
    assert isinstance(offered, list) and "resume" in offered and "pause" not in offered
    instructor.press(page, "announce", text="5분 쉬었다 할게요.")
    city.wait_for(
        lambda: (
            (s := city.state(CENTER, class_id)) is not None and s.lines == ["오 분 쉬었다 할게요."]
        ),
        "the announcement, said while paused",
    )
    instructor.press(page, "goto", step="2")  # back to the second step (shown from 1)
    city.wait_for(state_is(ClassStatus.PAUSED, 1), "the class at the step chosen")
    instructor.press(page, "estop", robot="r1")
    city.wait_for(
        lambda: (
            (s := city.state(CENTER, class_id)) is not None
            and s.robots == {"r1": "offline"}
            and s.paused_reason == "emergency_stop"
        ),
        "the robot stopped",
    )
    instructor.press(page, "stop")
    city.wait_for(state_is(ClassStatus.STOPPED, 1), "the class ended")
    db = open_database(city.db_path)
    audit = db.execute("SELECT action, username, outcome FROM class_actions ORDER BY id")
    done = ("start", "next", "pause", "announce", "goto", "estop", "stop")
    assert audit.fetchall() == [(action, "kim", "sent") for action in done]
    db.close()
