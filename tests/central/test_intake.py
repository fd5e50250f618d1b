from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import sqlite_utils

from central.database import MIGRATIONS, open_database
from central.intake import store_batch
from lessons.events import ProgressEvent
from robot_bridge.sync_protocol import OutboxEvent, SyncBatch
from tests.progress_events import LESSON, walk


def batches(events: list[ProgressEvent], size: int, first_seq: int = 1) -> list[SyncBatch]:
    items = [OutboxEvent(seq=first_seq + i, event=e) for i, e in enumerate(events)]
    counter = itertools.count()
    return [
        SyncBatch(
            center="gangnam-1",
            kiosk="kiosk-1",
            batch_id=f"b{next(counter)}",
            first_seq=chunk[0].seq,
            last_seq=chunk[-1].seq,
            events=chunk,
        )
        for chunk in (items[i : i + size] for i in range(0, len(items), size))
    ]


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return open_database(tmp_path / "central.db")


def test_batch_is_stored_and_acknowledged(db: sqlite_utils.Database) -> None:
    events = walk("kim")
    (batch,) = batches(events, 500)
    ack = store_batch(db, batch, now=1.0)
    assert (ack.status, ack.inserted, ack.duplicates) == ("stored", len(events), 0)
    assert (ack.first_seq, ack.last_seq, ack.batch_id) == (1, len(events), "b0")
    assert db["events"].count == len(events)
    assert db.execute("select last_seq, events_total from kiosk_sync").fetchone() == (
        len(events),
        len(events),
    )


def test_replayed_and_overlapping_batches_count_once(db: sqlite_utils.Database) -> None:
    events = walk("kim", wrong_taps=1)
    small = batches(events, 7)
    for batch in small:
        store_batch(db, batch, now=1.0)
    once = db.execute("select * from lesson_summary").fetchall()
    replay = store_batch(db, batches(events, 500)[0], now=2.0)  # everything again, as one batch
    assert (replay.inserted, replay.duplicates) == (0, len(events))
    store_batch(db, small[1], now=3.0)
    assert db["events"].count == len(events)
    assert db.execute("select * from lesson_summary").fetchall() == once
    assert db.execute("select events_total from kiosk_sync").fetchone() == (len(events),)


def test_summaries_add_up_what_the_learner_did(db: sqlite_utils.Database) -> None:
    practices = sum(1 for step in LESSON.steps if step.practice)
    taps = sum(len(step.practice.sequence) for step in LESSON.steps if step.practice)
    for batch in batches(walk("kim", wrong_taps=2, help_calls=1) + walk("kim"), 10):
        store_batch(db, batch, now=1.0)
    row = db.execute(
        "select started, completed, mastered, attempts, wrong_attempts, max_hint_level, "
        "help_calls, quiz_answers, quiz_right, steps_completed from lesson_summary "
        "where learner_id = 'kim' and lesson_id = 'phone-call'"
    ).fetchone()
    assert row == (2, 2, 1, 2 * taps + 2 * taps, 2 * taps, 2, taps, 2, 2, 2 * len(LESSON.steps))
    stuck = db.execute(
        "select count(*), sum(help_calls), max(max_hint_level) from step_summary"
    ).fetchone()
    assert stuck == (practices, taps, 2)


def test_summary_seconds_and_times(db: sqlite_utils.Database) -> None:
    events = walk("lee")
    store_batch(db, batches(events, 500)[0], now=1.0)
    seconds, first_at, last_at, last_step = db.execute(
        "select seconds, first_at, last_at, last_step from lesson_summary"
    ).fetchone()
    assert seconds == events[-1].detail["seconds"] > 0
    assert (first_at, last_at) == (events[0].at, events[-1].at)
    assert last_step == len(LESSON.steps) - 1


def test_database_reopens_without_migrating_twice(tmp_path: Path) -> None:
    path = tmp_path / "central.db"
    open_database(path)
    db = open_database(path)
    assert db.execute("pragma user_version").fetchone() == (len(MIGRATIONS),)
    assert db.execute("pragma journal_mode").fetchone() == ("wal",)
