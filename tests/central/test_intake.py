from __future__ import annotations

import itertools
import json
import logging
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path

import psycopg
import pytest
import sqlite_utils

from central import intake, set_aside
from central.database import MIGRATIONS, Database, open_database, sql_of, write_transaction
from central.intake import store_batch, store_batches, take_in
from central.intake_rules import NOT_ON_ROSTER
from central.roster import add_center, add_learner
from central.summaries import LessonDelta
from lessons.events import EventKind, ProgressEvent
from lessons.library import load_library
from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import (
    MAX_BATCH_BYTES,
    BatchRecord,
    OutboxEvent,
    SyncBatch,
    encode,
    encode_batch,
)
from tests.progress_events import LESSON, WALK_STARTS_AT, walk

NOW = WALK_STARTS_AT + 3600  # central's clock: an hour after the walks


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
def db(central_db: Path | str) -> Iterator[Database]:
    """Central's database, on SQLite and on PostgreSQL (tests/central/conftest.py)."""
    opened = open_database(central_db)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> sqlite_utils.Database:
    """For what only SQLite has (PRAGMAs that make a real SQLITE_FULL)."""
    return open_database(tmp_path / "central.db")


def count(db: Database, table: str) -> int:
    return int(db.execute(f"select count(*) from {table}").fetchone()[0])


def test_batch_is_stored_and_acknowledged(db: Database) -> None:
    events = walk("kim")
    (batch,) = batches(events, 500)
    ack = store_batch(db, batch, now=NOW)
    assert (ack.status, ack.inserted, ack.duplicates) == ("stored", len(events), 0)
    assert (ack.first_seq, ack.last_seq, ack.batch_id) == (1, len(events), "b0")
    assert count(db, "events") == len(events)
    assert db.execute("select last_seq, events_total from kiosk_sync").fetchone() == (
        len(events),
        len(events),
    )


def test_replayed_and_overlapping_batches_count_once(db: Database) -> None:
    events = walk("kim", wrong_taps=1)
    small = batches(events, 7)
    for batch in small:
        store_batch(db, batch, now=NOW)
    once = db.execute("select * from lesson_summary").fetchall()
    replay = store_batch(db, batches(events, 500)[0], now=NOW + 1)  # everything again, as one batch
    assert (replay.inserted, replay.duplicates) == (0, len(events))
    store_batch(db, small[1], now=NOW + 2)
    assert count(db, "events") == len(events)
    assert db.execute("select * from lesson_summary").fetchall() == once
    assert db.execute("select events_total from kiosk_sync").fetchone() == (len(events),)


def test_summaries_add_up_what_the_learner_did(db: Database) -> None:
    practices = sum(1 for step in LESSON.steps if step.practice)
    events = walk("kim", wrong_taps=2, help_calls=1) + walk("kim")
    attempts = [e for e in events if e.kind == EventKind.PRACTICE_ATTEMPT]
    wrong = sum(1 for e in attempts if not e.detail["correct"])
    helped = sum(1 for e in events if e.kind == EventKind.HELP_REQUESTED)
    for batch in batches(events, 10):
        store_batch(db, batch, now=NOW)
    row = db.execute(
        "select started, completed, mastered, attempts, wrong_attempts, max_hint_level, "
        "help_calls, quiz_answers, quiz_right, steps_completed from lesson_summary "
        "where learner_id = 'kim' and lesson_id = 'phone-call'"
    ).fetchone()
    assert wrong == 2 * practices and helped == practices
    # two clean runs on one day: not mastered yet (the kiosk's rule: two different days)
    assert row == (2, 2, 0, len(attempts), wrong, 2, helped, 2, 2, 2 * len(LESSON.steps))
    stuck = db.execute(
        "select count(*), sum(help_calls), max(max_hint_level) from step_summary"
    ).fetchone()
    assert stuck == (practices, helped, 2)


def test_summary_seconds_and_times(db: Database) -> None:
    events = walk("lee")
    store_batch(db, batches(events, 500)[0], now=NOW)
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


def other_center(batch: SyncBatch, center: str) -> SyncBatch:
    return batch.model_copy(update={"center": center})


def set_aside_rows(db: Database) -> list[tuple[object, ...]]:
    return db.execute(
        "select center, kiosk, batch_id, first_seq, last_seq, event_id, reason, size, times "
        "from set_aside order by rowid"
    ).fetchall()


def test_a_batch_that_fails_while_storing_is_set_aside_and_the_rest_are_stored(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    stored = intake._add_summaries

    def fail_for_mapo(conn: object, events: Mapping[str, list[ProgressEvent]]) -> None:
        if "mapo-2" in events:
            raise RuntimeError("something no check foresaw")
        stored(conn, events)  # type: ignore[arg-type]

    monkeypatch.setattr(intake, "_add_summaries", fail_for_mapo)
    a, b, c = batches(walk("kim"), 7)[:3]
    with caplog.at_level(logging.ERROR):
        acks = store_batches(db, [a, other_center(b, "mapo-2"), c], now=NOW)
    assert "could not store batch b1 of mapo-2/kiosk-1 (seq 8…14)" in caplog.text
    assert [ack.status for ack in acks] == ["stored", "rejected", "stored"]
    assert "RuntimeError: something no check foresaw" in (acks[1].reason or "")
    assert count(db, "events") == len(a.events) + len(c.events)
    assert db.execute("select distinct center from events").fetchall() == [("gangnam-1",)]
    ((center, kiosk, batch_id, first, last, event_id, reason, size, times),) = set_aside_rows(db)
    assert (center, kiosk, batch_id, first, last, event_id) == (
        "mapo-2",
        "kiosk-1",
        "b1",
        8,
        14,
        None,
    )
    assert "RuntimeError" in str(reason) and int(str(size)) > 0 and times == 1


def test_refused_messages_are_set_aside_answered_and_hold_back_nothing(
    db: Database,
) -> None:
    good, mismatched, nan = batches(walk("kim"), 7)[:3]
    wrong_run = json.loads(encode(mismatched))
    wrong_run["last_seq"] += 100
    not_finite = json.loads(encode(nan))
    not_finite["events"][0]["event"]["at"] = float("nan")  # json.dumps writes NaN
    topic = topics.sync_batch("gangnam-1", "kiosk-1")
    messages = [
        (topic, b"\xff not json"),
        (topic, json.dumps(wrong_run).encode()),
        (topic, json.dumps(not_finite).encode()),
        ("sarangbang/v1/centers/X Y/sync/kiosk-1/batch", encode(good)),
        (topic, encode(good)),
    ]
    acks = take_in(db, messages, now=NOW)
    assert [(ack.status, ack.batch_id) for ack in acks] == [
        ("rejected", "b1"), ("rejected", "b2"), ("stored", "b0")
    ]  # fmt: skip
    assert "must be seq 8…114" in (acks[0].reason or "")
    assert "at is nan, not a finite time" in (acks[1].reason or "")
    assert count(db, "events") == len(good.events)
    rows = set_aside_rows(db)
    assert [(r[0], r[2]) for r in rows] == [
        ("gangnam-1", None), ("gangnam-1", "b1"), ("gangnam-1", "b2"), ("", "b0")
    ]  # fmt: skip
    sizes = db.execute("select size, length(sha256), length(payload) from set_aside").fetchall()
    assert sizes[0] == (len(b"\xff not json"), 64, len("\ufffd not json"))


def test_a_resent_refused_run_is_recorded_once(db: Database) -> None:
    (batch,) = batches(walk("kim")[:3], 7)
    wrong = json.loads(encode(batch))
    wrong["last_seq"] = 9
    topic = topics.sync_batch("gangnam-1", "kiosk-1")
    for n in range(3):  # the agent resends the run under a new batch id each time
        take_in(db, [(topic, json.dumps(wrong | {"batch_id": f"again-{n}"}).encode())], NOW)
    ((*_, times),) = set_aside_rows(db)
    assert times == 3


def shifted(events: list[ProgressEvent], index: int, **changes: object) -> list[ProgressEvent]:
    return [e.model_copy(update=changes) if i == index else e for i, e in enumerate(events)]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"at": 95_617_584_000.0}, "at 5000-01-01 00:00 UTC: more than a day ahead"),
        ({"at": NOW + 2 * 86_400}, "more than a day ahead of central's clock"),
        ({"at": 1_000_000.0}, "at 1970-01-12 13:46 UTC: before 2024"),
        ({"lesson_id": "made-up-lesson"}, "lesson 'made-up-lesson' is not in central's catalog"),
        ({"learner_id": "mapo-learner"}, "learner mapo-learner is on another center's roster"),
    ],
)
def test_schema_valid_nonsense_is_set_aside_and_the_rest_of_the_batch_stored(
    db: Database, changes: dict[str, object], reason: str
) -> None:
    add_center(db, "mapo-2", "마포")
    db.execute("insert into learners values ('mapo-learner', 'mapo-2', '박', 'blue', 0)")
    events = shifted(walk("kim"), 3, **changes)
    (batch,) = batches(events, 500)
    ack = store_batch(db, batch, now=NOW, lessons=load_library().lessons.keys())
    assert (ack.status, ack.inserted, ack.duplicates) == ("stored", len(events) - 1, 0)
    assert (ack.reason or "").startswith(f"1 events set aside at central: event {events[3].id}")
    assert reason in (ack.reason or "")
    ((center, _, batch_id, _, _, event_id, *_),) = set_aside_rows(db)
    assert (center, batch_id, event_id) == ("gangnam-1", "b0", events[3].id)
    kept = db.execute("select payload from set_aside").fetchone()[0]
    assert ProgressEvent.model_validate_json(kept) == events[3]  # kept whole, not lost
    assert db.execute("select count(*) from events where id = ?", [events[3].id]).fetchone() == (0,)
    stored = store_batch(db, batch, now=NOW + 60, lessons=load_library().lessons.keys())
    assert (stored.inserted, stored.duplicates) == (0, len(events) - 1)  # a resend: nothing new
    assert db.execute("select times from set_aside").fetchone() == (2,)


def test_a_learner_not_on_the_roster_is_stored_and_marked(db: Database) -> None:
    add_center(db, "gangnam-1", "강남")
    on_roster = add_learner(db, "gangnam-1", "김")
    (batch,) = batches(walk(on_roster) + walk("stranger"), 500)
    store_batch(db, batch, now=NOW)
    flags = db.execute("select learner_id, flags from events group by 1, 2 order by 1").fetchall()
    assert flags == sorted([(on_roster, None), ("stranger", NOT_ON_ROSTER)])
    learners = db.execute("select learner_id from lesson_summary order by 1").fetchall()
    assert learners == sorted([(on_roster,), ("stranger",)])  # nothing lost, and marked


@pytest.mark.parametrize(
    ("detail", "flag"),
    [
        ({"seconds": -30.0}, "seconds-not-counted"),
        ({"seconds": 5e9}, "seconds-not-counted"),
        ({"hint_level": 2**40}, "hint-level-not-counted"),
        ({"hint_level": -1}, "hint-level-not-counted"),
    ],
)
def test_absurd_durations_and_hint_levels_are_kept_but_not_counted(
    db: Database, detail: dict[str, object], flag: str
) -> None:
    events = walk("kim")
    last = events[-1]
    events[-1] = last.model_copy(update={"detail": {**last.detail, **detail}})
    events.insert(3, events[2].model_copy(update={"id": "practice-x", "detail": detail}))
    (batch,) = batches(events, 500)
    store_batch(db, batch, now=NOW)
    seconds, hint = db.execute("select seconds, max_hint_level from lesson_summary").fetchone()
    assert 0 <= seconds <= 86_400 and 0 <= hint <= 3
    (flags,) = db.execute("select flags from events where id = ?", [last.id]).fetchone()
    assert flag in flags.split()
    assert db.execute("select count(*) from events").fetchone() == (len(events),)


def test_a_message_the_parser_chokes_on_costs_only_itself(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    parse = intake.read_batch

    def choke_on_mapo(topic: str, payload: bytes) -> BatchRecord:
        if "mapo-2" in topic:
            raise RecursionError("a parser bug")
        return parse(topic, payload)

    monkeypatch.setattr(intake, "read_batch", choke_on_mapo)
    good, other = batches(walk("kim"), 10)[:2]
    messages = [
        (topics.sync_batch("mapo-2", "kiosk-1"), encode(other_center(other, "mapo-2"))),
        (topics.sync_batch("gangnam-1", "kiosk-1"), encode(good)),
    ]
    acks = take_in(db, messages, now=NOW)
    assert [(a.center, a.status) for a in acks] == [("mapo-2", "rejected"), ("gangnam-1", "stored")]
    assert "could not read it: RecursionError" in (acks[0].reason or "")
    assert count(db, "events") == len(good.events)


def test_a_batch_over_a_megabyte_is_rejected_by_its_run_and_shown_for_its_center(
    db: Database,
) -> None:
    events = [e.model_copy(update={"detail": {"note": "가" * 700}}) for e in walk("kim") * 40]
    events = [e.model_copy(update={"id": f"big-{n:05d}"}) for n, e in enumerate(events)][:600]
    rows = [(n + 1, e.model_dump_json()) for n, e in enumerate(events)]
    payload = encode_batch("gangnam-1", "kiosk-1", "big", rows)
    assert len(payload) > MAX_BATCH_BYTES  # 600 events of ~2 KB, as in issue 18
    (ack,) = take_in(db, [(topics.sync_batch("gangnam-1", "kiosk-1"), payload)], now=NOW)
    assert (ack.status, ack.batch_id, ack.first_seq, ack.last_seq) == ("rejected", "big", 1, 600)
    assert "exceeds" in (ack.reason or "")
    (shown,) = set_aside.recent(db, "gangnam-1")
    assert (shown.kiosk, shown.first_seq, shown.last_seq, shown.size) == (
        "kiosk-1", 1, 600, len(payload)
    )  # fmt: skip
    assert set_aside.recent(db, "mapo-2") == []


def test_a_database_from_before_set_aside_is_migrated_and_keeps_its_events(
    tmp_path: Path,
) -> None:
    path = tmp_path / "central.db"
    old = sqlite3.connect(path)
    for script in MIGRATIONS[:2]:
        for statement in filter(str.strip, sql_of(script).split(";")):
            old.execute(statement)
    old.execute("PRAGMA user_version = 2")
    old.execute(
        "INSERT INTO events VALUES ('event-old-1', 'gangnam-1', 'kiosk-1', 1, 'lesson_started', "
        "'s', 'kim', 'phone-call', 1, 0, NULL, 1748736000.0, '{}', 1748736001.0)"
    )
    old.commit()
    old.close()
    db = open_database(path)
    assert db.execute("select id, flags from events").fetchall() == [("event-old-1", None)]
    (batch,) = batches(walk("kim"), 500, first_seq=2)
    assert store_batch(db, batch, now=NOW).inserted == len(batch.events)
    assert count(db, "set_aside") == 0


@pytest.mark.parametrize(
    ("where", "failure"),
    [
        ("parsing", MemoryError()),
        ("storing", MemoryError()),
        ("storing", sqlite3.DatabaseError("database disk image is malformed")),
        ("storing", sqlite3.OperationalError("database or disk is full")),
        ("storing", psycopg.errors.DiskFull("could not extend file")),
        ("storing", psycopg.OperationalError("server closed the connection unexpectedly")),
        ("storing", psycopg.errors.DeadlockDetected("deadlock detected")),
    ],
    ids=[
        "parsing-out-of-memory",
        "out-of-memory",
        "corrupt-database",
        "disk-full",
        "pg-disk-full",
        "pg-connection-lost",
        "pg-deadlock",
    ],
)
def test_central_failing_is_never_answered_rejected(
    db: Database, monkeypatch: pytest.MonkeyPatch, failure: Exception, where: str
) -> None:
    """`rejected` makes the site set the events aside for good: a failure of central's own
    (memory, a corrupt or full database) must leave the batch unanswered, to be resent."""
    target = "read_batch" if where == "parsing" else "_add_summaries"
    real = getattr(intake, target)
    failing = [True]

    def fail_once(*args: object) -> object:
        if failing[0]:
            raise failure
        return real(*args)

    monkeypatch.setattr(intake, target, fail_once)
    batch = batches(walk("kim"), 7)[0]
    message = (topics.sync_batch("gangnam-1", "kiosk-1"), encode(batch))
    with pytest.raises(type(failure)):
        take_in(db, [message], now=NOW)
    assert set_aside_rows(db) == [] and count(db, "events") == 0
    failing[0] = False  # central recovers; the site's resend is stored
    (ack,) = take_in(db, [message], now=NOW)
    assert (ack.status, ack.inserted) == ("stored", len(batch.events))


def test_a_full_database_answers_nothing_and_takes_batches_once_it_has_room(
    sqlite_db: sqlite_utils.Database,
) -> None:
    """A real SQLITE_FULL (the file may not grow past max_page_count): nothing is acked,
    nothing set aside, and the next burst after room is made is stored."""
    pages = sqlite_db.execute("PRAGMA page_count").fetchone()[0]
    sqlite_db.execute(f"PRAGMA max_page_count = {pages + 2}")
    burst = batches([e for n in range(20) for e in walk(f"kim-{n}")], 500)
    messages = [(topics.sync_batch("gangnam-1", "kiosk-1"), encode(b)) for b in burst]
    with pytest.raises(sqlite3.OperationalError, match="full"):
        take_in(sqlite_db, messages, now=NOW)
    assert not sqlite_db.conn.in_transaction
    assert set_aside_rows(sqlite_db) == [] and count(sqlite_db, "events") == 0
    sqlite_db.execute("PRAGMA max_page_count = 1073741823")
    acks = take_in(sqlite_db, messages, now=NOW)
    assert [a.status for a in acks] == ["stored"] * len(burst)


def test_a_transaction_sqlite_already_rolled_back_reports_why(
    db: Database,
) -> None:
    """Out of memory or a full disk can make SQLite roll back by itself; the reason must
    come out (not "cannot rollback - no transaction is active") and the next write work."""
    with pytest.raises(MemoryError), write_transaction(db) as conn:
        conn.execute("INSERT INTO centers (id, name) VALUES ('x-1', 'x')")
        conn.execute("ROLLBACK")  # what SQLite does on SQLITE_NOMEM mid-statement
        raise MemoryError
    with write_transaction(db) as conn:
        conn.execute("INSERT INTO centers (id, name) VALUES ('x-2', 'x')")
    assert [r[0] for r in db.execute("SELECT id FROM centers")] == ["x-2"]


DAY = 24 * 3600.0


def mastered(db: Database, learner: str) -> int:
    row = db.execute(
        "select mastered from lesson_summary where learner_id = ? and lesson_id = 'phone-call'",
        [learner],
    ).fetchone()
    return int(row[0])


def test_mastered_is_clean_runs_on_two_days_as_on_the_kiosk(db: Database) -> None:
    """The dashboard's "mastered" is the kiosk's learning path's (lessons/learning_path.py):
    a run with a level-3 hint does not count, two clean runs on one day count once."""
    first = walk("kim")  # clean: no wrong tap, no hint
    same_day = walk("kim", starts_at=WALK_STARTS_AT + 600)
    helped = walk("lee", wrong_taps=3, starts_at=WALK_STARTS_AT + DAY)  # level 3: not clean
    for events in (first, same_day):
        store_batches(db, batches(events, 500), now=NOW)
    assert mastered(db, "kim") == 0
    store_batches(db, batches(walk("kim", starts_at=WALK_STARTS_AT + DAY), 500), now=NOW)
    assert mastered(db, "kim") == 1
    store_batches(db, batches(walk("lee") + helped, 500, first_seq=900), now=NOW)
    assert mastered(db, "lee") == 0


def test_the_migration_counts_mastered_again_from_the_stored_events(tmp_path: Path) -> None:
    """A database from before the rule (version 4, mastered = the lesson's own rule on any
    run) is counted again from its events when it opens."""
    stored = tmp_path / "stored.db"
    store_batches(open_database(stored), batches(walk("kim"), 500), now=NOW)
    old = sqlite3.connect(tmp_path / "central.db")  # a version 4 file holding those rows
    for script in MIGRATIONS[:4]:
        for statement in filter(str.strip, sql_of(script).split(";")):
            old.execute(statement)
    old.execute("PRAGMA user_version = 4")
    old.execute("ATTACH DATABASE ? AS stored", [str(stored)])
    for table in ("events", "kiosk_sync", "lesson_summary", "step_summary"):
        old.execute(f"INSERT INTO {table} SELECT * FROM stored.{table}")
    old.execute("UPDATE lesson_summary SET mastered = 1")  # what version 4 said
    old.commit()
    old.close()
    again = open_database(tmp_path / "central.db")
    assert mastered(again, "kim") == 0 and again["clean_days"].count == 1


def test_a_burst_stores_what_its_batches_one_by_one_would(db: Database) -> None:
    """A burst is stored by a few statements for all its batches (one insert of the new
    events, one upsert per summary table): the rows are those of storing each batch in
    turn, and a batch repeated within the burst counts once."""
    events = walk("kim", wrong_taps=1, help_calls=1) + walk("lee") + walk("kim")
    for batch in batches(events, 7):
        store_batch(db, batch, now=NOW)
    renamed = [e.model_copy(update={"id": f"again-{e.id}"}) for e in events]
    burst = [other_center(b, "mapo-2") for b in batches(renamed, 7)]
    acks = store_batches(db, [*burst, burst[1]], now=NOW)
    assert [a.inserted for a in acks] == [len(b.events) for b in burst] + [0]
    assert acks[-1].duplicates == len(burst[1].events)
    lesson = ", ".join(["learner_id", "lesson_id", *LessonDelta.columns()])
    step = "learner_id, lesson_id, step_id, wrong_attempts, help_calls, max_hint_level"
    for table, columns in (("lesson_summary", lesson), ("step_summary", step),
                           ("clean_days", "learner_id, lesson_id, day"),
                           ("kiosk_sync", "kiosk, last_seq, events_total")):  # fmt: skip
        query = f"select {columns} from {table} where center = ?"
        rows = {c: sorted(db.execute(query, [c]).fetchall()) for c in ("gangnam-1", "mapo-2")}
        assert rows["mapo-2"] == rows["gangnam-1"] != [], table
