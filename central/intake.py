"""Store a sync batch exactly once and say what to acknowledge."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

import sqlite_utils

from central.database import write_transaction
from central.summaries import LessonDelta, summarize
from lessons.events import ProgressEvent
from robot_bridge.sync_protocol import OutboxEvent, SyncAck, SyncBatch

_EVENT_COLUMNS = (
    "id, center, kiosk, seq, kind, session_id, learner_id, lesson_id, lesson_version, "
    "step_index, step_id, at, detail, received_at"
)
_LESSON_COLUMNS = LessonDelta.columns()


def _combine(column: str) -> str:
    """How a stored summary column takes in a delta (SET sees the row's old values)."""
    if column in ("mastered", "max_hint_level", "last_at"):
        return f"{column} = max({column}, excluded.{column})"
    if column == "first_at":
        return f"{column} = min({column}, excluded.{column})"
    if column == "last_step":
        return f"{column} = iif(excluded.last_at >= last_at, excluded.{column}, {column})"
    return f"{column} = {column} + excluded.{column}"


_LESSON_UPSERT = (
    f"INSERT INTO lesson_summary (center, learner_id, lesson_id, {', '.join(_LESSON_COLUMNS)}) "
    f"VALUES (?, ?, ?, {', '.join('?' for _ in _LESSON_COLUMNS)}) "
    "ON CONFLICT (center, learner_id, lesson_id) DO UPDATE SET "
    + ", ".join(_combine(c) for c in _LESSON_COLUMNS)
)
_STEP_UPSERT = (
    "INSERT INTO step_summary VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (center, learner_id, lesson_id, step_id) DO UPDATE SET "
    "wrong_attempts = wrong_attempts + excluded.wrong_attempts, "
    "help_calls = help_calls + excluded.help_calls, "
    "max_hint_level = max(max_hint_level, excluded.max_hint_level)"
)
_SQLITE_MAX_PARAMS = 30_000  # SQLite's default limit is 32,766 variables per statement


def store_batch(db: sqlite_utils.Database, batch: SyncBatch, now: float) -> SyncAck:
    """Insert the batch's new events and their summaries in one transaction; ack the run."""
    return store_batches(db, [batch], now)[0]


def store_batches(
    db: sqlite_utils.Database, batches: Sequence[SyncBatch], now: float
) -> list[SyncAck]:
    """Store several batches in one transaction (one commit for a burst); an ack for each."""
    with write_transaction(db) as conn:
        return [_store(conn, batch, now) for batch in batches]


def _store(conn: sqlite3.Connection, batch: SyncBatch, now: float) -> SyncAck:
    new = _new_events(conn, batch.events)
    conn.executemany(
        f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES ({', '.join('?' * 14)})",
        [_event_row(batch, item, now) for item in new],
    )
    _add_summaries(conn, batch.center, [item.event for item in new])
    conn.execute(
        "INSERT INTO kiosk_sync VALUES (?, ?, ?, ?, ?) ON CONFLICT (center, kiosk) DO UPDATE "
        "SET last_seq = max(last_seq, excluded.last_seq), "
        "events_total = events_total + excluded.events_total, "
        "last_batch_at = excluded.last_batch_at",
        (batch.center, batch.kiosk, batch.last_seq, len(new), now),
    )
    return SyncAck(
        center=batch.center,
        kiosk=batch.kiosk,
        batch_id=batch.batch_id,
        first_seq=batch.first_seq,
        last_seq=batch.last_seq,
        inserted=len(new),
        duplicates=len(batch.events) - len(new),
    )


def _new_events(conn: sqlite3.Connection, items: Sequence[OutboxEvent]) -> list[OutboxEvent]:
    """The items whose event id is not stored yet (nor repeated earlier in the batch)."""
    ids = [item.event.id for item in items]
    known: set[str] = set()
    for start in range(0, len(ids), _SQLITE_MAX_PARAMS):
        chunk = ids[start : start + _SQLITE_MAX_PARAMS]
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(f"SELECT id FROM events WHERE id IN ({marks})", chunk)
        known.update(row[0] for row in rows)
    new = []
    for item in items:
        if item.event.id not in known:
            known.add(item.event.id)
            new.append(item)
    return new


def _event_row(batch: SyncBatch, item: OutboxEvent, now: float) -> tuple[object, ...]:
    e: ProgressEvent = item.event
    return (
        e.id,
        batch.center,
        batch.kiosk,
        item.seq,
        e.kind.value,
        e.session_id,
        e.learner_id,
        e.lesson_id,
        e.lesson_version,
        e.step_index,
        e.step_id,
        e.at,
        json.dumps(e.detail, ensure_ascii=False),
        now,
    )


def _add_summaries(conn: sqlite3.Connection, center: str, events: list[ProgressEvent]) -> None:
    lessons, steps = summarize(events)
    conn.executemany(
        _LESSON_UPSERT,
        [
            (center, learner, lesson, *(getattr(delta, c) for c in _LESSON_COLUMNS))
            for (learner, lesson), delta in lessons.items()
        ],
    )
    conn.executemany(
        _STEP_UPSERT,
        [
            (center, learner, lesson, step, d.wrong_attempts, d.help_calls, d.max_hint_level)
            for (learner, lesson, step), d in steps.items()
        ],
    )
