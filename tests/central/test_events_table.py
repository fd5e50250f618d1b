"""SQLite's events table (migration 12): rows in the order they arrive, the event id unique
in an index of its own. A database from before keeps every event and its flags, and stays
exactly-once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from central.database import MIGRATIONS, open_database, sql_of
from central.intake import store_batches
from lessons.events import ProgressEvent
from tests.central.test_intake import NOW, batches
from tests.progress_events import walk


def version_11(path: Path, events: list[ProgressEvent]) -> None:
    """A central database as it was before migration 12, holding `events`."""
    stored = path.with_name("stored.db")
    store_batches(open_database(stored), batches(events, 7), now=NOW)
    old = sqlite3.connect(path)
    for script in MIGRATIONS[:11]:
        for statement in filter(str.strip, sql_of(script).split(";")):
            old.execute(statement)
    old.execute("PRAGMA user_version = 11")
    old.execute("ATTACH DATABASE ? AS stored", [str(stored)])
    for table in ("events", "kiosk_sync", "lesson_summary", "step_summary", "clean_days"):
        old.execute(f"INSERT INTO {table} SELECT * FROM stored.{table}")
    old.execute("UPDATE events SET flags = 'learner-not-on-roster' WHERE learner_id = 'lee'")
    old.commit()
    old.close()


def test_an_older_database_keeps_every_event_and_stays_exactly_once(tmp_path: Path) -> None:
    path = tmp_path / "central.db"
    kim, lee = walk("kim"), walk("lee")
    version_11(path, kim + lee)
    before = sqlite3.connect(path).execute("SELECT * FROM events ORDER BY id").fetchall()
    assert len(before) == len(kim + lee)

    db = open_database(path)

    assert db.execute("SELECT * FROM events ORDER BY id").fetchall() == before
    without_rowid = db.execute("SELECT sql FROM sqlite_master WHERE name = 'events'").fetchone()[0]
    assert "WITHOUT ROWID" not in without_rowid
    again = store_batches(db, batches(kim, 7), now=NOW)  # the same events, resent
    assert sum(a.inserted for a in again) == 0
    assert sum(a.duplicates for a in again) == len(kim)
    with pytest.raises(sqlite3.IntegrityError):  # the index, not intake's look-up, holds it
        db.execute("INSERT INTO events SELECT * FROM events LIMIT 1")
    plan = db.execute("EXPLAIN QUERY PLAN SELECT id FROM events WHERE id = 'x'").fetchall()
    assert "events_by_id" in str(plan)
