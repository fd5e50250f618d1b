"""The progress-sync protocol between a kiosk's sync agent and central intake.

Topics (built in `robot_bridge.protocol.topics`; center and kiosk ids are slugs):

    sarangbang/v1/centers/{center}/sync/{kiosk}/batch   site → central, QoS 1, never retained
    sarangbang/v1/centers/{center}/sync/{kiosk}/ack     central → site, QoS 1, never retained
    sarangbang/v1/centers/{center}/sync/{kiosk}/status  site → central, QoS 1, retained
    sarangbang/v1/centers/{center}/roster               central → site, QoS 1, retained

A batch carries a contiguous run of one kiosk's outbox (sequence numbers `first_seq` …
`last_seq`). Central inserts each event by its unique id (a replay inserts nothing), then
acknowledges the run; only then does the agent mark the run synced. A batch central cannot
accept is answered with `status: rejected` and a reason, so the site can set it aside
instead of sending it forever.
"""

from __future__ import annotations

import functools
import gc
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Literal, Protocol, TypeVar

import pydantic_core
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from lessons.events import EventRecord, ProgressEvent
from robot_bridge.protocol import topics
from robot_bridge.protocol.wire import LearnerName

SYNC_PROTOCOL_VERSION: Literal[1] = 1
# A batch of this many events is ~200 KB of JSON: big enough that per-message overhead is
# negligible (20,000+ events/s), small enough to stay far below broker message limits.
MAX_BATCH_EVENTS = 500
MAX_BATCH_BYTES = 1_000_000  # anything larger is refused unread
# Bounds checked before any work that grows with a number a center claims. 2**53 - 1 is the
# largest integer every JSON reader keeps exact (and far inside SQLite's 64-bit INTEGER): a
# kiosk recording ten events a second would need 28 million years to reach it.
MAX_SEQ = 2**53 - 1
MAX_DETAIL_INT = 2**53 - 1
# A lesson has ~15 steps and a handful of versions; these are generous ceilings, not limits
# a real lesson comes near.
MAX_STEP_INDEX = 999
MAX_LESSON_VERSION = 1_000_000
# What a session writes into `detail`: a few short keys (element, choice, hint_level, the
# words typed on a practice keyboard…). Generous: a batch's bytes are capped anyway; these
# keep one event from being all junk.
MAX_DETAIL_KEYS = 16
# A message has a handful of fields (SyncAck, the widest, 10): one with more is refused
# before validation, which reports every unknown field (80,000 of them: 0.2 s of CPU).
MAX_MESSAGE_FIELDS = 64
MAX_DETAIL_TEXT = 2000
# Event and session ids are uuid4 hex on a kiosk; anything with other characters (a
# spreadsheet formula, markup, a newline for a log line) is refused at the door.
# Python's `$` also matches before a final newline ("kim\n" passed as a slug): every check
# written with the `re` module ends with \Z. Pydantic's patterns run in Rust's regex, where
# `$` is the end of the text and \Z is not known.
TOKEN_PATTERN = r"^[A-Za-z0-9_-]+\Z"
_DETAIL_KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}\Z"
_TOKEN = re.compile(TOKEN_PATTERN)
_TOKEN_PATTERN = r"^[A-Za-z0-9_-]+$"  # the same, for pydantic
_DETAIL_KEY = re.compile(_DETAIL_KEY_PATTERN)
_M = TypeVar("_M", bound=BaseModel)
SiteId = Annotated[str, AfterValidator(topics.check_id)]


class SyncProtocolError(ValueError):
    """A sync message or topic is not acceptable; the message says why."""


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    v: Literal[1] = SYNC_PROTOCOL_VERSION


class OutboxEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    seq: Annotated[int, Field(ge=1, le=MAX_SEQ)]
    event: ProgressEvent

    @model_validator(mode="after")
    def _sane(self) -> OutboxEvent:
        check_event_shape(self.event)
        return self


class SyncBatch(_Message):
    center: SiteId
    kiosk: SiteId
    batch_id: Annotated[str, Field(min_length=1, max_length=64, pattern=_TOKEN_PATTERN)]
    first_seq: Annotated[int, Field(ge=1, le=MAX_SEQ)]
    last_seq: Annotated[int, Field(ge=1, le=MAX_SEQ)]
    events: Annotated[list[OutboxEvent], Field(min_length=1, max_length=MAX_BATCH_EVENTS)]

    @model_validator(mode="after")
    def _contiguous(self) -> SyncBatch:
        """The run is exactly the events' sequence numbers: checked by arithmetic on the
        events that are there, never by building the run a center claims."""
        first, events = self.first_seq, self.events
        if not is_contiguous(self):
            raise ValueError(
                f"events must be seq {first}…{self.last_seq} in order, "
                f"got {events[0].seq}…{events[-1].seq} ({len(events)} events)"
            )
        return self


class SyncAck(_Message):
    """Central's answer to a batch. `stored`: the run is stored (events central set aside are
    counted in `reason`); `rejected`: the run was refused and recorded at central, `reason`
    says why. Unknown fields are ignored, so central can add optional ones later."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    center: SiteId
    kiosk: SiteId
    batch_id: str
    first_seq: int
    last_seq: int
    status: Literal["stored", "rejected"] = "stored"
    inserted: int = 0
    duplicates: int = 0
    reason: str | None = None


class RosterLearner(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: SiteId
    name: LearnerName
    colour: SiteId = Field("blue", description="a kiosk palette name: blue, green, purple…")
    hidden: bool = False


class Roster(_Message):
    """A center's learners; `revision` grows with every change so old copies are ignored."""

    center: SiteId
    revision: Annotated[int, Field(ge=0)]
    learners: list[RosterLearner]


class ItemRecord(Protocol):
    """One outbox event of a batch as read: an `OutboxEvent`, or central's fast reading."""

    @property
    def seq(self) -> int: ...
    @property
    def event(self) -> EventRecord: ...


class BatchRecord(Protocol):
    """A batch as read: a `SyncBatch`, or central's fast reading (central/batch_reader.py)."""

    @property
    def center(self) -> str: ...
    @property
    def kiosk(self) -> str: ...
    @property
    def batch_id(self) -> str: ...
    @property
    def first_seq(self) -> int: ...
    @property
    def last_seq(self) -> int: ...
    @property
    def events(self) -> Sequence[ItemRecord]: ...


def check_event_shape(event: EventRecord) -> None:
    """Raise ValueError unless every id is a token or slug and every number is finite and
    within bounds: what central stores, sums and exports must never be a formula, NaN,
    infinity or an integer SQLite cannot hold."""
    for value, what in ((event.learner_id, "learner id"), (event.lesson_id, "lesson id"),
                        (event.step_id, "step id")):  # fmt: skip
        if value is not None and not _is_slug(value):
            topics.check_id(value, what)  # raises, saying why
    problem = _number_or_token_problem(event) or _detail_problem(event.detail)
    if problem:
        raise ValueError(problem)


def has_clean_ids(event: EventRecord) -> bool:
    """The id checks of `check_event_shape`, as a yes or no (central's fast batch reader,
    which holds the numbers and lengths itself): ~1 µs an event with the caches, where
    msgspec's own pattern checks, which call the regex for every string, made reading a
    batch 8–10 µs an event instead of 4–5."""
    learner, step = event.learner_id, event.step_id
    return (
        _TOKEN.match(event.id) is not None
        and _is_token(event.session_id)
        and _is_slug(event.lesson_id)
        and (learner is None or _is_slug(learner))
        and (step is None or _is_slug(step))
        and all(map(_is_detail_key, event.detail))
    )


@functools.lru_cache(maxsize=4096)
def _is_token(value: str) -> bool:
    """Cached: a session's events share its id."""
    return _TOKEN.match(value) is not None


@functools.lru_cache(maxsize=4096)
def _is_slug(value: str) -> bool:
    """Cached: a batch names the same few learners, lessons and steps again and again."""
    try:
        topics.check_id(value)
    except topics.TopicError:
        return False
    return True


@functools.lru_cache(maxsize=256)
def _is_detail_key(key: str) -> bool:
    """Cached: every event of a kind has the same few keys."""
    return _DETAIL_KEY.match(key) is not None


def _number_or_token_problem(event: EventRecord) -> str | None:
    # messages are built only for a problem: this runs for every event central receives
    if not _TOKEN.match(event.id):
        return f"event id {event.id[:80]!r} is not a token"
    if not (_TOKEN.match(event.session_id) and len(event.session_id) <= 64):
        return f"session id {event.session_id[:80]!r} is not a token of ≤ 64 characters"
    if not 0 <= event.lesson_version <= MAX_LESSON_VERSION:
        return f"lesson_version {_short(event.lesson_version)} is outside 0…{MAX_LESSON_VERSION}"
    if event.step_index is not None and not 0 <= event.step_index <= MAX_STEP_INDEX:
        return f"step_index {_short(event.step_index)} is outside 0…{MAX_STEP_INDEX}"
    if not math.isfinite(event.at):
        return f"at is {event.at}, not a finite time"
    return None


def _detail_problem(detail: Mapping[str, object]) -> str | None:
    if len(detail) > MAX_DETAIL_KEYS:
        return f"detail has {len(detail)} keys (≤ {MAX_DETAIL_KEYS})"
    for key, value in detail.items():
        if not _is_detail_key(key):
            return f"detail key {key[:80]!r} is not a name"
        if value is None or type(value) is bool:  # the common cases, in fewer calls
            continue
        if isinstance(value, str):
            if len(value) > MAX_DETAIL_TEXT:
                return f"detail.{key} is over {MAX_DETAIL_TEXT} chars"
            continue
        if isinstance(value, float) and not math.isfinite(value):
            return f"detail.{key} is {value}, not a finite number"
        if isinstance(value, int) and not -MAX_DETAIL_INT <= value <= MAX_DETAIL_INT:
            return f"detail.{key} {_short(value)} is too large"
    return None


def _short(number: int) -> str:
    return str(number) if abs(number) < 10**20 else f"of {number.bit_length()} bits"


def parse_batch(topic: str, payload: bytes) -> SyncBatch:
    """Validate a batch against its topic; SyncProtocolError names what is wrong."""
    center, kiosk = parse_batch_topic(topic)
    if len(payload) > MAX_BATCH_BYTES:
        raise SyncProtocolError(f"batch of {len(payload)} bytes exceeds {MAX_BATCH_BYTES}")
    batch = _validate(SyncBatch, payload)
    if (batch.center, batch.kiosk) != (center, kiosk):
        raise SyncProtocolError(
            f"batch says {batch.center}/{batch.kiosk} but came on the topic of {center}/{kiosk}"
        )
    return batch


def parse_batch_topic(topic: str) -> tuple[str, str]:
    """`(center, kiosk)` of a batch topic, or SyncProtocolError."""
    try:
        parsed = topics.parse_topic(topic)
    except topics.TopicError as exc:
        raise SyncProtocolError(str(exc)) from None
    if parsed.kind is not topics.Kind.SYNC_BATCH or parsed.kiosk is None:
        raise SyncProtocolError(f"not a batch topic: {topic[:200]!r}")
    return parsed.center, parsed.kiosk


def parse_ack(payload: bytes) -> SyncAck:
    return _validate(SyncAck, payload)


def parse_roster(payload: bytes) -> Roster:
    return _validate(Roster, payload)


def _validate(model: type[_M], payload: bytes) -> _M:
    """`payload` as `model`: read as JSON, then validated. (Pydantic's own JSON mode,
    `model_validate_json`, took 1.4–3 s of CPU for a megabyte of empty lists where a real
    batch takes ~5 ms; reading the JSON first costs ~0.1 s for either.) Read by
    pydantic_core's JSON reader (~5 µs an event; json.loads ~8 µs); what it refuses is read
    again by json.loads, whose verdict and words count."""
    try:
        data = _read_json(payload)
    except ValueError:
        data = _json_loads(model, payload)
    if isinstance(data, dict) and len(data) > MAX_MESSAGE_FIELDS:
        raise SyncProtocolError(
            f"{model.__name__}: payload: {len(data):,} fields, more than any message has"
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_context=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "payload"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise SyncProtocolError(f"{model.__name__}: {where}: {first['msg']}{more}") from None


def is_contiguous(batch: BatchRecord) -> bool:
    """The run is exactly the events' sequence numbers: checked by arithmetic on the events
    that are there, never by building the run a center claims."""
    first, events = batch.first_seq, batch.events
    in_order = all(item.seq == first + i for i, item in enumerate(events))
    return batch.last_seq - first + 1 == len(events) and in_order


def _read_json(payload: bytes) -> object:
    """`payload`'s JSON, read with the cyclic garbage collector paused: what JSON builds
    has no cycles, and the collector's passes over a megabyte of empty lists tripled what
    reading it cost (0.05 → 0.12 s of CPU)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pydantic_core.from_json(payload)
    finally:
        if collecting:
            gc.enable()


def _json_loads(model: type[BaseModel], payload: bytes) -> object:
    """`payload` read by the json module, or SyncProtocolError saying why it is not JSON.

    A lone half of a UTF-16 surrogate pair (`\\ud800` with no `\\udc00` after it) is refused
    here: pydantic_core's reader and msgspec refuse it, the json module lets it through, and
    no database stores it. (A regex over the bytes did this before, and was fooled by an
    escaped backslash before the escape, letting `\\\\ud800\\udc00` through, and refused the
    plain text `C:\\\\ud800`.)"""
    try:
        data = json.loads(payload.decode("utf-8"))
        json.dumps(data, ensure_ascii=False).encode("utf-8")  # only here: jiter refused it
        return data
    except UnicodeEncodeError:
        raise SyncProtocolError(
            f"{model.__name__}: payload: Invalid JSON: a lone surrogate escape"
        ) from None
    except UnicodeDecodeError:
        raise SyncProtocolError(f"{model.__name__}: payload: Invalid JSON: not UTF-8") from None
    except RecursionError:
        raise SyncProtocolError(
            f"{model.__name__}: payload: Invalid JSON: nested too deep"
        ) from None
    except ValueError as exc:  # not JSON, or an integer of over 4,300 digits
        raise SyncProtocolError(f"{model.__name__}: payload: Invalid JSON: {exc}"[:300]) from None


def encode_batch(center: str, kiosk: str, batch_id: str, rows: list[tuple[int, str]]) -> bytes:
    """A batch's JSON from events already stored as JSON text, without parsing them again.

    The outbox holds each event as `ProgressEvent.model_dump_json()`; central validates the
    whole batch on arrival, so the site only has to frame it.
    """
    header = json.dumps(
        {
            "v": SYNC_PROTOCOL_VERSION,
            "center": center,
            "kiosk": kiosk,
            "batch_id": batch_id,
            "first_seq": rows[0][0],
            "last_seq": rows[-1][0],
        }
    )
    events = ",".join(f'{{"seq":{seq},"event":{payload}}}' for seq, payload in rows)
    return f'{header[:-1]},"events":[{events}]}}'.encode()


def encode(message: BaseModel) -> bytes:
    return json.dumps(message.model_dump(mode="json"), ensure_ascii=False).encode()
