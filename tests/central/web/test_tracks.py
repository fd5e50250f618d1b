"""Progress by track on the progress page, and the schedule form's lessons by track."""

from __future__ import annotations

import re
import time

from central.database import open_database
from central.track_progress import LessonRow, by_track, learners_by_track, lessons_by_track
from lessons.library import load_library
from tests.central.web.conftest import CENTER, Dashboard


def summary(dashboard: Dashboard, lesson: str, completed: int, mastered: int) -> None:
    now = time.time()
    open_database(dashboard.db_path).execute(
        "INSERT INTO lesson_summary VALUES (?, ?, ?, 1, ?, ?, 2, 5, 4, 3, 2, 0, 0, 60, ?, ?, 2)",
        [CENTER, dashboard.learner, lesson, completed, mastered, now, now],
    )


def test_per_track_sums_in_teaching_order() -> None:
    lessons = load_library().lessons
    rows = [
        LessonRow("a", "phone-call", True, True, True),
        LessonRow("a", "phone-basics", True, True, False),
        LessonRow("b", "phone-call", True, False, False),
        LessonRow("a", "bank-transfer", True, True, True),
        LessonRow("a", "gone-lesson", True, True, True),  # not in the library any more
    ]
    tracks = by_track(rows, lessons)
    assert [t.track.id if t.track else None for t in tracks] == [
        "basics", "everyday", "safety", None,
    ]  # fmt: skip
    basics = tracks[0]
    assert (basics.learners, basics.started, basics.completed, basics.mastered) == (2, 3, 2, 1)
    assert basics.lessons == 9 and tracks[1].started == 0 and tracks[2].mastered == 1
    assert sum(t.lessons for t in tracks) == len(lessons)


def test_schedule_lessons_grouped_by_track() -> None:
    groups = lessons_by_track(load_library().lessons, "en")
    assert [name for name, _ in groups] == ["Basics", "Everyday life", "Advanced and safety"]
    assert groups[0][1][0][0] == "phone-basics"  # basics first, the first lesson first
    assert sum(len(members) for _, members in groups) == len(load_library().lessons)


def test_progress_page_shows_progress_by_track(dashboard: Dashboard) -> None:
    summary(dashboard, "phone-call", completed=1, mastered=1)
    summary(dashboard, "bank-transfer", completed=1, mastered=0)
    page = dashboard.client("kim").get(f"/centers/{CENTER}/progress").text
    assert "트랙별 진도" in page
    table = page[page.index('id="tracks"') : page.index("</table>", page.index('id="tracks"'))]
    cells = re.findall(r'<tr data-key="(\w*)">\s*<th scope="row">([^<]+)</th>\s*'
                       r"<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>",
                       table)  # fmt: skip
    assert cells == [
        ("basics", "기초", "9", "1", "1", "1", "1"),
        ("everyday", "생활", "19", "0", "0", "0", "0"),
        ("safety", "심화·안전", "8", "1", "1", "1", "0"),
    ]
    learners = page[page.index('id="learner-tracks"') :]
    assert "1 · 1 / 9" in learners and "1 · 0 / 8" in learners
    assert learners_by_track([], [], load_library().lessons) == []


def test_schedule_form_offers_lessons_by_track(dashboard: Dashboard) -> None:
    page = dashboard.client("kim").get(f"/centers/{CENTER}/schedule/new").text
    select = page[page.index('<select id="lesson_id"') : page.index("</select>")]
    assert re.findall(r'<optgroup label="([^"]+)">', select) == ["기초", "생활", "심화·안전"]
    basics = select[select.index('label="기초"') : select.index('label="생활"')]
    assert 'value="phone-basics"' in basics and 'value="bank-transfer"' not in basics
    assert select.count("<option value=") == len(load_library().lessons) + 1  # and "—"
