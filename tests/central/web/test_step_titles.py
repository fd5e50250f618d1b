"""Who is stuck, and a learner's page, name a step by its number and first sentence from the
lesson library ("4단계: 딸에게 전화를 걸어 봐요."), not by its id (`dial-number`)."""

from __future__ import annotations

import time

from central.database import open_database
from central.step_titles import MAX_CHARS, step_titles
from lessons.library import load_library
from tests.central.web.conftest import CENTER, Dashboard


def stuck_on(dashboard: Dashboard, learner_id: str, step_id: str) -> None:
    now = time.time()
    db = open_database(dashboard.db_path)
    db.execute(
        "INSERT INTO lesson_summary VALUES (?, ?, 'phone-call', 1, 0, 0, 2, 5, 4, 3, 2, 0, 0, "
        "60, ?, ?, 2)",
        [CENTER, learner_id, now, now],
    )
    db.execute(
        "INSERT INTO step_summary VALUES (?, ?, 'phone-call', ?, 4, 2, 3)",
        [CENTER, learner_id, step_id],
    )


def test_every_step_of_the_library_has_a_short_title() -> None:
    lessons = load_library().lessons
    wanted = [(lesson.id, step.id) for lesson in lessons.values() for step in lesson.steps]
    for lang in ("ko", "en"):
        titles = step_titles(lessons, [*wanted, ("phone-call", "no-such-step")], lang)
        assert len(titles) == len(wanted)
        assert all(0 < len(text) <= MAX_CHARS and "[" not in text for _, text in titles.values())
    assert step_titles(lessons, [("phone-call", "dial-number")], "ko") == {
        ("phone-call", "dial-number"): (4, "딸에게 전화를 걸어 봐요.")
    }


def test_stuck_steps_are_named_by_their_title(dashboard: Dashboard) -> None:
    stuck_on(dashboard, dashboard.learner, "dial-number")
    kim = dashboard.client("kim")
    for path in (
        f"/centers/{CENTER}/progress",
        f"/centers/{CENTER}/learners/{dashboard.learner}",
    ):
        page = kim.get(path).text
        assert "4단계: 딸에게 전화를 걸어 봐요." in page, path
        assert '<span title="dial-number">' in page and ">dial-number<" not in page, path


def test_a_step_the_library_lacks_shows_its_id(dashboard: Dashboard) -> None:
    stuck_on(dashboard, dashboard.learner, "from-a-newer-lesson")
    page = dashboard.client("kim").get(f"/centers/{CENTER}/progress").text
    assert "from-a-newer-lesson" in page
