"""What a kiosk's sync agent sends next: pure bookkeeping of batches in flight.

The agent keeps up to `MAX_IN_FLIGHT` batches unacknowledged. An ack names the run of
sequence numbers central stored. The outbox keeps one high-water mark ("synced up to"),
so it only moves over runs that are acknowledged with no gap before them: acks that
overtake each other (several intake workers) never mark an unstored event synced.

Only an ack for a batch this agent sent (same `batch_id`, same run) counts: anything else
on the ack topic (a forged ack, an ack for a batch someone else sent in this kiosk's name)
is ignored, so it can neither mark unsent events synced nor skip ahead of the numbering.

A batch is cut by bytes as well as by count, so it stays under central's and the brokers'
limits. A run central refuses (`status: rejected`) is sent again one event at a time, and
each event central still refuses is *set aside*: recorded with the reason in the kiosk's
store (nothing is deleted) and passed by the high-water mark, so one bad event never wedges
the outbox. An event too big to send at all is set aside without being sent.

If an ack is late, the oldest unacknowledged batch is sent again from the high-water mark
(central ignores what it already has), and the wait before the next resend doubles. While
the bridge says central is unreachable nothing is resent (the site broker queues what was
sent); when the link comes back, the agent resends at once.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from robot_bridge.protocol.sync_protocol import (
    MAX_BATCH_BYTES,
    MAX_BATCH_EVENTS,
    SyncAck,
    encode_batch,
)

# Central stores a batch in milliseconds; no ack after this long means the path is down.
ACK_TIMEOUT_SECONDS = 5.0
# Resends back off to at most this while acks stay away. The agent does not resend at all
# while the bridge reports central unreachable, so this only paces resends while the link
# is up but central does not answer (intake stopped): a short cap means intake's return is
# noticed within seconds, and a timed-out agent resends one batch, not its whole window.
MAX_ACK_TIMEOUT_SECONDS = 15.0
# After the path comes back, the first resend waits only this long for its ack: what the
# agent sent as the bridge came up can reach central before intake has reconnected there
# (kept by a single intake worker's session, dropped with `--shared` workers, whose shared
# subscription Mosquitto 2.0 does not restore after a restart: docs/sync.md), and intake
# reconnects within ~2 s (robot_bridge.link.mqtt_link.RECONNECT_MAX_SECONDS).
BACK_ACK_TIMEOUT_SECONDS = 2.5
# Batches in flight at once: enough to keep the link busy during a round trip, and to let
# central store a backlog in bursts of up to 16 batches, one commit each (intake's
# GROUP_COMMIT_BATCHES): with 4 in flight a kiosk's backlog went in 4 batches per commit
# and intake spent ~15% more CPU per event (bench/sync_throughput.py, docs/sync.md).
MAX_IN_FLIGHT = 16
# A batch's JSON stays under half of what central accepts (MAX_BATCH_BYTES) and far under
# the brokers' max_packet_size (deploy/mosquitto/*.conf.in), whatever the events' size.
MAX_SEND_BYTES = MAX_BATCH_BYTES // 2
# Batches sent and not yet answered that the agent still recognises an ack for (a late ack
# for a batch sent before a resend still counts); far more than a long outage produces.
REMEMBERED_BATCHES = 1_000
MAX_REASON_CHARS = 300
# What a batch adds around its events: the header, and `{"seq":N,"event":…},` per event.
_BATCH_FRAME_BYTES = 400
_EVENT_FRAME_BYTES = 32

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


@dataclass(frozen=True)
class SetAside:
    """A run of the outbox that will not reach central, and why."""

    first_seq: int
    last_seq: int
    reason: str


@dataclass
class SyncPlanner:
    center: str
    kiosk: str
    clock: Callable[[], float]
    batch_size: int = MAX_BATCH_EVENTS
    batch_bytes: int = MAX_SEND_BYTES
    new_id: Callable[[], str] = lambda: uuid.uuid4().hex
    synced_up_to: int = 0  # the outbox's high-water mark when the agent started
    cursor: int = 0  # highest seq handed out since the last (re)start
    timeout: float = ACK_TIMEOUT_SECONDS
    in_flight: dict[str, InFlight] = field(default_factory=dict)  # the window
    sent: OrderedDict[str, InFlight] = field(default_factory=OrderedDict)  # answerable
    acked_ahead: list[tuple[int, int]] = field(default_factory=list)  # runs past a gap
    set_aside: list[SetAside] = field(default_factory=list)  # to record in the store
    singles_until: int = 0  # send one event per batch up to here (after a rejected run)
    central_up: bool = True  # what the bridge last said; unknown counts as up
    probing: bool = False  # acks stayed away: one batch at a time until one comes
    resends: int = 0
    ignored_acks: int = 0

    def __post_init__(self) -> None:
        self.cursor = max(self.cursor, self.synced_up_to)

    def next_batch(self, fetch: Fetch) -> OutgoingBatch | None:
        """The next batch to publish, or None when the window is full or nothing waits."""
        window = 1 if self.probing else MAX_IN_FLIGHT
        while len(self.in_flight) < window:
            start = max(self.cursor, self.synced_up_to)
            limit = 1 if start < self.singles_until else self.batch_size
            rows = self._fit(_contiguous(fetch(start, limit)))
            if rows is None:
                continue  # an event too big to send was set aside: look again
            if not rows:
                return None
            return self._send(rows)
        return None

    def on_ack(self, ack: SyncAck) -> int | None:
        """The new high-water mark to store if this ack moved it, else None.

        An ack that does not answer a batch this planner sent is counted in
        `ignored_acks` and changes nothing."""
        sent = self.sent.get(ack.batch_id)
        if sent is None or (ack.center, ack.kiosk, ack.first_seq, ack.last_seq) != (
            self.center,
            self.kiosk,
            sent.first_seq,
            sent.last_seq,
        ):
            self.ignored_acks += 1
            return None
        del self.sent[ack.batch_id]
        self.in_flight.pop(ack.batch_id, None)
        self.timeout, self.probing = ACK_TIMEOUT_SECONDS, False  # the path works again
        if ack.status == "stored":
            return self._passed(sent.first_seq, sent.last_seq)
        if sent.last_seq > sent.first_seq:  # find the event(s) central refuses, one by one
            self.singles_until = max(self.singles_until, sent.last_seq)
            self.cursor = min(self.cursor, sent.first_seq - 1)
            return None
        reason = (ack.reason or "rejected by central")[:MAX_REASON_CHARS]
        self.set_aside.append(SetAside(sent.first_seq, sent.last_seq, reason))
        return self._passed(sent.first_seq, sent.last_seq)

    def check_timeouts(self) -> bool:
        """If the oldest batch waited too long, start again from the lowest unsynced event."""
        if not self.central_up:
            return False  # the site broker queues what was sent; resending adds nothing
        now = self.clock()
        if not any(now - item.sent_at >= self.timeout for item in self.in_flight.values()):
            return False
        self._rewind()
        self.probing = True
        self.timeout = min(self.timeout * 2, MAX_ACK_TIMEOUT_SECONDS)
        return True

    def central_link(self, up: bool) -> None:
        """The bridge to central went down or came up (its retained notification)."""
        came_back = up and not self.central_up
        self.central_up = up
        if came_back:
            self.resend_now()

    def resend_now(self) -> None:
        """The path is back (the bridge or the site broker reconnected): send again at once,
        and again soon if that goes unanswered."""
        self._rewind()
        self.probing = False
        self.timeout = BACK_ACK_TIMEOUT_SECONDS

    def _rewind(self) -> None:
        self.in_flight.clear()
        self.cursor = self.synced_up_to
        self.resends += 1

    def _send(self, rows: list[tuple[int, str]]) -> OutgoingBatch:
        batch_id = self.new_id()
        batch = OutgoingBatch(
            batch_id, rows[0][0], rows[-1][0], encode_batch(self.center, self.kiosk, batch_id, rows)
        )
        self.cursor = batch.last_seq
        sent = InFlight(batch.batch_id, batch.first_seq, batch.last_seq, self.clock())
        self.in_flight[batch_id] = self.sent[batch_id] = sent
        while len(self.sent) > REMEMBERED_BATCHES:
            self.sent.popitem(last=False)
        return batch

    def _fit(self, rows: list[tuple[int, str]]) -> list[tuple[int, str]] | None:
        """The leading rows that fit in one batch; None if the first event alone is too big
        (it is set aside and passed)."""
        total = _BATCH_FRAME_BYTES
        for n, (seq, payload) in enumerate(rows):
            total += len(payload.encode()) + _EVENT_FRAME_BYTES
            if total > self.batch_bytes:
                if n:
                    return rows[:n]
                reason = f"event of {total:,} bytes, over the {self.batch_bytes:,}-byte batch limit"
                self.set_aside.append(SetAside(seq, seq, reason))
                self._passed(seq, seq)
                self.cursor = max(self.cursor, seq)
                return None
        return rows

    def _passed(self, first: int, last: int) -> int | None:
        """Take a run as done (stored or set aside); the new high-water mark if it moved."""
        self.acked_ahead.append((first, last))
        before = self.synced_up_to
        for run_first, run_last in sorted(self.acked_ahead):
            if run_first <= self.synced_up_to + 1:
                self.synced_up_to = max(self.synced_up_to, run_last)
        self.acked_ahead = [run for run in self.acked_ahead if run[1] > self.synced_up_to]
        return self.synced_up_to if self.synced_up_to > before else None


def _contiguous(rows: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """The leading run of consecutive seqs (a batch must be one run)."""
    run: list[tuple[int, str]] = []
    for row in rows:
        if run and row[0] != run[-1][0] + 1:
            break
        run.append(row)
    return run
