"""Central's storage under test on both databases: a SQLite file and a real PostgreSQL.

`central_db` is parametrized: a test that takes it runs once on a fresh SQLite file and
once on a fresh PostgreSQL database (copied from a migrated template) of this worker's own
server (tests/postgres.py), so every storage rule is checked on both.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from central.database import migrate_database
from central.db.url import STATE_ENV
from tests.postgres import PostgresServer

BACKENDS = ["sqlite", "postgresql"]
MIGRATED = "central_migrated"  # the template every test's PostgreSQL database copies


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """This worker's PostgreSQL server, with a migrated template database."""
    server = PostgresServer().start()
    try:
        server.sql(f"CREATE DATABASE {MIGRATED}")
        migrate_database(server.url(MIGRATED))
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def central_db(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path | str]:
    """Where central's database is for this test: a new SQLite file, or the URL of a new
    PostgreSQL database (migrated; dropped after the test; central's files in tmp_path)."""
    if request.param == "sqlite":
        yield tmp_path / "central.db"
        return
    monkeypatch.setenv(STATE_ENV, str(tmp_path))
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.new_database(template=MIGRATED)
    yield url
    server.drop_database(url)
