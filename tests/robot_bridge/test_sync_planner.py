from __future__ import annotations

import itertools

from lessons.events import EventKind, ProgressEvent
from robot_bridge.sync_planner import (
    ACK_TIMEOUT_SECONDS,
    MAX_ACK_TIMEOUT_SECONDS,
    MAX_IN_FLIGHT,
    SyncPlanner,
)
from robot_bridge.sync_protocol import SyncAck
from tests.lessons.conftest import FakeClock


def event(n: int) -> ProgressEvent:
    return ProgressEvent(
        id=f"event-{n:06d}",
        kind=EventKind.HELP_REQUESTED,
        session_id="s",
        learner_id="kim",
        lesson_id="phone-call",
        lesson_version=1,
        at=float(n),
    )


class Outbox:
    """Just enough of an outbox to drive the planner: seqs 1..n, some synced."""

    def __init__(self, n: int) -> None:
        self.rows = {seq: event(seq) for seq in range(1, n + 1)}
        self.synced: set[int] = set()

    def fetch(self, after: int, limit: int) -> list[tuple[int, str]]:
        pending = [s for s in sorted(self.rows) if s > after and s not in self.synced]
        return [(s, self.rows[s].model_dump_json()) for s in pending[:limit]]


def planner(clock: FakeClock, size: int = 10) -> SyncPlanner:
    ids = itertools.count()
    return SyncPlanner(
        "gangnam-1", "kiosk-1", clock, batch_size=size, new_id=lambda: f"b{next(ids)}"
    )


def ack(batch_id: str, first: int, last: int, status: str = "stored") -> SyncAck:
    return SyncAck(
        center="gangnam-1",
        kiosk="kiosk-1",
        batch_id=batch_id,
        first_seq=first,
        last_seq=last,
        status=status,  # type: ignore[arg-type]
    )


def test_batches_are_contiguous_runs_up_to_the_window() -> None:
    clock, outbox = FakeClock(), Outbox(100)
    p = planner(clock)
    sent = [p.next_batch(outbox.fetch) for _ in range(MAX_IN_FLIGHT + 1)]
    assert [(b.first_seq, b.last_seq) for b in sent if b] == [(1, 10), (11, 20), (21, 30), (31, 40)]
    assert sent[-1] is None  # the window is full


def test_ack_moves_the_high_water_mark_only_over_acknowledged_runs() -> None:
    clock, outbox = FakeClock(), Outbox(40)
    p = planner(clock)
    a, b, c = (p.next_batch(outbox.fetch) for _ in range(3))
    assert a and b and c
    assert p.on_ack(ack(b.batch_id, 11, 20)) is None  # 1…10 not stored yet: nothing moves
    assert p.on_ack(ack(c.batch_id, 21, 30)) is None
    assert p.on_ack(ack("b9", 1, 10, status="rejected")) is None
    assert p.on_ack(ack(a.batch_id, 1, 10)) == 30  # the gap closed: all three runs at once
    assert not p.in_flight and not p.acked_ahead
    assert p.on_ack(ack(a.batch_id, 1, 10)) is None  # a repeated ack changes nothing


def test_starts_after_what_is_already_synced() -> None:
    clock, outbox = FakeClock(), Outbox(30)
    p = SyncPlanner("gangnam-1", "kiosk-1", clock, batch_size=10, synced_up_to=25)
    batch = p.next_batch(outbox.fetch)
    assert batch and (batch.first_seq, batch.last_seq) == (26, 30)


def test_a_gap_ends_the_batch() -> None:
    clock, outbox = FakeClock(), Outbox(10)
    outbox.synced = {4}
    batch = planner(clock).next_batch(outbox.fetch)
    assert batch is not None and (batch.first_seq, batch.last_seq) == (1, 3)


def test_late_ack_resends_from_the_lowest_unsynced_with_backoff() -> None:
    clock, outbox = FakeClock(), Outbox(30)
    p = planner(clock)
    a, b = p.next_batch(outbox.fetch), p.next_batch(outbox.fetch)
    assert a and b
    assert p.on_ack(ack(a.batch_id, 1, 10)) == 10  # a was acked …
    clock.advance(ACK_TIMEOUT_SECONDS - 0.1)
    assert not p.check_timeouts()
    clock.advance(0.1)
    assert p.check_timeouts()  # … but b's ack never came
    again = p.next_batch(outbox.fetch)
    assert again and (again.first_seq, again.last_seq) == (11, 20)
    assert p.timeout == 2 * ACK_TIMEOUT_SECONDS
    for _ in range(10):
        clock.advance(p.timeout)
        p.check_timeouts()
        p.next_batch(outbox.fetch)
    assert p.timeout == MAX_ACK_TIMEOUT_SECONDS
    latest = next(iter(p.in_flight))
    p.on_ack(ack(latest, 11, 20))
    assert p.timeout == ACK_TIMEOUT_SECONDS


def test_nothing_pending_sends_nothing() -> None:
    assert planner(FakeClock()).next_batch(Outbox(0).fetch) is None
