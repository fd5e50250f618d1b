"""Store sync batches exactly once, set aside what cannot be stored, and say what to ack.

A burst of batches is stored in one transaction; if storing any batch fails, the burst is
rolled back and stored again with each batch in its own savepoint, so whatever goes wrong
with one batch touches neither the others nor the commit: that batch is recorded in
`set_aside` and answered `rejected`. Events of a good batch that central
will not count (`central/intake_rules.py`) are set aside one by one; the rest is stored.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from pydantic_core import to_json

from central.batch_reader import batch_json, read_batch
from central.database import (
    Connection,
    Database,
    is_database_failure,
    is_postgres,
    write_transaction,
)
from central.db.bulk import insert_rows, upsert_rows
from central.intake_rules import Verdict, judge
from central.set_aside import MAX_REASON_CHARS, set_aside_event, set_aside_message
from central.summaries import LessonDelta, clean_days, summarize
from lessons.events import EventRecord
from lessons.learning_path import MASTERY_DAYS
from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import (
    BatchRecord,
    ItemRecord,
    SyncAck,
    SyncProtocolError,
)

log = logging.getLogger(__name__)

_EVENT_COLUMNS = (
    "id", "center", "kiosk", "seq", "kind", "session_id", "learner_id", "lesson_id",
    "lesson_version", "step_index", "step_id", "at", "detail", "received_at", "flags",
)  # fmt: skip
_LESSON_COLUMNS = LessonDelta.columns()
_KEY = [("center", "text"), ("learner_id", "text"), ("lesson_id", "text")]
_LESSON_TYPES = [
    (c, "float8" if isinstance(getattr(LessonDelta(), c), float) else "bigint")
    for c in _LESSON_COLUMNS
]
_STEP_TYPES = [
    ("step_id", "text"), ("wrong_attempts", "bigint"), ("help_calls", "bigint"),
    ("max_hint_level", "bigint"),
]  # fmt: skip


def _combine(column: str) -> str:
    """How a stored summary column takes in a delta (SET sees the row's old values; they
    are named by table, as PostgreSQL wants)."""
    old = f"lesson_summary.{column}"
    if column in ("mastered", "max_hint_level", "last_at"):
        return f"{column} = max({old}, excluded.{column})"
    if column == "first_at":
        return f"{column} = min({old}, excluded.{column})"
    if column == "last_step":
        return (
            f"{column} = CASE WHEN excluded.last_at >= lesson_summary.last_at "
            f"THEN excluded.{column} ELSE {old} END"
        )
    return f"{column} = {old} + excluded.{column}"


_LESSON_UPSERT = "ON CONFLICT (center, learner_id, lesson_id) DO UPDATE SET " + ", ".join(
    _combine(c) for c in _LESSON_COLUMNS
)
_STEP_UPSERT = (
    "ON CONFLICT (center, learner_id, lesson_id, step_id) DO UPDATE SET "
    "wrong_attempts = step_summary.wrong_attempts + excluded.wrong_attempts, "
    "help_calls = step_summary.help_calls + excluded.help_calls, "
    "max_hint_level = max(step_summary.max_hint_level, excluded.max_hint_level)"
)
_SQLITE_MAX_PARAMS = 30_000  # SQLite's default limit is 32,766 variables per statement


def store_batch(
    db: Database, batch: BatchRecord, now: float, lessons: Collection[str] | None = None
) -> SyncAck:
    """Store one batch's new events and their summaries in one transaction; ack the run."""
    return store_batches(db, [batch], now, lessons)[0]


def store_batches(
    db: Database,
    batches: Sequence[BatchRecord],
    now: float,
    lessons: Collection[str] | None = None,
) -> list[SyncAck]:
    """Store batches in one transaction (one commit for a burst); an ack for each. The
    batches must be validated ones (`SyncBatch` built normally, or read by `read_batch`):
    their rows are stored as they are (no U+0000 search, `_store`)."""
    topic = topics.sync_batch
    return _take(db, [(topic(b.center, b.kiosk), None, b) for b in batches], now, lessons)


def take_in(
    db: Database,
    messages: Sequence[tuple[str, bytes]],
    now: float,
    lessons: Collection[str] | None = None,
) -> list[SyncAck]:
    """Parse and store a burst of batch messages (topic, payload) in one transaction: an ack
    for every message whose run can be read, `stored` or `rejected` (and set aside)."""
    parsed = [(topic, payload, _parse(topic, payload)) for topic, payload in messages]
    for topic, _, refused in parsed:
        if isinstance(refused, str):
            log.warning("rejected a batch on %s: %s", topic[:200], refused)
    return _take(db, parsed, now, lessons)


Parsed = tuple[str, bytes | None, BatchRecord | str]  # topic, payload, the batch or why not


def centrals_own_failure(exc: BaseException) -> bool:
    """True if `exc` is central failing (its database locked, full, failing or corrupt; out
    of memory), not the batch: such a batch must not be answered `rejected`, which makes the
    site set its events aside for good. Nothing is acked and the site resends."""
    return isinstance(exc, MemoryError) or is_database_failure(exc)


def _take(
    db: Database,
    parsed: Sequence[Parsed],
    now: float,
    lessons: Collection[str] | None,
) -> list[SyncAck]:
    """The whole burst in one transaction; if a batch fails, the burst again with each batch
    in its own savepoint, so that only the failing one is set aside. (Savepoints on every
    burst would cost ~20% of intake's store rate: SQLite journals each page a batch touches.)"""
    # PostgreSQL: whether an event is new is decided per kiosk, one writer at a time (SQLite's
    # BEGIN IMMEDIATE already makes every writer wait); the event id's primary key backs it
    kiosks = [f"kiosk:{b.center}/{b.kiosk}" for _, _, b in parsed if not isinstance(b, str)]
    try:
        with write_transaction(db, *kiosks) as conn:
            return _take_all(conn, parsed, now, lessons, isolate=False)
    except Exception as exc:
        if centrals_own_failure(exc):
            raise  # the database (locked, full, I/O) or memory: nothing is acked, sites resend
        log.warning("a burst of %d batches failed (%r); storing each alone", len(parsed), exc)
    with write_transaction(db, *kiosks) as conn:
        return _take_all(conn, parsed, now, lessons, isolate=True)


def _take_all(
    conn: Connection,
    parsed: Sequence[Parsed],
    now: float,
    lessons: Collection[str] | None,
    isolate: bool,
) -> list[SyncAck]:
    """Every message's answer, in order: the batches stored together (or, `isolate`, each
    in its own savepoint), the refused messages set aside."""
    if isolate:
        acks = [
            set_aside_message(conn, topic, payload or b"", batch, now)
            if isinstance(batch, str)
            else _store_isolated(conn, batch, payload, now, lessons)
            for topic, payload, batch in parsed
        ]
    else:
        stored = iter(_store(conn, [b for _, _, b in parsed if not isinstance(b, str)],
                             now, lessons))  # fmt: skip
        acks = [
            set_aside_message(conn, topic, payload or b"", batch, now)
            if isinstance(batch, str)
            else next(stored)
            for topic, payload, batch in parsed
        ]
    return [ack for ack in acks if ack is not None]


def _parse(topic: str, payload: bytes) -> BatchRecord | str:
    """The batch, or why it is refused; nothing a center sends escapes as an exception."""
    try:
        return read_batch(topic, payload)
    except SyncProtocolError as exc:
        return str(exc)
    except MemoryError:
        raise  # central ran short, the message may be fine: not a refusal
    except Exception as exc:  # a parser bug must cost one message, never the burst
        log.exception("could not parse a batch on %s", topic[:200])
        return f"central could not read it: {type(exc).__name__}"


def _store_isolated(
    conn: Connection,
    batch: BatchRecord,
    payload: bytes | None,
    now: float,
    lessons: Collection[str] | None,
) -> SyncAck:
    """Store `batch` in a savepoint; if storing it fails, undo just it and set it aside."""
    conn.execute("SAVEPOINT batch")
    try:
        (ack,) = _store(conn, [batch], now, lessons)
    except Exception as exc:  # unless central itself failed, this batch's doing: set it aside
        if centrals_own_failure(exc):
            raise  # nothing is acked, the sites resend
        conn.execute("ROLLBACK TO batch")
        conn.execute("RELEASE batch")
        log.exception(
            "could not store batch %s of %s/%s (seq %d…%d); set aside",
            batch.batch_id, batch.center, batch.kiosk, batch.first_seq, batch.last_seq,
        )  # fmt: skip
        topic = topics.sync_batch(batch.center, batch.kiosk)
        reason = f"central could not store it: {type(exc).__name__}: {exc}"[:MAX_REASON_CHARS]
        set_aside_message(conn, topic, payload or batch_json(batch), reason, now)
        return _ack(batch, status="rejected", reason=reason)
    conn.execute("RELEASE batch")
    return ack


def _store(
    conn: Connection, batches: Sequence[BatchRecord], now: float, lessons: Collection[str] | None
) -> list[SyncAck]:
    """Store `batches`' new events and add them to the summaries; an ack for each batch.

    A few statements for the whole burst, not a few per batch (PostgreSQL pays a round trip
    and a plan for each): one look-up of the learners and one of the event ids, one insert
    of the new events, one upsert per summary table. The result is the same as storing the
    batches one after another: an event repeated in a later batch counts as a duplicate,
    and summing the deltas first is what adding them in turn would give."""
    every = [item.event for batch in batches for item in batch.events]
    owners = _learner_centers(conn, {e.learner_id for e in every} - {None})
    known = _stored_ids(conn, [e.id for e in every])
    rows: list[tuple[object, ...]] = []
    fresh: dict[str, list[EventRecord]] = {}
    runs: dict[tuple[str, str], tuple[int, int]] = {}  # (center, kiosk) -> last seq, new
    acks = []
    for batch in batches:
        judged = [
            (item, judge(item.event, center=batch.center, now=now, lessons=lessons,
                         learner_centers=owners))
            for item in batch.events
        ]  # fmt: skip
        kept = [(item, v) for item, v in judged if v.set_aside is None]
        new = _new_events(known, kept)
        rows += [_event_row(batch, item, verdict, now) for item, verdict in new]
        fresh.setdefault(batch.center, []).extend(item.event for item, _ in new)
        last_seq, added = runs.get((batch.center, batch.kiosk), (0, 0))
        runs[batch.center, batch.kiosk] = (max(last_seq, batch.last_seq), added + len(new))
        aside = [(item, v.set_aside) for item, v in judged if v.set_aside is not None]
        for item, reason in aside:
            set_aside_event(conn, batch, item, reason or "", now)
        acks.append(_ack(
            batch,
            inserted=len(new),
            duplicates=len(kept) - len(new),
            reason=_aside_summary(batch, [reason or "" for _, reason in aside]),
        ))  # fmt: skip
    # no U+0000 in an event's row: its ids are slugs and tokens, its kind an enum, its
    # detail JSON text (which writes U+0000 as an escape) and its flags central's own words
    insert_rows(conn, "events", _EVENT_COLUMNS, rows, nul_free=True)
    _add_summaries(conn, fresh)
    conn.executemany(
        "INSERT INTO kiosk_sync VALUES (?, ?, ?, ?, ?) ON CONFLICT (center, kiosk) DO UPDATE "
        "SET last_seq = max(kiosk_sync.last_seq, excluded.last_seq), "
        "events_total = kiosk_sync.events_total + excluded.events_total, "
        "last_batch_at = excluded.last_batch_at",
        [
            (center, kiosk, last, added, now)
            for (center, kiosk), (last, added) in sorted(runs.items())
        ],
    )
    return acks


def _ack(batch: BatchRecord, **fields: Any) -> SyncAck:
    """The answer to `batch`, naming its run."""
    run = {"center": batch.center, "kiosk": batch.kiosk, "batch_id": batch.batch_id}
    return SyncAck(**run, first_seq=batch.first_seq, last_seq=batch.last_seq, **fields)


def _learner_centers(conn: Connection, learners: set[str | None]) -> dict[str, str]:
    """The center of each of `learners` that is on some center's roster."""
    ids = [learner for learner in learners if learner]
    if not ids:
        return {}
    if is_postgres(conn):
        rows = conn.execute("SELECT id, center FROM learners WHERE id = ANY(?)", [ids])
        return dict(rows.fetchall())
    centers: dict[str, str] = {}
    for start in range(0, len(ids), _SQLITE_MAX_PARAMS):
        chunk = ids[start : start + _SQLITE_MAX_PARAMS]
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(f"SELECT id, center FROM learners WHERE id IN ({marks})", chunk)
        centers.update(rows.fetchall())
    return centers


def _aside_summary(batch: BatchRecord, reasons: list[str]) -> str | None:
    if not reasons:
        return None
    log.warning(
        "batch %s of %s/%s (seq %d…%d): %d events set aside: %s",
        batch.batch_id, batch.center, batch.kiosk, batch.first_seq, batch.last_seq,
        len(reasons), reasons[0],
    )  # fmt: skip
    more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
    return f"{len(reasons)} events set aside at central: {reasons[0]}{more}"[:MAX_REASON_CHARS]


def _new_events(
    known: set[str], items: Sequence[tuple[ItemRecord, Verdict]]
) -> list[tuple[ItemRecord, Verdict]]:
    """The items whose event id is not `known` (stored, or earlier in the burst); their
    ids become known."""
    new = []
    for item, verdict in items:
        if item.event.id not in known:
            known.add(item.event.id)
            new.append((item, verdict))
    return new


def _stored_ids(conn: Connection, ids: list[str]) -> set[str]:
    """Which of `ids` are stored already."""
    if is_postgres(conn):  # one array parameter: a plan that does not grow with the burst
        return {row[0] for row in conn.execute("SELECT id FROM events WHERE id = ANY(?)", [ids])}
    known: set[str] = set()
    for start in range(0, len(ids), _SQLITE_MAX_PARAMS):
        chunk = ids[start : start + _SQLITE_MAX_PARAMS]
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(f"SELECT id FROM events WHERE id IN ({marks})", chunk)
        known.update(row[0] for row in rows)
    return known


def _event_row(
    batch: BatchRecord, item: ItemRecord, verdict: Verdict, now: float
) -> tuple[object, ...]:
    e = item.event
    return (
        e.id,
        batch.center,
        batch.kiosk,
        item.seq,
        e.kind,  # a StrEnum: its text (`.value` is a Python-level property: slower)
        e.session_id,
        e.learner_id,
        e.lesson_id,
        e.lesson_version,
        e.step_index,
        e.step_id,
        e.at,
        to_json(e.detail).decode(),  # as json.dumps (UTF-8 kept), compact, ~8× faster
        now,
        " ".join(verdict.flags) or None,
    )


def _add_summaries(conn: Connection, events: Mapping[str, list[EventRecord]]) -> None:
    """Each center's new `events`' deltas, added to the summary rows in key order
    (PostgreSQL: two intakes updating the same rows take their row locks in the same order)."""
    lesson_rows, step_rows, days = [], [], []
    for center, new in events.items():
        lessons, steps = summarize(new)
        lesson_rows += [
            (center, learner, lesson, *(getattr(delta, c) for c in _LESSON_COLUMNS))
            for (learner, lesson), delta in lessons.items()
        ]
        step_rows += [
            (center, learner, lesson, step, d.wrong_attempts, d.help_calls, d.max_hint_level)
            for (learner, lesson, step), d in steps.items()
        ]
        days += [(center, learner, lesson, day) for learner, lesson, day in clean_days(new)]
    upsert_rows(conn, "lesson_summary", _KEY + _LESSON_TYPES, _LESSON_UPSERT, sorted(lesson_rows))
    upsert_rows(conn, "step_summary", _KEY + _STEP_TYPES, _STEP_UPSERT, sorted(step_rows))
    conn.executemany("INSERT OR IGNORE INTO clean_days VALUES (?, ?, ?, ?)", sorted(days))
    conn.executemany(  # mastered once clean on MASTERY_DAYS days (the kiosk's rule)
        "UPDATE lesson_summary SET mastered = 1 WHERE center = ? AND learner_id = ? "
        "AND lesson_id = ? AND mastered = 0 AND (SELECT count(*) FROM clean_days "
        "WHERE center = ? AND learner_id = ? AND lesson_id = ?) >= ?",
        [(c, ln, ls, c, ln, ls, MASTERY_DAYS) for c, ln, ls in sorted({d[:3] for d in days})],
    )
