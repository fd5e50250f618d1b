"""The centers' lines in front of an intake worker: turns, burst limits, full lines."""

from __future__ import annotations

from central.intake_queue import FairQueue, center_of
from robot_bridge.protocol import topics


def message(center: str, n: int, size: int = 10) -> tuple[str, bytes]:
    return topics.sync_batch(center, "kiosk-1"), f"{n}".encode().ljust(size)


def test_centers_take_turns_whatever_order_they_arrived_in() -> None:
    waiting = FairQueue()
    for n in range(5):
        waiting.add(message("flood-1", n))
    waiting.add(message("mapo-2", 0))
    burst = waiting.burst(3)
    assert [center_of(topic) for topic, _ in burst] == ["flood-1", "mapo-2", "flood-1"]
    assert len(waiting) == 3


def test_a_burst_stops_at_its_bytes_but_always_takes_one() -> None:
    waiting = FairQueue()
    for n in range(4):
        waiting.add(message("flood-1", n, size=900))
    assert len(waiting.burst(16, max_bytes=1000)) == 1  # one alone over the limit still goes
    assert len(waiting.burst(16, max_bytes=2000)) == 2


def test_a_full_line_drops_only_its_own_centers_messages() -> None:
    waiting = FairQueue(center_bytes=100)
    assert all(waiting.add(message("flood-1", n)) for n in range(10))
    assert not waiting.add(message("flood-1", 10))
    assert waiting.add(message("mapo-2", 0))
    assert waiting.dropped == 1
    waiting.burst(2)
    assert waiting.add(message("flood-1", 11))  # room again once it was served


def test_a_topic_without_a_center_waits_in_a_line_of_its_own() -> None:
    assert center_of("junk") == ""
    waiting = FairQueue()
    waiting.add(("junk", b"x"))
    assert waiting.burst(16) == [("junk", b"x")]
