"""Accounts: change your own password; an admin disables and enables an account."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from central.accounts import AccountError, Role, create_user, set_disabled
from central.database import open_database
from tests.central.web.conftest import PASSWORD, Dashboard, csrf_of, post

NEW = "a new long passphrase"
PAGE = "/account/password"


def form(current: str = PASSWORD, new: str = NEW, again: str | None = None) -> dict[str, str]:
    return {
        "current_password": current,
        "new_password": new,
        "new_password_again": new if again is None else again,
    }


def signs_in(dashboard: Dashboard, username: str, password: str) -> bool:
    client = dashboard.client()
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(client)},
    )
    return response.status_code == 303


def user_id(dashboard: Dashboard, username: str) -> int:
    db = open_database(dashboard.db_path)
    return int(db.execute("select id from users where username = ?", [username]).fetchone()[0])


def test_the_password_form_names_each_problem(dashboard: Dashboard) -> None:
    kim = dashboard.client("kim")
    assert "/account/password" in kim.get("/").text  # the name in the header leads there
    for fields, field, words in (
        (form(new="short"), "new_password", "12자 이상"),
        (form(again="something else entirely"), "new_password_again", "서로 달라요"),
        (form(new=PASSWORD), "new_password", "지금과 다른 비밀번호"),
        (form(current=""), "current_password", "꼭 적어 주세요"),
        (form(current="not the password"), "current_password", "지금 비밀번호가 맞지 않아요"),
    ):
        response = post(kim, PAGE, fields)
        assert response.status_code == 422, fields
        assert f'id="{field}-error"' in response.text and words in response.text, fields
    assert signs_in(dashboard, "kim", PASSWORD)


def test_changing_your_password_signs_out_your_other_sessions(dashboard: Dashboard) -> None:
    here, elsewhere = dashboard.client("kim"), dashboard.client("kim")
    response = post(here, PAGE, form())
    assert response.status_code == 303
    assert "비밀번호를 바꿨어요." in here.get("/").text  # this browser goes on
    assert elsewhere.get("/").status_code == 303  # the other one is signed out
    assert not signs_in(dashboard, "kim", PASSWORD)
    assert signs_in(dashboard, "kim", NEW)


def test_a_disabled_account_is_signed_out_and_cannot_sign_in(dashboard: Dashboard) -> None:
    admin, kim = dashboard.client("admin"), dashboard.client("kim")
    kim_id = user_id(dashboard, "kim")
    response = post(admin, f"/admin/users/{kim_id}/disabled", {"disabled": "1"})
    assert response.status_code == 303
    page = admin.get("/admin/users").text
    assert "kim 계정을 사용 중지했어요." in page and "사용 중지됨" in page
    assert kim.get("/").status_code == 303
    assert kim.get("/api/v1/me").status_code == 401
    assert not signs_in(dashboard, "kim", PASSWORD)
    assert post(admin, f"/admin/users/{kim_id}/disabled", {"disabled": "0"}).status_code == 303
    assert signs_in(dashboard, "kim", PASSWORD)


def test_an_admin_cannot_disable_themselves_nor_the_last_admin(dashboard: Dashboard) -> None:
    admin = dashboard.client("admin")
    admin_id = user_id(dashboard, "admin")
    response = post(admin, f"/admin/users/{admin_id}/disabled", {"disabled": "1"})
    assert response.status_code == 422 and "자기 계정은" in response.text
    assert f'action="/admin/users/{admin_id}/disabled"' not in admin.get("/admin/users").text
    db = open_database(dashboard.db_path)
    other = create_user(db, "park", "박 관리자", Role.ADMIN, PASSWORD)
    set_disabled(db, admin_id, other, True)  # two admins: one may go
    with pytest.raises(AccountError) as caught:  # park, before being disabled, disables admin
        set_disabled(db, other, admin_id, True)
    assert caught.value.key == "last_admin"
    assert signs_in(dashboard, "admin", PASSWORD)


def test_an_instructor_cannot_disable_anyone(dashboard: Dashboard) -> None:
    kim: TestClient = dashboard.client("kim")
    lee_id = user_id(dashboard, "lee")
    assert post(kim, f"/admin/users/{lee_id}/disabled", {"disabled": "1"}).status_code == 403
    assert signs_in(dashboard, "lee", PASSWORD)
