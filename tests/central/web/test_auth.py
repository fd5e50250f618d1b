"""Signing in: hashed passwords, cookie flags, CSRF on every form (the waits after failed
sign-ins: test_login_throttle.py; sessions: test_sessions.py)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from central.database import open_database
from central.web.app import create_app
from central.web.settings import WebSettings
from tests.central.web.conftest import PASSWORD, Dashboard, csrf_of, post, sign_in


def try_login(client: TestClient, username: str, password: str) -> object:
    data = {"username": username, "password": password, "csrf_token": csrf_of(client)}
    return client.post("/login", data=data)


def test_passwords_are_stored_as_argon2id_hashes(dashboard: Dashboard) -> None:
    db = open_database(dashboard.db_path)
    stored = db.execute("select password_hash from users where username = 'kim'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_pages_send_anonymous_visitors_to_sign_in_and_back(dashboard: Dashboard) -> None:
    client = dashboard.client()
    response = client.get("/centers/gangnam-1/roster")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/centers/gangnam-1/roster"
    data = {
        "username": "kim",
        "password": PASSWORD,
        "next": "/centers/gangnam-1/roster",
        "csrf_token": csrf_of(client),
    }
    response = client.post("/login", data=data)
    assert response.headers["location"] == "/centers/gangnam-1/roster"
    assert client.get("/centers/gangnam-1/roster").status_code == 200


def test_sign_in_never_redirects_to_another_site(dashboard: Dashboard) -> None:
    client = dashboard.client()
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        data = {"username": "kim", "password": PASSWORD, "next": target}
        response = client.post("/login", data={**data, "csrf_token": csrf_of(client)})
        assert response.headers["location"] == "/"


def test_session_cookie_is_signed_httponly_and_lax(dashboard: Dashboard) -> None:
    client = dashboard.client()
    response = try_login(client, "kim", PASSWORD)
    cookie = response.headers["set-cookie"].lower()  # type: ignore[attr-defined]
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert client.get("/").status_code == 200
    forged = dashboard.client()
    forged.cookies.set("sarangbang_session", "eyJ1aWQiOiAxfQ==.forged.signature")
    assert forged.get("/").status_code == 303


def test_cookie_is_secure_when_served_over_https(tmp_path: Path, dashboard: Dashboard) -> None:
    settings = WebSettings(dashboard.db_path, "s" * 40, secure_cookies=True)
    client = TestClient(create_app(settings), base_url="https://testserver", follow_redirects=False)
    response = try_login(client, "kim", PASSWORD)
    assert "; secure" in response.headers["set-cookie"].lower()  # type: ignore[attr-defined]


def test_every_form_needs_the_csrf_token(dashboard: Dashboard) -> None:
    client = dashboard.client("kim")
    forms = {
        "/centers/gangnam-1/roster": {"name": "이순자"},
        "/logout": {},
        "/lang": {"lang": "en"},
        "/login": {"username": "kim", "password": PASSWORD},
    }
    for path, data in forms.items():
        for token in (None, "not-the-token"):
            sent = data if token is None else {**data, "csrf_token": token}
            response = client.post(path, data=sent)
            assert response.status_code == 403, path
            assert "보안 확인" in response.text
    roster = client.get("/centers/gangnam-1/roster").text
    assert "이순자" not in roster


def test_wrong_password_says_so_without_naming_the_field(dashboard: Dashboard) -> None:
    client = dashboard.client()
    wrong_user = try_login(client, "nobody", PASSWORD)
    wrong_password = try_login(client, "kim", "not the password")
    assert wrong_user.status_code == wrong_password.status_code == 401  # type: ignore[attr-defined]
    assert "아이디 또는 비밀번호가 맞지 않아요" in wrong_password.text  # type: ignore[attr-defined]


def test_resetting_a_password_signs_out_the_other_sessions(dashboard: Dashboard) -> None:
    kim = dashboard.client("kim")
    admin = dashboard.client("admin")
    page = admin.get("/admin/users").text
    assert "kim" in page
    db = open_database(dashboard.db_path)
    kim_id = db.execute("select id from users where username = 'kim'").fetchone()[0]
    response = post(admin, f"/admin/users/{kim_id}/password")
    assert "지금 한 번만 보여요" in response.text
    assert kim.get("/").status_code == 303


def test_sign_out_ends_the_session(dashboard: Dashboard) -> None:
    client = dashboard.client("kim")
    assert post(client, "/logout").status_code == 303
    assert client.get("/").status_code == 303


def test_english_is_one_click_away(dashboard: Dashboard) -> None:
    client = dashboard.client()
    sign_in(client, "kim")
    assert "경로당 현황" in client.get("/").text
    post(client, "/lang", {"lang": "en", "next": "/"})
    assert "Centers" in client.get("/").text
