"""Central's database: opening it by URL (SQLite by default, PostgreSQL for a city:
central/db/), applying its migrations (central/db/migrations.py) and the write transaction
every writer uses."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import sqlite_utils

from central.db import sqlite
from central.db.errors import DatabaseError, is_database_failure
from central.db.migrations import MIGRATIONS, Dialects
from central.db.sqlite import BUSY_TIMEOUT_MS, open_sqlite
from central.db.url import DatabaseUrl, parse_database

if TYPE_CHECKING:
    from central.db.postgres import PgDatabase  # psycopg is imported only for a PG URL

# What callers are handed: sqlite_utils as before, or PgDatabase, which has the same
# execute/executemany/conn/in_transaction/close that central uses.
Database: TypeAlias = "sqlite_utils.Database | PgDatabase"
Connection: TypeAlias = "sqlite3.Connection | PgDatabase"

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "DatabaseError",
    "DatabaseUrl",
    "Dialects",
    "is_database_failure",
]


def open_database(target: str | Path | DatabaseUrl) -> Database:
    """Open (creating and migrating) central's database: a SQLite file (`sqlite:///path`
    or a bare path, in WAL mode) or a PostgreSQL server (`postgresql://…`)."""
    return _open(target, lambda db: migrate(db))[0]


def migrate_database(target: str | Path | DatabaseUrl) -> int:
    """Open, migrate and close central's database; the number of migrations applied."""
    db, applied = _open(target, migrate)
    db.close()
    return applied


def _open(
    target: str | Path | DatabaseUrl, then: Callable[[Database], int]
) -> tuple[Database, int]:
    url = parse_database(target)
    try:
        if url.dsn is not None:
            from central.db.postgres import open_postgres

            db: Database = open_postgres(url.dsn, url.shown())
        else:
            assert url.path is not None
            db = open_sqlite(url.path)
        return db, then(db)
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseError(f"cannot open central database {url.shown()}: {exc}") from None
    except Exception as exc:
        if not type(exc).__module__.startswith("psycopg"):
            raise
        why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseError(f"cannot open central database {url.shown()}: {why}") from None


def sql_of(migration: str | Dialects, postgres: bool = False) -> str:
    """A migration's SQL for SQLite (or PostgreSQL)."""
    if isinstance(migration, Dialects):
        return migration.postgresql if postgres else migration.sqlite
    return migration


def is_postgres(db: Database | Connection) -> bool:
    return getattr(db, "is_postgres", False) is True


def is_broken(db: Database) -> bool:
    """True if `db`'s connection is gone for good (a PostgreSQL server restarted or failed
    over): the holder opens a new one. A SQLite connection never is."""
    return getattr(db, "broken", False) is True


def migrate(db: Database) -> int:
    """Apply the migrations `db` lacks, in one transaction; the number applied."""
    with write_transaction(db, "schema") as conn:
        pg = is_postgres(conn)
        if pg:
            from central.db import postgres  # psycopg only when a URL names PostgreSQL

            get: Callable[[Any], int] = postgres.schema_version
            put: Callable[[Any, int], None] = postgres.set_schema_version
        else:
            get, put = sqlite.schema_version, sqlite.set_schema_version
        version = get(db)
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in filter(str.strip, sql_of(migration, pg).split(";")):
                conn.execute(statement)
            put(db, number)
    return len(MIGRATIONS) - version


@contextmanager
def write_transaction(db: Database, *locks: str) -> Iterator[Connection]:
    """One transaction that decides and writes, safe against every other writer.

    SQLite: BEGIN IMMEDIATE takes the file's write lock up front, so a read-then-write (is
    this event new?) cannot race another process. PostgreSQL: BEGIN, then a transaction-long
    lock on each of `locks` (the things a read-then-write decides about: a kiosk's run, an
    account's failures), taken in order; unique keys and ON CONFLICT guard the rest."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        if locks and is_postgres(conn):
            conn.lock(locks)  # type: ignore[union-attr]
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        # SQLite may already have rolled back (out of memory, disk full): a second ROLLBACK
        # would raise "no transaction is active" and hide why. A COMMIT that failed (disk
        # full) leaves the transaction open: roll it back, or every later BEGIN would fail.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
