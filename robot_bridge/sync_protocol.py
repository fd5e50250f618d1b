"""The progress-sync protocol between a kiosk's sync agent and central intake.

Topics (built in `robot_bridge.topics`; center and kiosk ids are slugs):

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

import json
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from lessons.events import ProgressEvent
from robot_bridge import topics

SYNC_PROTOCOL_VERSION: Literal[1] = 1
# A batch of this many events is ~200 KB of JSON: big enough that per-message overhead is
# negligible (20,000+ events/s), small enough to stay far below broker message limits.
MAX_BATCH_EVENTS = 500
MAX_BATCH_BYTES = 1_000_000  # anything larger is refused unread
_M = TypeVar("_M", bound=BaseModel)
SiteId = Annotated[str, AfterValidator(topics.check_id)]


class SyncProtocolError(ValueError):
    """A sync message or topic is not acceptable; the message says why."""


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    v: Literal[1] = SYNC_PROTOCOL_VERSION


class OutboxEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    seq: Annotated[int, Field(ge=1)]
    event: ProgressEvent


class SyncBatch(_Message):
    center: SiteId
    kiosk: SiteId
    batch_id: Annotated[str, Field(min_length=1, max_length=64)]
    first_seq: Annotated[int, Field(ge=1)]
    last_seq: Annotated[int, Field(ge=1)]
    events: Annotated[list[OutboxEvent], Field(min_length=1, max_length=MAX_BATCH_EVENTS)]

    @model_validator(mode="after")
    def _contiguous(self) -> SyncBatch:
        seqs = [e.seq for e in self.events]
        if seqs != list(range(self.first_seq, self.last_seq + 1)):
            raise ValueError(
                f"events must be seq {self.first_seq}…{self.last_seq} in order, "
                f"got {seqs[0]}…{seqs[-1]} ({len(seqs)} events)"
            )
        return self


class SyncAck(_Message):
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
    name: Annotated[str, Field(min_length=1, max_length=40)]
    colour: SiteId = Field("blue", description="a kiosk palette name: blue, green, purple…")
    hidden: bool = False


class Roster(_Message):
    """A center's learners; `revision` grows with every change so old copies are ignored."""

    center: SiteId
    revision: Annotated[int, Field(ge=0)]
    learners: list[RosterLearner]


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
    try:
        return model.model_validate_json(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "payload"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise SyncProtocolError(f"{model.__name__}: {where}: {first['msg']}{more}") from None


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
