"""Every form that takes a name normalises it (NFC) and refuses what cannot be shown."""

from __future__ import annotations

import unicodedata

import pytest

from central.database import open_database
from central.roster import roster_of
from tests.central.web.conftest import CENTER, PASSWORD, Dashboard, csrf_of, post
from tests.central.web.test_forms import NEW_CLASS, ROSTER, class_form, tomorrow_at

BAD_NAMES = ["\x00", "김\x07영희", "\u200b", "\u202eevil", "김\ufeff"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_are_refused_at_every_form(dashboard: Dashboard, name: str) -> None:
    kim, admin = dashboard.client("kim"), dashboard.client("admin")
    entries = {
        "add learner": post(kim, ROSTER, {"name": name}),
        "rename learner": post(kim, f"{ROSTER}/{dashboard.learner}", {"name": name}),
        "class room": post(kim, NEW_CLASS, class_form(room=name)),
        "center name": post(admin, "/admin/centers", {"center_id": "new-1", "name": name}),
        "instructor name": post(
            admin, "/admin/users", {"username": "park", "display_name": name, "centers": ""}
        ),
    }
    assert {what: r.status_code for what, r in entries.items()} == dict.fromkeys(entries, 422)
    assert "보이지 않는 글자나 제어 문자" in entries["add learner"].text
    db = open_database(dashboard.db_path)
    assert [ln.name for ln in roster_of(db, CENTER).learners] == ["김영희"]
    assert db.execute("select count(*) from classes").fetchone()[0] == 0


def test_names_are_stored_nfc_and_a_decomposed_room_still_clashes(
    dashboard: Dashboard,
) -> None:
    kim = dashboard.client("kim")
    nfd = unicodedata.normalize("NFD", "이순자")
    assert post(kim, ROSTER, {"name": nfd}).status_code == 303
    names = [ln.name for ln in roster_of(open_database(dashboard.db_path), CENTER).learners]
    assert names[-1] == "이순자"
    assert post(kim, NEW_CLASS, class_form(room="2층 교실", other_robots="")).status_code == 303
    again = class_form(room=unicodedata.normalize("NFD", "2층 교실"), other_robots="")
    response = post(kim, NEW_CLASS, {**again, "starts": tomorrow_at(10)})
    assert response.status_code == 422 and "에는" in response.text  # the room is taken


def test_user_names_are_one_account_however_typed(dashboard: Dashboard) -> None:
    admin = dashboard.client("admin")
    response = post(
        admin, "/admin/users", {"username": " KIM ", "display_name": "김", "centers": ""}
    )
    assert response.status_code == 422 and "이미" in response.text
    client = dashboard.client()
    data = {"username": " KIM ", "password": PASSWORD, "csrf_token": csrf_of(client)}
    assert client.post("/login", data=data).status_code == 303
