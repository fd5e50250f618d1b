"""Reading a sync batch fast, for intake: msgspec decodes the bytes straight into typed,
bounded records, where the protocol's pydantic models (robot_bridge/protocol/sync_protocol.py)
read the JSON and then build two models an event.

This reader only ever says "yes, exactly this" or "not sure". Anything it does not accept
whole — a field of another type, an id that is not a slug, a run out of order — is read
again by `parse_batch`, whose verdict and words count: what is refused, and why, is what it
was. What it accepts, `parse_batch` accepts too, with the same values
(tests/central/test_batch_reader.py checks both on generated batches), so a real batch
costs 4–5 µs an event to read instead of pydantic's 22–30 (docs/sync.md, *Measured*).
"""

from __future__ import annotations

import logging
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from lessons.events import EventKind
from robot_bridge.protocol.sync_protocol import (
    MAX_BATCH_BYTES,
    MAX_BATCH_EVENTS,
    MAX_DETAIL_INT,
    MAX_DETAIL_KEYS,
    MAX_DETAIL_TEXT,
    MAX_LESSON_VERSION,
    MAX_SEQ,
    MAX_STEP_INDEX,
    TOKEN_PATTERN,
    BatchRecord,
    SyncBatch,
    encode,
    has_clean_ids,
    is_contiguous,
    parse_batch,
    parse_batch_topic,
)
from robot_bridge.protocol.topics import MAX_ID_LENGTH

Seq = Annotated[int, Meta(ge=1, le=MAX_SEQ)]
# check_event_shape's numbers and lengths, as msgspec checks them while decoding (a JSON
# number is never NaN or infinite, and one too large for a float is refused: "Number out of
# range"); its id patterns are checked after, with caches (`has_clean_ids`)
Slug = Annotated[str, Meta(max_length=MAX_ID_LENGTH)]
Token = Annotated[str, Meta(max_length=64)]
Detail = Annotated[
    dict[
        str,
        Annotated[str, Meta(max_length=MAX_DETAIL_TEXT)]
        | Annotated[int, Meta(ge=-MAX_DETAIL_INT, le=MAX_DETAIL_INT)]
        | float
        | bool
        | None,
    ],
    Meta(max_length=MAX_DETAIL_KEYS),
]


class Event(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A `ProgressEvent` held to check_event_shape's rules."""

    id: Annotated[str, Meta(min_length=8, max_length=64)]
    kind: EventKind
    session_id: Token
    learner_id: Slug | None
    lesson_id: Slug
    lesson_version: Annotated[int, Meta(ge=0, le=MAX_LESSON_VERSION)]
    step_index: Annotated[int, Meta(ge=0, le=MAX_STEP_INDEX)] | None = None
    step_id: Slug | None = None
    at: float
    detail: Detail = {}


class Item(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    seq: Seq
    event: Event


class Batch(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    v: Literal[1] = 1
    center: str
    kiosk: str
    batch_id: Annotated[str, Meta(min_length=1, max_length=64, pattern=TOKEN_PATTERN)]
    first_seq: Seq
    last_seq: Seq
    events: Annotated[list[Item], Meta(min_length=1, max_length=MAX_BATCH_EVENTS)]


_DECODER = msgspec.json.Decoder(Batch)
log = logging.getLogger(__name__)


def read_batch(topic: str, payload: bytes) -> BatchRecord:
    """The batch on `topic`; SyncProtocolError (from `parse_batch`) names what is wrong."""
    try:
        fast = read_fast(topic, payload)
    except MemoryError:
        raise
    except Exception:  # a fault of this reader must not decide the batch: the protocol's does
        log.exception("the fast reader failed on a batch on %s; read by the protocol", topic[:200])
        fast = None
    return fast or parse_batch(topic, payload)


def read_fast(topic: str, payload: bytes) -> Batch | None:
    """The batch if this reader accepts every bit of it, else None (not sure)."""
    if len(payload) > MAX_BATCH_BYTES:  # (msgspec refuses a lone surrogate itself)
        return None
    try:
        center, kiosk = parse_batch_topic(topic)
        batch = _DECODER.decode(payload)
    except (msgspec.MsgspecError, ValueError):  # SyncProtocolError is a ValueError
        return None
    if (batch.center, batch.kiosk) != (center, kiosk) or not is_contiguous(batch):
        return None
    if not all(has_clean_ids(item.event) for item in batch.events):
        return None
    return batch


def batch_json(batch: BatchRecord) -> bytes:
    """The batch as JSON again (to set aside one that was stored from objects, not bytes)."""
    return encode(batch) if isinstance(batch, SyncBatch) else msgspec.json.encode(batch)
