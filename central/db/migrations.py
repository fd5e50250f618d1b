"""Central's schema as numbered migrations, oldest first: `central.database.migrate` applies
the ones a database lacks, in one transaction. Each is written once in SQLite's dialect
(central/db/dialect.py turns it into PostgreSQL's) unless it is `Dialects`."""

from __future__ import annotations

from typing import NamedTuple

from lessons.learning_path import CLEAN_MAX_HINT, MASTERY_DAYS


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

# Migration 12's events table: migration 1's, with migration 3's flags, but no key
_EVENT_COLUMNS = """id TEXT NOT NULL,
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
        received_at REAL NOT NULL,
        flags TEXT"""
_EVENT_NAMES = ", ".join(line.split()[0] for line in _EVENT_COLUMNS.split(","))

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
    # 12: SQLite's events in a rowid table, in the order they arrive, with the event id's
    # uniqueness in an index of its own. Keyed by the (random) event id, every insert went
    # into a random page of a tree of whole 15-column rows; now the row is appended and only
    # the narrow id index takes a random insert (intake's store: ~11 -> ~6.5 us an event,
    # docs/sync.md). PostgreSQL's table is a heap with a primary-key index already. On a big
    # file the copy takes a while (~7 µs an event: ~12 minutes at 100 million, with intake
    # waiting) and twice the table's room on the disk until a VACUUM (docs/sync.md).
    Dialects(
        sqlite=f"""
    CREATE TABLE events_rowid (
        {_EVENT_COLUMNS}
    );
    INSERT INTO events_rowid SELECT {_EVENT_NAMES} FROM events;
    DROP TABLE events;
    ALTER TABLE events_rowid RENAME TO events;
    CREATE UNIQUE INDEX events_by_id ON events (id);
    CREATE INDEX events_by_center_time ON events (center, at);
    """,
        postgresql="",
    ),
]
