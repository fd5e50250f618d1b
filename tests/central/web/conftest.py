"""A dashboard on a real database (a SQLite file, then a PostgreSQL database): two centers,
an admin and one instructor per center."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from central.accounts import Role, create_user
from central.database import open_database
from central.db.url import STATE_ENV
from central.roster import add_center, add_learner
from central.web.app import create_app
from central.web.settings import WebSettings
from tests.central.conftest import BACKENDS, MIGRATED
from tests.postgres import PostgresServer

PASSWORD = "correct horse battery"
CENTER, OTHER = "gangnam-1", "seocho-1"
SEEDED = "central_seeded"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Dashboard:
    app: FastAPI
    db_path: Path | str  # a SQLite file or a PostgreSQL URL
    learner: str  # a learner of CENTER
    other_learner: str  # a learner of OTHER

    def client(self, username: str | None = None) -> TestClient:
        """A browser-like client, signed in as `username` (or anonymous)."""
        client = TestClient(self.app, follow_redirects=False)
        if username:
            sign_in(client, username)
        return client


def csrf_of(client: TestClient, path: str = "/login") -> str:
    match = _CSRF.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(client)},
    )
    assert response.status_code == 303, response.text


def post(client: TestClient, path: str, data: dict[str, Any] | None = None) -> Any:
    """A form post carrying the session's CSRF token, as the page's form would."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_of(client)})


def app_routes(app: FastAPI) -> list[tuple[str, str, APIRoute | None]]:
    """(method, path, route) of every route the app serves, HEAD aside. FastAPI ≥ 0.16x keeps
    included routers as they are (`app.routes` no longer lists their routes), so this walks
    them the way the app does; the count is checked, so an empty list cannot pass."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = context.path or ""
        for method in sorted(context.methods or ()):
            if method != "HEAD":
                found.append((method, path, route if isinstance(route, APIRoute) else None))
    assert len(found) >= 20, found
    return found


def seed(db_path: Path | str) -> tuple[str, str]:
    """Two centers with a learner each, an admin, and an instructor for each center."""
    db = open_database(db_path)
    add_center(db, CENTER, "강남 경로당")
    add_center(db, OTHER, "서초 경로당")
    learner = add_learner(db, CENTER, "김영희")
    other = add_learner(db, OTHER, "박철수")
    create_user(db, "admin", "관리자", Role.ADMIN, PASSWORD)
    create_user(db, "kim", "김 강사", Role.INSTRUCTOR, PASSWORD, {CENTER})
    create_user(db, "lee", "이 강사", Role.INSTRUCTOR, PASSWORD, {OTHER})
    db.close()
    return learner, other


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Seeded once: hashing the passwords (argon2, deliberately slow) is most of the cost."""
    path = tmp_path_factory.mktemp("seed") / "central.db"
    return (path, *seed(path))


@pytest.fixture(scope="session")
def seeded_postgres(postgres: PostgresServer) -> tuple[str, str, str]:
    """The same, as a PostgreSQL template database (every test copies it)."""
    postgres.sql(f"CREATE DATABASE {SEEDED} TEMPLATE {MIGRATED}")
    return (SEEDED, *seed(postgres.url(SEEDED)))


# The pages and API that read and write central's tables also run on PostgreSQL; the rest
# (headers, forms' own checks, cookies, the console's MQTT side, argon2-bound sign-in
# throttling, also covered across processes by tests/central/test_several_processes.py)
# touch the same few queries and run on SQLite only, to keep the suite's time.
ON_BOTH = {
    "test_accounts", "test_api_fuzz", "test_class_group", "test_library_page", "test_pages_fuzz",
    "test_permissions", "test_progress_export", "test_roster_pages", "test_schedule_pages",
    "test_sessions", "test_set_aside", "test_site_notices", "test_step_titles", "test_tracks",
}  # fmt: skip


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`dashboard` on SQLite, and on PostgreSQL too for the modules in ON_BOTH (unless the
    test chose its backend itself)."""
    if "dashboard" not in metafunc.fixturenames:
        return
    chosen = metafunc.definition.iter_markers("parametrize")
    if any("dashboard" in str(mark.args[0]) for mark in chosen):
        return
    on_both = metafunc.module.__name__.rsplit(".", 1)[-1] in ON_BOTH
    metafunc.parametrize("dashboard", BACKENDS if on_both else ["sqlite"], indirect=True)


@pytest.fixture
def dashboard(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Dashboard]:
    """The dashboard on a seeded database: a SQLite file, then a PostgreSQL database."""
    server: PostgresServer | None = None
    db: Path | str
    if getattr(request, "param", "sqlite") == "sqlite":
        template, learner, other = request.getfixturevalue("seeded")
        db = tmp_path / "central.db"
        shutil.copyfile(template, db)
    else:
        name, learner, other = request.getfixturevalue("seeded_postgres")
        server = request.getfixturevalue("postgres")
        monkeypatch.setenv(STATE_ENV, str(tmp_path))
        db = server.new_database(template=name)
    app = create_app(WebSettings(db_path=db, secret_key="test-secret-" * 4))
    yield Dashboard(app, db, learner, other)
    if server is not None:
        server.drop_database(str(db))
