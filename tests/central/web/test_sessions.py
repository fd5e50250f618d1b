"""Sessions are decided by the server: signing out, expiry and a password reset end every
copy of a cookie, and nothing a request does (changing the language) extends a session."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from central.database import open_database
from tests.central.web.conftest import CENTER, Dashboard, csrf_of, post, sign_in

ROSTER = f"/centers/{CENTER}/roster"
SIGNED_OUT = {"page": 303, "api": 401, "csv": 303, "add": f"/login?next={ROSTER}"}


def copy_of(dashboard: Dashboard, client: TestClient) -> TestClient:
    """Another client holding the same cookie (as if stolen or copied before sign-out)."""
    thief = dashboard.client()
    thief.cookies.set("sarangbang_session", client.cookies["sarangbang_session"])
    return thief


def can_still_use(thief: TestClient) -> dict[str, object]:
    """What a copied cookie can still read and write."""
    token = csrf_of(thief, "/login")  # the CSRF token carried in the copied cookie
    return {
        "page": thief.get("/").status_code,
        "api": thief.get("/api/v1/me").status_code,
        "csv": thief.get(f"/centers/{CENTER}/progress.csv").status_code,
        "add": thief.post(ROSTER, data={"name": "도둑", "csrf_token": token}).headers["location"],
    }


def test_a_cookie_copied_before_sign_out_is_worthless_after(dashboard: Dashboard) -> None:
    client = dashboard.client("kim")
    thief = copy_of(dashboard, client)
    assert thief.get("/api/v1/me").status_code == 200
    assert post(client, "/logout").status_code == 303
    assert can_still_use(thief) == SIGNED_OUT
    roster = open_database(dashboard.db_path).execute("select name from learners").fetchall()
    assert ("도둑",) not in roster


def test_sessions_live_in_the_database_as_hashes(dashboard: Dashboard) -> None:
    client = dashboard.client("kim")
    cookie = client.cookies["sarangbang_session"]
    rows = open_database(dashboard.db_path).execute(
        "select token_hash, expires_at - created_at, revoked_at from sessions"
    )
    [(token_hash, lifetime, revoked)] = rows.fetchall()
    assert token_hash not in cookie and lifetime == 10 * 3600 and revoked is None


def test_expiry_is_checked_by_the_server_and_the_language_does_not_extend_it(
    dashboard: Dashboard,
) -> None:
    client = dashboard.client("kim")
    db = open_database(dashboard.db_path)
    expires = db.execute("select expires_at from sessions").fetchone()[0]
    time.sleep(1.1)  # a re-signed cookie would carry a later timestamp
    post(client, "/lang", {"lang": "en", "next": "/"})
    assert db.execute("select expires_at from sessions").fetchone()[0] == expires
    assert client.get("/").status_code == 200
    db.execute("update sessions set expires_at = ?", [time.time() - 1])
    thief = copy_of(dashboard, client)
    post(client, "/lang", {"lang": "ko", "next": "/"})  # a freshly signed cookie …
    assert client.get("/").status_code == 303  # … of an expired session
    assert can_still_use(thief) == SIGNED_OUT


def test_a_password_reset_ends_every_session_of_the_account(dashboard: Dashboard) -> None:
    kim = dashboard.client("kim")
    other_browser = dashboard.client("kim")
    admin = dashboard.client("admin")
    kim_id = (
        open_database(dashboard.db_path)
        .execute("select id from users where username = 'kim'")
        .fetchone()[0]
    )
    post(admin, f"/admin/users/{kim_id}/password")
    assert kim.get("/api/v1/me").status_code == 401
    assert other_browser.get("/").status_code == 303
    assert admin.get("/").status_code == 200


def test_signing_in_again_ends_the_session_the_browser_had(dashboard: Dashboard) -> None:
    client = dashboard.client("kim")
    thief = copy_of(dashboard, client)
    sign_in(client, "admin")  # the same browser, another account
    assert can_still_use(thief) == SIGNED_OUT
    assert client.get("/api/v1/me").json()["username"] == "admin"
