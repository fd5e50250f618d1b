"""The kiosk's local store (SQLite through sqlite-utils, WAL): roster, settings, lesson
state, and the append-only outbox of progress events that the sync agent ships.

Every write is one transaction, so a process killed mid-write loses at most that write and
never leaves a half-written event. Outbox rows carry a per-kiosk sequence number that grows
by exactly one per stored event (it is assigned inside the inserting transaction, and an
event id seen before is ignored without using a number) and the event's unique id.
A connection belongs to one thread: the kiosk opens one for reading on the UI thread and
one in its writer thread.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk_app.teaching.settings import LearnerSettings
from lessons.events import EventKind, ProgressEvent
from lessons.graphemes import first_characters
from lessons.learning_path import Completion, completion_of
from robot_bridge.protocol.wire import MAX_NAME_CHARS

# 2: `completions`, one row per finished run (its day and highest hint level), which the
# learning path reads; a version-1 store gets it filled from its outbox's lesson_completed
# events when it is first opened (the outbox keeps every event).
SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS learners (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, colour TEXT NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0, position INTEGER NOT NULL, updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS learner_settings (
    learner_id TEXT PRIMARY KEY REFERENCES learners(id), text_size INTEGER NOT NULL,
    speech_rate INTEGER NOT NULL, high_contrast INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS lesson_state (
    learner_id TEXT NOT NULL, lesson_id TEXT NOT NULL, step_index INTEGER NOT NULL,
    in_progress INTEGER NOT NULL, finished INTEGER NOT NULL, mastered INTEGER NOT NULL,
    updated_at REAL NOT NULL, PRIMARY KEY (learner_id, lesson_id));
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, kiosk_id TEXT NOT NULL,
    kind TEXT NOT NULL, learner_id TEXT, lesson_id TEXT NOT NULL, at REAL NOT NULL,
    payload TEXT NOT NULL, stored_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS completions (
    event_id TEXT PRIMARY KEY, learner_id TEXT NOT NULL, lesson_id TEXT NOT NULL,
    at REAL NOT NULL, day TEXT NOT NULL, max_hint_level INTEGER NOT NULL,
    skipped INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS completions_by_learner ON completions (learner_id, lesson_id);
CREATE TABLE IF NOT EXISTS set_aside (
    seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, payload TEXT NOT NULL,
    reason TEXT NOT NULL, set_aside_at REAL NOT NULL);
"""
# Learner tile colours, by name; the theme turns each into a colour pair with 7:1 contrast.
COLOURS = ("blue", "green", "purple", "orange", "teal", "red")


class StoreError(Exception):
    """The store cannot do what was asked; `key` names the message the instructor sees."""

    def __init__(self, key: str, detail: str) -> None:
        super().__init__(f"{key}: {detail}")
        self.key = key
        self.detail = detail


@dataclass(frozen=True)
class Learner:
    id: str
    name: str
    colour: str = COLOURS[0]
    hidden: bool = False
    position: int = 0


@dataclass(frozen=True)
class LessonState:
    learner_id: str
    lesson_id: str
    step_index: int
    in_progress: bool
    finished: bool = False
    mastered: bool = False
    updated_at: float = 0.0


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    event: ProgressEvent


@dataclass(frozen=True)
class StoreStatus:
    path: str
    events: int
    last_seq: int
    synced_up_to: int
    oldest_unsynced_at: float | None = None  # when the oldest event still to send happened
    set_aside: int = 0  # events central refused (or too big to send), kept in `set_aside`
    set_aside_reason: str | None = None  # why the latest of them was set aside

    @property
    def unsynced(self) -> int:
        return self.last_seq - self.synced_up_to


def _error_key(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    if "full" in text:
        return "store.disk_full"
    if "readonly" in text or "read-only" in text:
        return "store.read_only"
    if "unable to open" in text:
        return "store.cannot_open"
    if "malformed" in text or "not a database" in text:
        return "store.corrupt"
    return "store.other"


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(_error_key(exc), str(exc)) from None
    except OSError as exc:
        key = "store.read_only" if isinstance(exc, PermissionError) else "store.cannot_open"
        raise StoreError(key, str(exc)) from None


class Store:
    """One connection to the kiosk store. Use from the thread that opened it."""

    def __init__(self, db: sqlite_utils.Database, kiosk_id: str, label: str) -> None:
        self.db = db
        self.kiosk_id = kiosk_id
        self.label = label
        with _translated():
            db.executescript(_SCHEMA)  # idempotent DDL; executescript commits on its own
        with _translated(), self._write():
            row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is not None and int(row[0]) < 2:
                self._fill_completions()
            if row is None or int(row[0]) < SCHEMA_VERSION:
                db.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                    [str(SCHEMA_VERSION)],
                )

    @contextmanager
    def _write(self) -> Iterator[None]:
        """A write transaction that takes the write lock up front (BEGIN IMMEDIATE).

        The kiosk and its sync agent write the same file. A deferred transaction that reads
        and then writes fails at once with "database is locked" when the other connection
        committed in between; an immediate one waits for the lock (busy_timeout) instead.
        """
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # SQLITE_FULL has already rolled the transaction back
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @classmethod
    def open(cls, path: Path, kiosk_id: str) -> Store:
        """Open (creating if needed) the store file at `path` in WAL mode."""
        with _translated():
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite_utils.Database(path)
            db.enable_wal()
            # Full durability: a committed event survives a power cut, not only a crash.
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=5000")
        return cls(db, kiosk_id, str(path))

    @classmethod
    def memory(cls, name: str, kiosk_id: str) -> Store:
        """A store in memory, shared by every connection with the same `name` in this process."""
        return cls(sqlite_utils.Database(memory_name=name), kiosk_id, f"memory:{name}")

    def close(self) -> None:
        self.db.close()

    # ---- roster -------------------------------------------------------------------------

    def learners(self, include_hidden: bool = False) -> list[Learner]:
        where = "" if include_hidden else "WHERE hidden = 0"
        sql = (
            f"SELECT id, name, colour, hidden, position FROM learners {where} "
            "ORDER BY position, name"
        )
        with _translated():
            rows = self.db.execute(sql).fetchall()
        return [Learner(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    def learner(self, learner_id: str) -> Learner | None:
        found = [x for x in self.learners(include_hidden=True) if x.id == learner_id]
        return found[0] if found else None

    def add_learner(self, name: str) -> Learner:
        """Add a learner at the end of the roster, with the next tile colour."""
        name = _clean_name(name)
        with _translated(), self._write():
            count = self.db.execute("SELECT COUNT(*) FROM learners").fetchone()[0]
            learner = Learner(
                uuid.uuid4().hex[:12], name, COLOURS[count % len(COLOURS)], False, count
            )
            self._upsert_learner(learner)
        return learner

    def rename_learner(self, learner_id: str, name: str) -> None:
        self._update_learner(learner_id, name=_clean_name(name))

    def set_hidden(self, learner_id: str, hidden: bool) -> None:
        self._update_learner(learner_id, hidden=int(hidden))

    def apply_roster(self, learners: Iterable[Learner]) -> None:
        """Insert or update learners from central's roster, all at once."""
        with _translated(), self._write():
            for learner in learners:
                self._upsert_learner(learner)

    def _upsert_learner(self, learner: Learner) -> None:
        self.db.execute(
            "INSERT INTO learners VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "name=excluded.name, colour=excluded.colour, hidden=excluded.hidden, "
            "position=excluded.position, updated_at=excluded.updated_at",
            [learner.id, learner.name, learner.colour, int(learner.hidden), learner.position,
             time.time()],
        )  # fmt: skip

    def _update_learner(self, learner_id: str, **values: Any) -> None:
        sets = ", ".join(f"{column} = ?" for column in values)
        with _translated(), self._write():
            self.db.execute(
                f"UPDATE learners SET {sets}, updated_at = ? WHERE id = ?",
                [*values.values(), time.time(), learner_id],
            )

    # ---- settings and lesson state --------------------------------------------------------

    def settings(self, learner_id: str) -> LearnerSettings:
        with _translated():
            row = self.db.execute(
                "SELECT text_size, speech_rate, high_contrast FROM learner_settings "
                "WHERE learner_id = ?",
                [learner_id],
            ).fetchone()
        return LearnerSettings(row[0], row[1], bool(row[2])) if row else LearnerSettings()

    def save_settings(self, learner_id: str, settings: LearnerSettings) -> None:
        with _translated(), self._write():
            self.db.execute(
                "INSERT OR REPLACE INTO learner_settings VALUES (?, ?, ?, ?)",
                [learner_id, settings.text_size, settings.speech_rate, int(settings.high_contrast)],
            )

    def lesson_states(self, learner_id: str) -> dict[str, LessonState]:
        with _translated():
            rows = self.db.execute(
                "SELECT learner_id, lesson_id, step_index, in_progress, finished, mastered, "
                "updated_at FROM lesson_state WHERE learner_id = ?",
                [learner_id],
            ).fetchall()
        return {
            r[1]: LessonState(r[0], r[1], r[2], bool(r[3]), bool(r[4]), bool(r[5]), r[6])
            for r in rows
        }

    def completions(self, learner_id: str) -> list[Completion]:
        """Every finished run of a lesson by this learner, oldest first."""
        with _translated():
            rows = self.db.execute(
                "SELECT lesson_id, at, day, max_hint_level, skipped FROM completions "
                "WHERE learner_id = ? ORDER BY at",
                [learner_id],
            ).fetchall()
        return [Completion(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def _add_completion(self, event: ProgressEvent) -> None:
        run = completion_of(event)
        if run is None:
            return
        self.db.execute(
            "INSERT OR IGNORE INTO completions VALUES (?, ?, ?, ?, ?, ?, ?)",
            [event.id, event.learner_id, run.lesson_id, run.at, run.day, run.max_hint_level,
             run.skipped],
        )  # fmt: skip

    def _fill_completions(self) -> None:
        """Migration 1 → 2: the runs a version-1 store finished, from its outbox."""
        rows = self.db.execute(
            "SELECT payload FROM outbox WHERE kind = ?", [EventKind.LESSON_COMPLETED.value]
        ).fetchall()
        for (payload,) in rows:
            self._add_completion(ProgressEvent.model_validate_json(payload))

    # ---- the outbox -----------------------------------------------------------------------

    def record(self, events: Iterable[ProgressEvent], state: LessonState | None = None) -> int:
        """Append `events` and save `state`, in one transaction; return the last sequence."""
        with _translated(), self._write():
            seq = self._last_seq()
            for event in events:
                inserted = self.db.execute(
                    "INSERT OR IGNORE INTO outbox VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [seq + 1, event.id, self.kiosk_id, event.kind.value, event.learner_id,
                     event.lesson_id, event.at, event.model_dump_json(), time.time()],
                ).rowcount  # fmt: skip
                seq += inserted
                if inserted:
                    self._add_completion(event)
            if state is not None:
                self._save_state(state)
        return seq

    def _save_state(self, s: LessonState) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO lesson_state VALUES (?, ?, ?, ?, ?, ?, ?)",
            [s.learner_id, s.lesson_id, s.step_index, int(s.in_progress), int(s.finished),
             int(s.mastered), s.updated_at],
        )  # fmt: skip

    def unsynced(self, limit: int = 500, after: int = 0) -> list[OutboxRow]:
        """The oldest events central has not acknowledged (and past `after`), in order."""
        return [
            OutboxRow(seq, ProgressEvent.model_validate_json(payload))
            for seq, payload in self.unsynced_payloads(limit, after)
        ]

    def unsynced_payloads(self, limit: int = 500, after: int = 0) -> list[tuple[int, str]]:
        """Like `unsynced`, but each event as the JSON text it was stored as (no parsing:
        the sync agent forwards it as it is)."""
        with _translated():
            rows = self.db.execute(
                "SELECT seq, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                [max(after, self._synced_up_to()), limit],
            ).fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def mark_synced(self, up_to_seq: int) -> None:
        """Central acknowledged every event up to `up_to_seq`; never moves backwards."""
        self.settle(up_to_seq)

    def settle(self, up_to_seq: int, set_aside: Iterable[tuple[int, int, str]] = ()) -> None:
        """Copy each run `(first_seq, last_seq, reason)` that will not reach central into the
        `set_aside` table (the outbox keeps it too), and move "synced up to" to `up_to_seq`,
        in one transaction: the mark never passes a run that is not recorded."""
        with _translated(), self._write():
            for first, last, reason in set_aside:
                self.db.execute(
                    "INSERT OR IGNORE INTO set_aside SELECT seq, event_id, payload, ?, ? "
                    "FROM outbox WHERE seq BETWEEN ? AND ?",
                    [reason, time.time(), first, last],
                )
            up_to = min(max(up_to_seq, self._synced_up_to()), self._last_seq())
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('synced_up_to', ?)", [str(up_to)])

    def set_aside_events(self) -> list[tuple[int, str, str]]:
        """Every event set aside: `(seq, event_id, reason)`, in outbox order."""
        with _translated():
            rows = self.db.execute("SELECT seq, event_id, reason FROM set_aside ORDER BY seq")
            return [(int(r[0]), str(r[1]), str(r[2])) for r in rows.fetchall()]

    def keep(self, key: str, value: str) -> None:
        """Keep a small kiosk-wide value across restarts (the last schedule, the volume)."""
        with _translated(), self._write():
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def kept(self, key: str) -> str | None:
        """The value last kept under `key`, if any."""
        with _translated():
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else None

    def save_schedule(self, payload: str) -> None:
        """Keep the center's last schedule (its JSON), so today's class shows offline too."""
        self.keep("schedule", payload)

    def schedule(self) -> str | None:
        """The last schedule kept by `save_schedule`, if any."""
        return self.kept("schedule")

    def status(self) -> StoreStatus:
        with _translated():
            count = self.db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
            synced = self._synced_up_to()
            oldest = self.db.execute(
                "SELECT at FROM outbox WHERE seq > ? ORDER BY seq LIMIT 1", [synced]
            ).fetchone()
            aside = self.db.execute(
                "SELECT COUNT(*), (SELECT reason FROM set_aside ORDER BY set_aside_at DESC, "
                "seq DESC LIMIT 1) FROM set_aside"
            ).fetchone()
            return StoreStatus(
                self.label, count, self._last_seq(), synced, oldest[0] if oldest else None,
                int(aside[0]), aside[1],
            )  # fmt: skip

    def integrity(self) -> str:
        """SQLite's own integrity check: 'ok' when the file is sound."""
        with _translated():
            return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

    def _last_seq(self) -> int:
        return int(self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM outbox").fetchone()[0])

    def _synced_up_to(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'synced_up_to'").fetchone()
        return int(row[0]) if row else 0


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValueError("a learner needs a name")
    return first_characters(name, MAX_NAME_CHARS)  # central's rule: what a person sees
