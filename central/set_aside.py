"""What intake set aside: refused messages and events it would not count, kept for the
dashboard and for whoever looks into them, never silently dropped.

One row per refused run of a kiosk (or per distinct unreadable message) and per set-aside
event; seeing it again bumps `times` and `last_at`, so a site resending the same run cannot
grow the table.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from pydantic_core import to_json

from central.database import Connection, Database
from lessons.events import EventRecord, ProgressEvent
from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import (
    MAX_BATCH_BYTES,
    MAX_SEQ,
    BatchRecord,
    ItemRecord,
    SyncAck,
    SyncProtocolError,
    parse_batch_topic,
)

# What `set_aside` keeps of a refused message: its hash and size name it exactly, and the
# first 4 KB show what it was, without letting a flood of megabyte junk fill central's disk.
SET_ASIDE_EXCERPT_BYTES = 4096
MAX_REASON_CHARS = 500
# A refused message is read once more only to find its run for the rejection; the broker
# lets nothing bigger than this through (deploy/mosquitto/central.conf.in max_packet_size).
MAX_READ_FOR_RUN_BYTES = 2 * MAX_BATCH_BYTES


def set_aside_event(
    conn: Connection, batch: BatchRecord, item: ItemRecord, reason: str, now: float
) -> None:
    """Keep an event central will not count, whole; a resend bumps its row's `times`."""
    text = event_json(item.event)
    key = hashlib.sha256(f"event/{batch.center}/{item.event.id}".encode()).hexdigest()
    digest = hashlib.sha256(text.encode()).hexdigest()
    _record(
        conn, key, batch.center, batch.kiosk, topics.sync_batch(batch.center, batch.kiosk),
        (batch.batch_id, batch.first_seq, batch.last_seq), item.event.id, reason,
        len(text.encode()), digest, text, now,
    )  # fmt: skip


def event_json(event: EventRecord) -> str:
    """The event as the kiosk's outbox holds it (`ProgressEvent.model_dump_json()`), however
    it was read."""
    return to_json({name: getattr(event, name) for name in ProgressEvent.model_fields}).decode()


def set_aside_message(
    conn: Connection, topic: str, payload: bytes, reason: str, now: float
) -> SyncAck | None:
    """Record a refused message in `set_aside`; the rejection to send, if it can be named."""
    try:
        center, kiosk = parse_batch_topic(topic)
    except SyncProtocolError:
        center, kiosk = "", ""
    run = _readable_run(payload)
    digest = hashlib.sha256(payload).hexdigest()
    # one row per refused run of a kiosk (a resend bumps `times`), else per distinct message
    key_text = f"run/{center}/{kiosk}/{run[1]}-{run[2]}/{reason}" if run else f"msg/{digest}"
    excerpt = payload[:SET_ASIDE_EXCERPT_BYTES].decode("utf-8", errors="replace")
    _record(
        conn, hashlib.sha256(key_text.encode()).hexdigest(), center, kiosk, topic[:300],
        run, None, reason, len(payload), digest, excerpt, now,
    )  # fmt: skip
    if not (center and run):
        return None
    return SyncAck(
        center=center,
        kiosk=kiosk,
        batch_id=run[0],
        first_seq=run[1],
        last_seq=run[2],
        status="rejected",
        reason=reason[:MAX_REASON_CHARS],
    )


def _readable_run(payload: bytes) -> tuple[str, int, int] | None:
    """(batch_id, first_seq, last_seq) of a refused batch, if they can be read at all."""
    if len(payload) > MAX_READ_FOR_RUN_BYTES:
        return None
    try:
        data = json.loads(payload)
        batch_id, first, last = data["batch_id"], data["first_seq"], data["last_seq"]
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    numbers = all(type(n) is int and 1 <= n <= MAX_SEQ for n in (first, last))
    if not (numbers and isinstance(batch_id, str) and 0 < len(batch_id) <= 64):
        return None
    return batch_id, first, last


def _record(
    conn: Connection,
    key: str,
    center: str,
    kiosk: str,
    topic: str,
    run: tuple[str, int, int] | None,
    event_id: str | None,
    reason: str,
    size: int,
    digest: str,
    payload: str,
    now: float,
) -> None:
    batch_id, first, last = run if run else (None, None, None)
    conn.execute(
        "INSERT INTO set_aside (key, center, kiosk, topic, batch_id, first_seq, last_seq, "
        "event_id, reason, size, sha256, payload, first_at, last_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE "
        "SET times = set_aside.times + 1, last_at = excluded.last_at, batch_id = excluded.batch_id",
        (key, center, kiosk, topic, batch_id, first, last, event_id,
         reason[:MAX_REASON_CHARS], size, digest, payload, now, now),
    )  # fmt: skip


@dataclass(frozen=True)
class SetAside:
    """One row of `set_aside`: a refused message (`event_id` None) or one event."""

    center: str
    kiosk: str
    topic: str
    batch_id: str | None
    first_seq: int | None
    last_seq: int | None
    event_id: str | None
    reason: str
    size: int
    sha256: str
    first_at: float
    last_at: float
    times: int


def recent(db: Database, center: str, limit: int = 50) -> list[SetAside]:
    """What was set aside for `center` ('' for messages no center could be read from),
    the latest first."""
    rows = db.execute(
        "SELECT center, kiosk, topic, batch_id, first_seq, last_seq, event_id, reason, size, "
        "sha256, first_at, last_at, times FROM set_aside WHERE center = ? "
        "ORDER BY last_at DESC LIMIT ?",
        [center, limit],
    )
    return [SetAside(*row) for row in rows.fetchall()]


@dataclass(frozen=True)
class KioskTotal:
    """What intake set aside for one kiosk of a center: how many rows, the latest, why."""

    kiosk: str
    rows: int
    last_at: float
    reason: str


def totals_by_kiosk(db: Database, center: str) -> list[KioskTotal]:
    """Per kiosk ('' for a message no kiosk could be read from), the latest first."""
    rows = db.execute(
        "SELECT k.kiosk, k.n, k.latest, (SELECT r.reason FROM set_aside r WHERE r.center = ? "
        "AND r.kiosk = k.kiosk ORDER BY r.last_at DESC LIMIT 1) FROM (SELECT kiosk, "
        "count(*) AS n, max(last_at) AS latest FROM set_aside WHERE center = ? GROUP BY kiosk) "
        "AS k ORDER BY k.latest DESC",
        [center, center],
    )
    return [KioskTotal(*row) for row in rows.fetchall()]


# Marks on stored events are counted over a center's latest events only: `events` has no
# index on `flags`, so the details page reads at most this many rows (by the (center, at)
# index) within MARKED_DAYS, however long the center has been running: measured ~11 ms for
# 10,000 rows (22–34 ms for 20,000) on the shared 2-core machine.
MARKED_SCAN_ROWS = 10_000
MARKED_DAYS = 30


@dataclass(frozen=True)
class MarkedEvents:
    """Stored events of a center that carry one mark (`events.flags`), among its latest."""

    flag: str
    events: int
    last_at: float  # when central received the latest of them


def marked_events(db: Database, center: str, now: float) -> list[MarkedEvents]:
    """Per mark, how many of the center's latest events (MARKED_DAYS, MARKED_SCAN_ROWS)
    were stored with it, the most frequent first."""
    rows = db.execute(
        "SELECT flags, count(*), max(received_at) FROM (SELECT flags, received_at FROM events "
        "WHERE center = ? AND at >= ? ORDER BY at DESC LIMIT ?) AS latest WHERE flags IS NOT NULL "
        "GROUP BY flags",
        [center, now - MARKED_DAYS * 86400, MARKED_SCAN_ROWS],
    )
    found: dict[str, tuple[int, float]] = {}
    for flags, count, last_at in rows.fetchall():
        for flag in str(flags).split():
            seen, latest = found.get(flag, (0, 0.0))
            found[flag] = (seen + count, max(latest, last_at))
    marked = [MarkedEvents(flag, n, at) for flag, (n, at) in found.items()]
    return sorted(marked, key=lambda m: (-m.events, m.flag))
