"""The batches waiting for an intake worker, one line per center, served in turn.

One worker reads every center's batches. In a single first-come line, a center that sends
more than intake can read (megabytes of junk, each refused only after it is read) held back
every other center's batches behind its own: 80 MB of junk stalled the city for ~50 s
(tests/central/test_intake_service.py). Here each center waits in its own line, a burst
takes from the centers in turn, and a center's line holds at most `CENTER_QUEUE_BYTES`:
beyond that its messages are dropped unread. Nothing is lost by dropping: a batch is
acknowledged only once stored, so the site sends it again.
"""

from __future__ import annotations

from collections import OrderedDict, deque

# More than a real center has waiting: each kiosk keeps at most 16 batches in flight
# (robot_bridge/sync/sync_planner.py), typically ~170 KB each (500 events), so a center of
# 20 kiosks all sending a backlog has ~54 MB out. Only batches near their 500 KB cap (events
# with long details) could pass it: the messages beyond are dropped unread and resent
# after the ack timeout, nothing is lost.
CENTER_QUEUE_BYTES = 64_000_000
# A burst (one transaction) stops at this many bytes as well as at a number of batches, so
# a burst of a flooding center's megabytes is short and the next center's turn comes soon.
BURST_BYTES = 2_000_000

Message = tuple[str, bytes]


def center_of(topic: str) -> str:
    """The center a batch topic names (`sarangbang/v1/centers/{center}/…`), or '' if none."""
    parts = topic.split("/", 4)
    return parts[3] if len(parts) > 4 else ""


class FairQueue:
    def __init__(self, center_bytes: int = CENTER_QUEUE_BYTES) -> None:
        self.center_bytes = center_bytes
        self._lines: OrderedDict[str, deque[Message]] = OrderedDict()
        self._bytes: dict[str, int] = {}
        self.dropped = 0

    def __len__(self) -> int:
        return sum(len(line) for line in self._lines.values())

    def centers(self) -> set[str]:
        """The centers with messages waiting."""
        return set(self._lines)

    def add(self, message: Message) -> bool:
        """Queue a message in its center's line; False if that line is full (dropped)."""
        center = center_of(message[0])
        size = len(message[1])
        if self._bytes.get(center, 0) + size > self.center_bytes:
            self.dropped += 1
            return False
        self._lines.setdefault(center, deque()).append(message)
        self._bytes[center] = self._bytes.get(center, 0) + size
        return True

    def burst(self, max_messages: int, max_bytes: int = BURST_BYTES) -> list[Message]:
        """The next messages to store together: one from each center in turn, up to
        `max_messages` and (after the first) `max_bytes`."""
        taken: list[Message] = []
        size = 0
        while self._lines and len(taken) < max_messages:
            center, line = next(iter(self._lines.items()))
            if taken and size + len(line[0][1]) > max_bytes:
                break
            message = line.popleft()
            taken.append(message)
            size += len(message[1])
            self._bytes[center] -= len(message[1])
            del self._lines[center]
            if line:
                self._lines[center] = line  # to the back: the next center's turn
            else:
                del self._bytes[center]
        return taken
