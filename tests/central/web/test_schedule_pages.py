"""The schedule's pages: cancel one occurrence of a weekly class (asked first, CSRF-checked),
or it and the later ones; change a weekly class that has met; a class that is over."""

from __future__ import annotations

import re
import time
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from central.class_form import ClassDraft
from central.database import open_database
from central.schedule import between, save_class, todays_schedule
from central.schedule_rules import WEEK_SECONDS
from central.web.settings import SEOUL
from tests.central.web.conftest import CENTER, Dashboard, csrf_of, post
from tests.central.web.test_forms import class_form

SCHEDULE = f"/centers/{CENTER}/schedule"
HOUR = 3600.0


def stored(dashboard: Dashboard, starts_at: float, weekly: bool = True) -> str:
    """A class stored directly (the form refuses a start in the past)."""
    db = open_database(dashboard.db_path)
    draft = ClassDraft("phone-call", starts_at, 60, weekly, "교실", ("r1",), None, "ko")
    class_id = save_class(db, CENTER, draft, now=starts_at - HOUR)
    assert isinstance(class_id, str)
    return class_id


def week_of(at: float) -> str:
    return datetime.fromtimestamp(at, SEOUL).date().isoformat()


def occurrences(dashboard: Dashboard, first: float, weeks: int) -> list[tuple[int, bool]]:
    db = open_database(dashboard.db_path)
    found = between(db, CENTER, first - HOUR, first + weeks * WEEK_SECONDS, with_cancelled=True)
    return [(round((o.at - first) / WEEK_SECONDS), o.cancelled) for o in found]


@pytest.fixture
def kim(dashboard: Dashboard) -> TestClient:
    return dashboard.client("kim")


def test_one_occurrence_is_cancelled_after_a_confirmation(
    dashboard: Dashboard, kim: TestClient
) -> None:
    first = (int(time.time()) // 3600 + 26) * 3600.0  # tomorrow or so, on the hour
    class_id = stored(dashboard, first)
    second = first + WEEK_SECONDS
    week = kim.get(SCHEDULE, params={"week": week_of(second)}).text
    card = f"{SCHEDULE}/{class_id}?at={int(second)}"
    assert card in week
    assert f"/cancel?at={int(second)}" in kim.get(card).text
    confirm = kim.get(f"{SCHEDULE}/{class_id}/cancel", params={"at": int(second)}).text
    assert "수업만 취소해요." in confirm and "그 뒤의 수업을 모두 취소해요." in confirm
    assert occurrences(dashboard, first, 3) == [(0, False), (1, False), (2, False)]
    without_token = kim.post(
        f"{SCHEDULE}/{class_id}/cancel", data={"at": int(second), "scope": "one"}
    )
    assert without_token.status_code == 403
    done = post(kim, f"{SCHEDULE}/{class_id}/cancel", {"at": int(second), "scope": "one"})
    assert done.status_code == 303 and done.headers["location"].endswith(week_of(second))
    page = kim.get(done.headers["location"]).text
    assert "수업을 취소했어요." in page and 'data-cancelled="1"' in page and "취소됨" in page
    assert occurrences(dashboard, first, 3) == [(0, False), (1, True), (2, False)]
    db = open_database(dashboard.db_path)
    assert todays_schedule(db, CENTER, second - 60, SEOUL).classes == []


def test_this_and_later_keeps_what_happened(dashboard: Dashboard, kim: TestClient) -> None:
    first = (int(time.time()) // 3600 - 2 * 168) * 3600.0  # met twice, two weeks ago and last
    class_id = stored(dashboard, first)
    coming = first + 3 * WEEK_SECONDS
    confirm = kim.get(f"{SCHEDULE}/{class_id}/cancel").text  # the next occurrence by default
    assert f'name="at" value="{int(coming)}"' in confirm
    done = post(kim, f"{SCHEDULE}/{class_id}/cancel", {"at": int(coming), "scope": "later"})
    assert done.status_code == 303
    assert "수업부터 모두 취소했어요." in kim.get(done.headers["location"]).text
    assert occurrences(dashboard, first, 6) == [(0, False), (1, False), (2, False)]
    assert class_id in kim.get(SCHEDULE, params={"week": week_of(first)}).text


def test_a_class_that_started_cannot_be_cancelled(dashboard: Dashboard, kim: TestClient) -> None:
    first = (int(time.time()) // 3600 - 168) * 3600.0
    class_id = stored(dashboard, first)
    refused = post(kim, f"{SCHEDULE}/{class_id}/cancel", {"at": int(first), "scope": "one"})
    assert refused.status_code == 422 and "이미 시작한 수업은" in refused.text
    for at in ("", "12", "9" * 40, str(int(first) + 60)):
        bad = post(kim, f"{SCHEDULE}/{class_id}/cancel", {"at": at, "scope": "later"})
        assert bad.status_code == 422 and "이 수업이 없어요" in bad.text, at
    assert occurrences(dashboard, first, 3) == [(0, False), (1, False), (2, False)]


def test_a_weekly_class_that_met_is_changed_from_its_next_occurrence(
    dashboard: Dashboard, kim: TestClient
) -> None:
    first = (int(time.time()) // 3600 - 168 - 24) * 3600.0  # met twice
    class_id = stored(dashboard, first)
    coming = first + 2 * WEEK_SECONDS
    edit = kim.get(f"{SCHEDULE}/{class_id}").text
    shown = datetime.fromtimestamp(coming, SEOUL)
    assert 'id="from-next"' in edit and shown.strftime("%Y-%m-%dT%H:%M") in edit
    form = class_form(
        starts=shown.strftime("%Y-%m-%dT%H:%M"), repeat="weekly", room="2층", other_robots="r1"
    )
    saved = post(kim, f"{SCHEDULE}/{class_id}", form)
    assert saved.status_code == 303, saved.text
    db = open_database(dashboard.db_path)
    found = between(db, CENTER, first - HOUR, first + 4 * WEEK_SECONDS)
    assert [o.klass.room for o in found] == ["교실", "교실", "2층", "2층"]
    assert found[0].klass.id == class_id != found[2].klass.id
    over = kim.get(f"{SCHEDULE}/{class_id}").text  # the old series is history now
    assert 'id="class-over"' in over and 'id="class-form"' not in over
    assert post(kim, f"{SCHEDULE}/{class_id}", form).status_code == 404


def test_language_switch_keeps_the_week(dashboard: Dashboard, kim: TestClient) -> None:
    page = kim.get(SCHEDULE, params={"week": "2030-03-04"}).text
    assert 'name="next" value="/centers/gangnam-1/schedule?week=2030-03-04"' in page
    switched = kim.post(
        "/lang",
        data={"lang": "en", "next": f"{SCHEDULE}?week=2030-03-04", "csrf_token": csrf_of(kim, "/")},
    )
    assert switched.headers["location"] == f"{SCHEDULE}?week=2030-03-04"
    assert re.search(r"Week of 2030-03-04", kim.get(switched.headers["location"]).text)
