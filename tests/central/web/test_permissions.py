"""Every page and API route, for anonymous, an instructor of another center, and an admin.

Routes are read from the app itself: a new route that is not classified here fails the
test, so nothing can slip past the matrix.
"""

from __future__ import annotations

import re
import time

import pytest

from central.class_form import ClassDraft
from central.class_groups import create_group
from central.database import open_database
from central.help_calls import record_help_call
from central.schedule import save_class
from robot_bridge.protocol.class_messages import HelpCall
from tests.central.web.conftest import CENTER, OTHER, Dashboard, app_routes, csrf_of

PUBLIC = {"/login", "/logout", "/lang"}
# Routes that name no center: an instructor sees them, filtered to their own centers.
OWN = {
    "/", "/help", "/help/live", "/api/docs", "/api/openapi.json",
    "/api/v1/me", "/api/v1/centers", "/api/v1/help", "/account/password", "/classes",
}  # fmt: skip
# Forms of those that refuse the matrix's empty post: with words next to the fields (422),
# or back to the page the form is on, with a message (303).
OWN_FORMS = {("POST", "/account/password"): 422, ("POST", "/classes"): 303}
ADMIN = {
    "/admin/users", "/admin/centers", "/admin/users/{user_id}/centers",
    "/admin/users/{user_id}/password", "/admin/users/{user_id}/disabled", "/library",
}  # fmt: skip
# Routes whose path names a center, or something (a learner, class, help call) of one.
SCOPED = {
    "/centers/{center}", "/centers/{center}/roster", "/centers/{center}/roster/{learner_id}",
    "/centers/{center}/roster/{learner_id}/hidden", "/centers/{center}/schedule",
    "/centers/{center}/schedule/new", "/centers/{center}/schedule/{class_id}",
    "/centers/{center}/schedule/{class_id}/cancel", "/centers/{center}/progress",
    "/centers/{center}/progress.csv", "/centers/{center}/learners/{learner_id}",
    "/centers/{center}/set-aside", "/api/v1/centers/{center}/set-aside",
    "/help/{call_id}/handled", "/api/v1/help/{call_id}/handled", "/api/v1/centers/{center}",
    "/api/v1/centers/{center}/learners", "/api/v1/centers/{center}/classes",
    "/api/v1/centers/{center}/progress", "/centers/{center}/classes/{class_id}",
    "/centers/{center}/classes/{class_id}/live", "/centers/{center}/classes/{class_id}/control",
    "/centers/{center}/classes", "/classes/{class_id}", "/classes/{class_id}/live",
    "/classes/{class_id}/control",
}  # fmt: skip
OTHER_CENTER_WORDS = ("서초", OTHER, "박철수")


def routes(dashboard: Dashboard) -> list[tuple[str, str]]:
    return [(method, path) for method, path, _ in app_routes(dashboard.app)]


@pytest.fixture
def other_things(dashboard: Dashboard) -> dict[str, str]:
    """Ids of things of the other center, to put into paths."""
    db = open_database(dashboard.db_path)
    draft = ClassDraft("phone-call", time.time() + 3600, 60, False, "교실", ("r1",), None, "ko")
    class_id = save_class(db, OTHER, draft)
    assert isinstance(class_id, str)
    create_group(db, class_id, [CENTER, OTHER])  # taught with the instructor's own center
    record_help_call(db, OTHER, HelpCall(kiosk="kiosk-1", at=time.time()), time.time())
    call_id = db.execute("select id from help_calls where center = ?", [OTHER]).fetchone()[0]
    lee = db.execute("select id from users where username = 'lee'").fetchone()[0]
    return {
        "center": OTHER,
        "learner_id": dashboard.other_learner,
        "class_id": class_id,
        "call_id": str(call_id),
        "user_id": str(lee),
    }


def fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def test_every_route_is_classified(dashboard: Dashboard) -> None:
    paths = {path for _, path in routes(dashboard)}
    unclassified = paths - PUBLIC - OWN - ADMIN - SCOPED - {"/static"}
    assert not unclassified, f"add these routes to the permission matrix: {unclassified}"


def test_anonymous_gets_only_the_sign_in_page(
    dashboard: Dashboard, other_things: dict[str, str]
) -> None:
    client = dashboard.client()
    token = csrf_of(client)
    for method, path in routes(dashboard):
        if path in PUBLIC:
            continue
        response = client.request(method, fill(path, other_things), data={"csrf_token": token})
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path)
            assert response.json()["error"] == "login_required"
        else:
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/login?next=")


def test_an_instructor_never_sees_another_center(
    dashboard: Dashboard, other_things: dict[str, str]
) -> None:
    client = dashboard.client("kim")
    token = csrf_of(client, "/")
    headers = {"x-csrf-token": token}
    for method, path in routes(dashboard):
        if path in PUBLIC:
            continue
        url = fill(path, other_things)
        response = client.request(method, url, data={"csrf_token": token}, headers=headers)
        if path in SCOPED:
            assert response.status_code == 404, (method, path)
        elif path in ADMIN:
            assert response.status_code == 403, (method, path)
        else:
            assert response.status_code == OWN_FORMS.get((method, path), 200)
        # the language switch carries the address asked for back to it: not a disclosure
        text = response.text.replace(f'name="next" value="{url}"', "")
        for word in OTHER_CENTER_WORDS:
            assert word not in text, (method, path, word)


def test_an_admin_sees_every_center(dashboard: Dashboard, other_things: dict[str, str]) -> None:
    client = dashboard.client("admin")
    for method, path in routes(dashboard):
        if method == "GET" and path not in PUBLIC:
            response = client.get(fill(path, other_things))
            assert response.status_code == 200, path
    assert "서초 경로당" in client.get("/").text


def test_an_instructor_sees_their_own_center(dashboard: Dashboard) -> None:
    client = dashboard.client("kim")
    page = client.get("/").text
    assert "강남 경로당" in page and "서초" not in page
    assert [c["id"] for c in client.get("/api/v1/centers").json()["centers"]] == ["gangnam-1"]
    for path in ("/centers/gangnam-1", "/centers/gangnam-1/progress", "/api/v1/centers/gangnam-1"):
        assert client.get(path).status_code == 200


def test_wrong_urls_and_bad_ids_get_a_friendly_page(dashboard: Dashboard) -> None:
    client = dashboard.client("admin")
    for path in (
        "/nowhere",
        "/centers/no-such-center",
        "/centers/gangnam-1/schedule/no-such-class",
        "/centers/gangnam-1/learners/nobody",
        "/centers/gangnam-1/progress?lesson=no-such-lesson",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "찾는 페이지가 없거나" in response.text and "Traceback" not in response.text
    bad = client.get("/centers/gangnam-1/schedule?week=not-a-date")
    assert bad.status_code == 422 and "올바르지 않아요" in bad.text
    api = client.get("/api/v1/centers/gangnam-1/classes?week=not-a-date")
    assert api.status_code == 422 and api.json()["error"] == "error_422"
