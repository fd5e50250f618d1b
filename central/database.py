"""Central's database: the schema as numbered migrations, opening it by URL (SQLite by
default, PostgreSQL for a city: central/db/) and the write transaction every writer uses."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

import sqlite_utils

from central.db import sqlite
from central.db.errors import DatabaseError, is_database_failure
from central.db.sqlite import BUSY_TIMEOUT_MS, open_sqlite
from central.db.url import DatabaseUrl, parse_database
from lessons.learning_path import CLEAN_MAX_HINT, MASTERY_DAYS

if TYPE_CHECKING:
    from central.db.postgres import PgDatabase  # psycopg is imported only for a PG URL

# What callers are handed: sqlite_utils as before, or PgDatabase, which has the same
# execute/executemany/conn/in_transaction/close that central uses.
Database: TypeAlias = "sqlite_utils.Database | PgDatabase"
Connection: TypeAlias = "sqlite3.Connection | PgDatabase"

__all__ = ["BUSY_TIMEOUT_MS", "DatabaseError", "DatabaseUrl", "is_database_failure"]


class Dialects(NamedTuple):
    """A migration whose SQL differs by database (most are written once, see dialect.py)."""

    sqlite: str
    postgresql: str


# Migration 5's table, the same on both databases (only SQLite's has old events to fill it)
_CLEAN_DAYS = """
    CREATE TABLE clean_days (
        center TEXT NOT NULL,
        learner_id TEXT NOT NULL,
        lesson_id TEXT NOT NULL,
        day TEXT NOT NULL,
        PRIMARY KEY (center, learner_id, lesson_id, day)
    ) WITHOUT ROWID;
"""

MIGRATIONS: list[str | Dialects] = [
    # 1: events, per-kiosk sync bookkeeping, summaries, roster
    """
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        center TEXT NOT NULL,
        kiosk TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        session_id TEXT NOT NULL,
        learner_id TEXT,
        lesson_id TEXT NOT NULL,
        lesson_version INTEGER NOT NULL,
        step_index INTEGER,
        step_id TEXT,
        at REAL NOT NULL,
        detail TEXT NOT NULL,
        received_at REAL NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX events_by_center_time ON events (center, at);
    CREATE TABLE kiosk_sync (
        center TEXT NOT NULL,
        kiosk TEXT NOT NULL,
        last_seq INTEGER NOT NULL,
        events_total INTEGER NOT NULL,
        last_batch_at REAL NOT NULL,
        PRIMARY KEY (center, kiosk)
    );
    CREATE TABLE lesson_summary (
        center TEXT NOT NULL,
        learner_id TEXT NOT NULL,
        lesson_id TEXT NOT NULL,
        started INTEGER NOT NULL,
        completed INTEGER NOT NULL,
        mastered INTEGER NOT NULL,
        steps_completed INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        wrong_attempts INTEGER NOT NULL,
        max_hint_level INTEGER NOT NULL,
        help_calls INTEGER NOT NULL,
        quiz_answers INTEGER NOT NULL,
        quiz_right INTEGER NOT NULL,
        seconds REAL NOT NULL,
        first_at REAL NOT NULL,
        last_at REAL NOT NULL,
        last_step INTEGER NOT NULL,
        PRIMARY KEY (center, learner_id, lesson_id)
    );
    CREATE TABLE step_summary (
        center TEXT NOT NULL,
        learner_id TEXT NOT NULL,
        lesson_id TEXT NOT NULL,
        step_id TEXT NOT NULL,
        wrong_attempts INTEGER NOT NULL,
        help_calls INTEGER NOT NULL,
        max_hint_level INTEGER NOT NULL,
        PRIMARY KEY (center, learner_id, lesson_id, step_id)
    );
    CREATE TABLE centers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        roster_revision INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE learners (
        id TEXT PRIMARY KEY,
        center TEXT NOT NULL REFERENCES centers (id),
        name TEXT NOT NULL,
        color TEXT NOT NULL,
        hidden INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX learners_by_center ON learners (center);
    """,
    # 2: the instructor dashboard: accounts, their centers, classes, devices, help calls
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'instructor')),
        password_hash TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until REAL NOT NULL DEFAULT 0,
        session_epoch INTEGER NOT NULL DEFAULT 0,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL
    );
    CREATE TABLE user_centers (
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        center TEXT NOT NULL REFERENCES centers (id),
        PRIMARY KEY (user_id, center)
    ) WITHOUT ROWID;
    CREATE INDEX user_centers_by_center ON user_centers (center);
    CREATE TABLE classes (
        id TEXT PRIMARY KEY,
        center TEXT NOT NULL REFERENCES centers (id),
        lesson_id TEXT NOT NULL,
        room TEXT NOT NULL,
        starts_at REAL NOT NULL,
        minutes INTEGER NOT NULL,
        weekly INTEGER NOT NULL DEFAULT 0,
        robots TEXT NOT NULL DEFAULT '[]',
        instructor_id INTEGER REFERENCES users (id),
        lang TEXT NOT NULL DEFAULT 'ko',
        cancelled INTEGER NOT NULL DEFAULT 0,
        updated_at REAL NOT NULL
    );
    CREATE INDEX classes_by_center ON classes (center, cancelled, starts_at);
    CREATE TABLE devices (
        center TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'robot')),
        device TEXT NOT NULL,
        online INTEGER NOT NULL,
        last_seen REAL NOT NULL,
        backlog INTEGER,
        lag_seconds REAL,
        detail TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (center, kind, device)
    ) WITHOUT ROWID;
    CREATE TABLE help_calls (
        id INTEGER PRIMARY KEY,
        center TEXT NOT NULL,
        kiosk TEXT NOT NULL,
        class_id TEXT,
        step_index INTEGER,
        learner TEXT,
        at REAL NOT NULL,
        received_at REAL NOT NULL,
        handled_at REAL,
        handled_by INTEGER REFERENCES users (id),
        UNIQUE (center, kiosk, at)
    );
    CREATE INDEX help_calls_open ON help_calls (center, handled_at, at);
    """,
    # 3: what intake set aside (refused messages, events it would not count) and marks on
    # events it stored with a doubt (a learner not on the roster, a duration not counted)
    """
    ALTER TABLE events ADD COLUMN flags TEXT;
    CREATE TABLE set_aside (
        key TEXT PRIMARY KEY,
        center TEXT NOT NULL,
        kiosk TEXT NOT NULL,
        topic TEXT NOT NULL,
        batch_id TEXT,
        first_seq INTEGER,
        last_seq INTEGER,
        event_id TEXT,
        reason TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        payload TEXT NOT NULL,
        first_at REAL NOT NULL,
        last_at REAL NOT NULL,
        times INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX set_aside_by_center ON set_aside (center, last_at);
    """,
    # 4: the dashboard's sign-in state, shared by every dashboard process: server-side
    # sessions (a cookie only names one; logout and expiry are decided here) and sign-in
    # failures per client address and per account name (central/login_throttle.py)
    """
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at REAL NOT NULL,
        last_seen REAL NOT NULL,
        expires_at REAL NOT NULL,
        revoked_at REAL
    ) WITHOUT ROWID;
    CREATE INDEX sessions_by_user ON sessions (user_id);
    CREATE TABLE login_failures (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_failure REAL NOT NULL,
        blocked_until REAL NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX login_failures_by_time ON login_failures (last_failure);
    """,
    # 5: "mastered" as the kiosk's learning path has it (lessons/learning_path.py): clean
    # runs (no level-3 hint, nothing skipped) on two different days. The days each learner
    # finished each lesson cleanly, from the stored events; then every summary again.
    Dialects(
        sqlite=_CLEAN_DAYS
        + f"""
    INSERT OR IGNORE INTO clean_days
        SELECT center, learner_id, lesson_id, date(at, 'unixepoch', 'localtime') FROM events
        WHERE kind = 'lesson_completed' AND learner_id IS NOT NULL
        AND coalesce(json_extract(detail, '$.max_hint_level'), 0) <= {CLEAN_MAX_HINT}
        AND coalesce(json_extract(detail, '$.skipped'), 0) = 0;
    UPDATE lesson_summary SET mastered = (
        SELECT count(*) >= {MASTERY_DAYS} FROM clean_days AS c
        WHERE c.center = lesson_summary.center AND c.learner_id = lesson_summary.learner_id
        AND c.lesson_id = lesson_summary.lesson_id
    );
    """,
        # a PostgreSQL database is new at this version (there were none before): nothing to
        # fill in from stored events
        postgresql=_CLEAN_DAYS,
    ),
    # 6: a weekly class can end (what it taught stays in the history) and skip single
    # occurrences (central/schedule.py): `ends_before` and `class_skips`
    """
    ALTER TABLE classes ADD COLUMN ends_before REAL;
    CREATE TABLE class_skips (
        class_id TEXT NOT NULL REFERENCES classes (id),
        at REAL NOT NULL,
        cancelled_at REAL NOT NULL,
        cancelled_by INTEGER REFERENCES users (id),
        PRIMARY KEY (class_id, at)
    ) WITHOUT ROWID;
    """,
    # 7: what each center's keeper of the published lesson library last said
    # (central/library_reach.py, docs/lesson-publishing.md)
    """
    CREATE TABLE center_libraries (
        center TEXT PRIMARY KEY,
        version INTEGER,
        offered INTEGER,
        missing_bytes INTEGER,
        problem TEXT,
        heard_at REAL NOT NULL
    ) WITHOUT ROWID;
    """,
    # 8: what the centers' programs tell the instructor (central/site_notices.py)
    """
    CREATE TABLE site_notices (
        id INTEGER PRIMARY KEY,
        center TEXT NOT NULL,
        digest TEXT NOT NULL,
        key TEXT NOT NULL,
        text_ko TEXT NOT NULL,
        text_en TEXT NOT NULL,
        class_id TEXT,
        kiosk TEXT,
        robot TEXT,
        at REAL NOT NULL,
        received_at REAL NOT NULL,
        UNIQUE (center, digest)
    );
    """,
    # 9: the live class console (central/class_states.py, central/class_audit.py): each
    # center's latest state of each class, brought over the bridge, and every control an
    # instructor sent from the dashboard
    """
    CREATE TABLE class_states (
        center TEXT NOT NULL,
        class_id TEXT NOT NULL,
        status TEXT NOT NULL,
        state TEXT NOT NULL,
        at REAL NOT NULL,
        received_at REAL NOT NULL,
        PRIMARY KEY (center, class_id)
    ) WITHOUT ROWID;
    CREATE TABLE class_actions (
        id INTEGER PRIMARY KEY,
        center TEXT NOT NULL,
        class_id TEXT NOT NULL,
        action TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users (id),
        username TEXT NOT NULL,
        outcome TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX class_actions_by_class ON class_actions (center, class_id, id);
    """,
    # 10: classes across centers (central/class_groups.py): the centers that teach one class
    # together; and what each control said beyond its action (a step, an announcement)
    """
    CREATE TABLE class_groups (
        class_id TEXT NOT NULL,
        center TEXT NOT NULL REFERENCES centers (id),
        PRIMARY KEY (class_id, center)
    ) WITHOUT ROWID;
    CREATE INDEX class_groups_by_center ON class_groups (center, class_id);
    ALTER TABLE class_actions ADD COLUMN detail TEXT NOT NULL DEFAULT '';
    """,
    # 11: the admin's pages at national scale (68,000 centers, bench/dashboard_national.py):
    # the overview's page of centers in name order read from an index, not all of them
    # sorted; the newest open help calls of every center without reading the handled ones
    """
    CREATE INDEX centers_by_name ON centers (name, id);
    CREATE INDEX help_calls_open_by_time ON help_calls (at) WHERE handled_at IS NULL;
    """,
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
