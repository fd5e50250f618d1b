"""What a kiosk's sync agent sends next: pure bookkeeping of batches in flight.

The agent keeps up to `MAX_IN_FLIGHT` batches unacknowledged. An ack names the run of
sequence numbers central stored. The outbox keeps one high-water mark ("synced up to"),
so it only moves over runs that are acknowledged with no gap before them: acks that
overtake each other (several intake workers) never mark an unstored event synced.
If an ack is late, everything unacknowledged is sent again from the high-water mark
(central ignores what it already has), and the wait before the next resend doubles.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from robot_bridge.sync_protocol import MAX_BATCH_EVENTS, SyncAck, encode_batch

# Central stores a batch in milliseconds; no ack after this long means the path is down.
ACK_TIMEOUT_SECONDS = 5.0
# Resends back off to at most once a minute while the internet is out.
MAX_ACK_TIMEOUT_SECONDS = 60.0
# Batches in flight at once: enough to keep the link busy during a round trip.
MAX_IN_FLIGHT = 4

# (after_seq, limit) -> [(seq, event as stored JSON text)]
Fetch = Callable[[int, int], Sequence[tuple[int, str]]]


@dataclass(frozen=True)
class OutgoingBatch:
    batch_id: str
    first_seq: int
    last_seq: int
    payload: bytes


@dataclass(frozen=True)
class InFlight:
    batch_id: str
    first_seq: int
    last_seq: int
    sent_at: float


@dataclass
class SyncPlanner:
    center: str
    kiosk: str
    clock: Callable[[], float]
    batch_size: int = MAX_BATCH_EVENTS
    new_id: Callable[[], str] = lambda: uuid.uuid4().hex
    synced_up_to: int = 0  # the outbox's high-water mark when the agent started
    cursor: int = 0  # highest seq handed out since the last (re)start
    timeout: float = ACK_TIMEOUT_SECONDS
    in_flight: dict[str, InFlight] = field(default_factory=dict)
    acked_ahead: list[tuple[int, int]] = field(default_factory=list)  # runs past a gap
    resends: int = 0

    def __post_init__(self) -> None:
        self.cursor = max(self.cursor, self.synced_up_to)

    def next_batch(self, fetch: Fetch) -> OutgoingBatch | None:
        """The next batch to publish, or None when the window is full or nothing waits."""
        if len(self.in_flight) >= MAX_IN_FLIGHT:
            return None
        rows = _contiguous(fetch(max(self.cursor, self.synced_up_to), self.batch_size))
        if not rows:
            return None
        batch_id = self.new_id()
        batch = OutgoingBatch(
            batch_id, rows[0][0], rows[-1][0], encode_batch(self.center, self.kiosk, batch_id, rows)
        )
        self.cursor = batch.last_seq
        self.in_flight[batch.batch_id] = InFlight(
            batch.batch_id, batch.first_seq, batch.last_seq, self.clock()
        )
        return batch

    def on_ack(self, ack: SyncAck) -> int | None:
        """The new high-water mark to store if this ack moved it, else None."""
        self.in_flight.pop(ack.batch_id, None)
        if ack.status != "stored":
            return None
        self.timeout = ACK_TIMEOUT_SECONDS  # the path works again
        self.acked_ahead.append((ack.first_seq, ack.last_seq))
        before = self.synced_up_to
        for first, last in sorted(self.acked_ahead):
            if first <= self.synced_up_to + 1:
                self.synced_up_to = max(self.synced_up_to, last)
        self.acked_ahead = [run for run in self.acked_ahead if run[1] > self.synced_up_to]
        return self.synced_up_to if self.synced_up_to > before else None

    def check_timeouts(self) -> bool:
        """If the oldest batch waited too long, start again from the lowest unsynced event."""
        now = self.clock()
        if not any(now - item.sent_at >= self.timeout for item in self.in_flight.values()):
            return False
        self.in_flight.clear()
        self.cursor = self.synced_up_to
        self.resends += 1
        self.timeout = min(self.timeout * 2, MAX_ACK_TIMEOUT_SECONDS)
        return True


def _contiguous(rows: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """The leading run of consecutive seqs (a batch must be one run)."""
    run: list[tuple[int, str]] = []
    for row in rows:
        if run and row[0] != run[-1][0] + 1:
            break
        run.append(row)
    return run
