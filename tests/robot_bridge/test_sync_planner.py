from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from lessons.events import EventKind, ProgressEvent
from robot_bridge.protocol.sync_protocol import MAX_BATCH_BYTES, SyncAck, parse_batch
from robot_bridge.protocol.topics import sync_batch
from robot_bridge.sync.sync_planner import (
    ACK_TIMEOUT_SECONDS,
    BACK_ACK_TIMEOUT_SECONDS,
    MAX_ACK_TIMEOUT_SECONDS,
    MAX_IN_FLIGHT,
    MAX_SEND_BYTES,
    SetAside,
    SyncPlanner,
)
from tests.lessons.conftest import FakeClock


def event(n: int, padding: int = 0) -> ProgressEvent:
    return ProgressEvent(
        id=f"event-{n:06d}",
        kind=EventKind.HELP_REQUESTED,
        session_id="s",
        learner_id="kim",
        lesson_id="phone-call",
        lesson_version=1,
        at=float(n),
        detail={"note": "가" * padding} if padding else {},
    )


class Outbox:
    """Just enough of an outbox to drive the planner: seqs 1..n, some synced; `padding`
    maps a seq to that many extra (3-byte) characters in its event."""

    def __init__(self, n: int, padding: dict[int, int] | None = None) -> None:
        sizes = padding or {}
        self.rows = {seq: event(seq, sizes.get(seq, 0)) for seq in range(1, n + 1)}
        self.synced: set[int] = set()

    def fetch(self, after: int, limit: int) -> list[tuple[int, str]]:
        pending = [s for s in sorted(self.rows) if s > after and s not in self.synced]
        return [(s, self.rows[s].model_dump_json()) for s in pending[:limit]]


# events enough for more than a full window of `planner`'s 10-event batches
MORE_THAN_A_WINDOW = 10 * (MAX_IN_FLIGHT + 6)


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
    clock, outbox = FakeClock(), Outbox(MORE_THAN_A_WINDOW)
    p = planner(clock)
    sent = [p.next_batch(outbox.fetch) for _ in range(MAX_IN_FLIGHT + 1)]
    runs = [(b.first_seq, b.last_seq) for b in sent if b]
    assert runs == [(10 * n + 1, 10 * n + 10) for n in range(MAX_IN_FLIGHT)]
    assert sent[-1] is None  # the window is full


def test_ack_moves_the_high_water_mark_only_over_acknowledged_runs() -> None:
    clock, outbox = FakeClock(), Outbox(40)
    p = planner(clock)
    a, b, c = (p.next_batch(outbox.fetch) for _ in range(3))
    assert a and b and c
    assert p.on_ack(ack(b.batch_id, 11, 20)) is None  # 1…10 not stored yet: nothing moves
    assert p.on_ack(ack(c.batch_id, 21, 30)) is None
    assert p.on_ack(ack("b9", 1, 10, status="stored")) is None  # not a batch it sent
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


def drain(p: SyncPlanner, outbox: Outbox, refuse: set[int] = frozenset()) -> list[tuple[int, int]]:
    """Send and answer everything as central would, refusing any batch holding a seq in
    `refuse`; the runs sent, in order."""
    runs = []
    while batch := p.next_batch(outbox.fetch):
        runs.append((batch.first_seq, batch.last_seq))
        refused = refuse & set(range(batch.first_seq, batch.last_seq + 1))
        status = "rejected" if refused else "stored"
        p.on_ack(ack(batch.batch_id, batch.first_seq, batch.last_seq, status))
    return runs


def test_an_ack_for_a_batch_it_did_not_send_moves_nothing() -> None:
    clock, outbox = FakeClock(), Outbox(30)
    p = planner(clock)
    a = p.next_batch(outbox.fetch)
    assert a
    assert p.on_ack(ack("forged", 1, 10)) is None  # a LAN device's forged ack
    assert p.on_ack(ack(a.batch_id, 1, 30)) is None  # the right id, but not the run it sent
    assert p.synced_up_to == 0 and p.ignored_acks == 2
    assert p.on_ack(ack(a.batch_id, 1, 10)) == 10


def test_a_forged_ack_ahead_of_the_numbering_loses_nothing() -> None:
    """Someone stores seq 11…60 at central in this kiosk's name and its ack arrives: the
    kiosk's own 11…60 must still be sent, not skipped when 1…10 is acknowledged."""
    clock, outbox = FakeClock(), Outbox(60)
    p = planner(clock)
    a = p.next_batch(outbox.fetch)
    assert a and (a.first_seq, a.last_seq) == (1, 10)
    assert p.on_ack(ack("forged-ahead", 11, 60)) is None
    assert p.on_ack(ack(a.batch_id, 1, 10)) == 10
    assert not p.acked_ahead
    assert drain(p, outbox)[0] == (11, 20) and p.synced_up_to == 60


def test_a_late_ack_for_a_batch_sent_before_a_resend_still_counts() -> None:
    clock, outbox = FakeClock(), Outbox(10)
    p = planner(clock)
    first = p.next_batch(outbox.fetch)
    clock.advance(ACK_TIMEOUT_SECONDS)
    assert p.check_timeouts() and p.next_batch(outbox.fetch)  # sent again, a new id
    assert first and p.on_ack(ack(first.batch_id, 1, 10)) == 10  # the first copy's ack


def test_batches_are_cut_by_bytes_under_centrals_limit() -> None:
    clock, outbox = FakeClock(), Outbox(600, {n: 800 for n in range(1, 601)})  # ~2.6 KB each
    p = planner(clock, size=500)
    sizes = []
    while batch := p.next_batch(outbox.fetch):
        assert len(batch.payload) <= MAX_SEND_BYTES < MAX_BATCH_BYTES
        parsed = parse_batch(sync_batch("gangnam-1", "kiosk-1"), batch.payload)
        sizes.append(len(parsed.events))
        p.on_ack(ack(batch.batch_id, batch.first_seq, batch.last_seq))
    assert sum(sizes) == 600 and max(sizes) < 500
    assert p.synced_up_to == 600 and not p.set_aside


def test_an_event_too_big_to_send_is_set_aside_and_passed() -> None:
    big = MAX_SEND_BYTES // 3 + 1  # characters of 3 bytes: one event over the limit
    clock, outbox = FakeClock(), Outbox(6, {3: big, 4: big})
    p = planner(clock)
    assert drain(p, outbox) == [(1, 2), (5, 6)]
    assert [(s.first_seq, s.last_seq) for s in p.set_aside] == [(3, 3), (4, 4)]
    assert "batch limit" in p.set_aside[0].reason
    assert p.synced_up_to == 6


def test_a_refused_run_is_retried_event_by_event_and_only_the_bad_event_set_aside() -> None:
    clock, outbox = FakeClock(), Outbox(25)
    p = planner(clock)
    runs = drain(p, outbox, refuse={4})
    assert runs[0] == (1, 10)  # refused as a whole …
    assert runs[1:11] == [(n, n) for n in range(1, 11)]  # … so each of its events alone
    assert runs[11:] == [(11, 20), (21, 25)]  # then whole batches again
    assert p.set_aside == [SetAside(4, 4, "rejected by central")]
    assert p.synced_up_to == 25


def test_nothing_is_resent_while_central_is_unreachable_and_all_at_once_when_back() -> None:
    clock, outbox = FakeClock(), Outbox(MORE_THAN_A_WINDOW)
    p = planner(clock)
    assert len([p.next_batch(outbox.fetch) for _ in range(MAX_IN_FLIGHT)]) == MAX_IN_FLIGHT
    p.central_link(up=False)
    clock.advance(10 * MAX_ACK_TIMEOUT_SECONDS)
    assert not p.check_timeouts() and p.next_batch(outbox.fetch) is None
    p.central_link(up=True)
    again = [p.next_batch(outbox.fetch) for _ in range(MAX_IN_FLIGHT)]
    assert again[0] and (again[0].first_seq, again[0].last_seq) == (1, 10)
    assert all(again) and p.timeout == BACK_ACK_TIMEOUT_SECONDS
    clock.advance(BACK_ACK_TIMEOUT_SECONDS)  # what it sent as the link came back was lost
    assert p.check_timeouts()


def test_after_a_timeout_one_batch_probes_the_path() -> None:
    clock, outbox = FakeClock(), Outbox(MORE_THAN_A_WINDOW)
    p = planner(clock)
    while p.next_batch(outbox.fetch):
        pass
    clock.advance(ACK_TIMEOUT_SECONDS)
    assert p.check_timeouts()
    probe = p.next_batch(outbox.fetch)
    assert probe and p.next_batch(outbox.fetch) is None  # one batch while acks stay away
    p.on_ack(ack(probe.batch_id, probe.first_seq, probe.last_seq))
    sent = [p.next_batch(outbox.fetch) for _ in range(MAX_IN_FLIGHT + 1)]
    assert len([b for b in sent if b]) == MAX_IN_FLIGHT


class _Central:
    """Central as the planner sees it: stores a batch unless it holds a bad event, in which
    case it answers `rejected`; acks and batches may be lost, repeated or reordered."""

    def __init__(self, bad: set[int]) -> None:
        self.bad, self.stored = bad, set[int]()

    def answer(self, batch_id: str, first: int, last: int) -> SyncAck:
        seqs = set(range(first, last + 1))
        if seqs & self.bad:
            return ack(batch_id, first, last, "rejected")
        self.stored |= seqs
        return ack(batch_id, first, last)


@given(
    n=st.integers(1, 40),
    bad=st.sets(st.integers(1, 40), max_size=4),
    script=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 50)), max_size=120),
)
@settings(max_examples=300, deadline=None)
def test_no_event_is_marked_synced_unless_stored_or_set_aside_whatever_the_network_does(
    n: int, bad: set[int], script: list[tuple[int, int]]
) -> None:
    """Lost, repeated and reordered batches and acks, forged acks (a real batch id, another
    run), timeouts, the bridge going down and up, the agent restarting mid-way: the
    high-water mark never passes an event central has not stored (or that is not set aside
    for a refusal of its own), only bad events are set aside, and once the path works
    everything is synced."""
    clock, outbox, central = FakeClock(), Outbox(n), _Central({b for b in bad if b <= n})
    ids = itertools.count()

    def new_planner(mark: int) -> SyncPlanner:
        return SyncPlanner("gangnam-1", "kiosk-1", clock, batch_size=7,
                           new_id=lambda: f"b{next(ids)}", synced_up_to=mark)  # fmt: skip

    p = new_planner(0)
    batches: list[tuple[str, int, int]] = []
    acks: list[SyncAck] = []
    aside: set[int] = set()

    def settle() -> None:
        for run in p.set_aside:
            aside.update(range(run.first_seq, run.last_seq + 1))
        p.set_aside.clear()

    def send() -> None:
        while batch := p.next_batch(outbox.fetch):
            batches.append((batch.batch_id, batch.first_seq, batch.last_seq))
        settle()

    for action, pick in script:
        if action == 0:
            send()
        elif action == 1 and batches:
            acks.append(central.answer(*batches.pop(pick % len(batches))))
        elif action == 2 and batches:
            batches.pop(pick % len(batches))  # lost on the way
        elif action == 3 and acks:
            acks.append(acks[pick % len(acks)])  # delivered twice
        elif action == 4 and acks:
            p.on_ack(acks.pop(pick % len(acks)))
            settle()
        elif action == 5 and acks:
            acks.pop(pick % len(acks))
        elif action == 6:
            clock.advance(pick)
            p.check_timeouts()
        elif action == 7:
            p = new_planner(p.synced_up_to)  # restarted: what was stored survives
        elif action == 8:
            p.central_link(pick % 2 == 0)
        elif action == 9 and batches:  # forged: a real batch id with a longer run
            batch_id, first, last = batches[pick % len(batches)]
            p.on_ack(ack(batch_id, first, last + 1 + pick % 5))
        marked = set(range(1, p.synced_up_to + 1))
        assert marked <= central.stored | aside
        assert aside <= central.bad and not central.stored & central.bad

    p.central_link(True)
    for _ in range(20 * n + 20):  # the path works again: everything arrives
        send()
        while batches:
            acks.append(central.answer(*batches.pop(0)))
        while acks:
            p.on_ack(acks.pop(0))
            settle()
        clock.advance(MAX_ACK_TIMEOUT_SECONDS)
        p.check_timeouts()
    assert p.synced_up_to == n
    assert aside == central.bad and central.stored == set(range(1, n + 1)) - central.bad
