"""Central's side of lesson publishing on the broker (docs/lesson-publishing.md): the version
it teaches, offered retained to every center, and the bytes each center's keeper asks for.
The site monitor carries these out beside the schedules it publishes. No MQTT here."""

from __future__ import annotations

import json
import logging
from collections import deque
from pathlib import Path

from central.db.url import parse_database
from lessons.library_store import LibraryStore
from robot_bridge.library.library_server import answer, current_offer
from robot_bridge.protocol import topics
from robot_bridge.protocol.library_messages import (
    BlobRequest,
    LibraryProtocolError,
    encode,
    parse_request,
)
from robot_bridge.protocol.topics import Kind, TopicError, library_topic, parse_topic

log = logging.getLogger(__name__)

SUBSCRIPTIONS = [
    (topics.every_center(Kind.LIBRARY_FETCH), 1),
    (topics.every_center(Kind.LIBRARY_STATUS), 1),
]
# What central sends one center at most per second: 64 full chunks. A center's keeper asks
# for 8 at a time and at once again for each answer, so on a fast link it asks faster than
# this; requests past it wait for the next second (answered, never dropped: a dropped
# request costs the keeper its 10 s answer timeout). bench/library_publish.py measured it.
BYTES_PER_CENTER_SECOND = 16_000_000
# Requests one center may have waiting: a keeper has 8 in flight; more is a center asking
# again and again (a bug, or someone else's box), and those past this are dropped unread.
MAX_WAITING_PER_CENTER = 64


def library_dir_beside(database: str | Path) -> Path:
    """Where central keeps published versions: beside its SQLite file (docs/sync.md for
    PostgreSQL)."""
    return parse_database(database).state_dir / "library"


Outgoing = tuple[str, bytes, bool]  # topic, payload, retain


class LibraryOffers:
    def __init__(self, store: LibraryStore) -> None:
        self.store = store
        self.offered: dict[str, bytes] = {}  # center → the offer it was last sent
        self._offer: tuple[int, bytes] | None = None  # the current version and its offer
        self.served_bytes = 0
        self._sent: dict[str, tuple[int, int]] = {}  # center → (second, bytes sent in it)
        self._waiting: dict[str, deque[BlobRequest]] = {}  # center → requests over budget
        self._dropped_logged: dict[str, int] = {}  # center → the second it was last logged

    def due(self, centers: list[str]) -> list[Outgoing]:
        """The offer for each center that does not have the current one yet (retained)."""
        payload = self._current_payload()
        if payload is None:
            return []
        out = []
        for center in centers:
            if self.offered.get(center) != payload:
                self.offered[center] = payload
                out.append((library_topic(Kind.LIBRARY_OFFER, center), payload, True))
        return out

    def _current_payload(self) -> bytes | None:
        """The current version's offer, read and hashed once per version (central never
        reuses a version number), not at every poll."""
        version = self.store.current()
        if version is None:
            return None
        if self._offer is None or self._offer[0] != version:
            offer = current_offer(self.store)
            self._offer = (version, encode(offer)) if offer is not None else None
        return self._offer[1] if self._offer else None

    def forget(self) -> None:
        """A new broker session: offer everything again."""
        self.offered.clear()

    def request(self, topic: str, payload: bytes, now: float) -> Outgoing | None:
        """The answer to a center's request for bytes, or None: a bad request (logged), or
        one past the center's budget for this second (it waits: `waiting_answers`)."""
        try:
            center = parse_topic(topic).center
            request = parse_request(payload)
        except (TopicError, LibraryProtocolError) as exc:
            log.warning("library: ignored a bad request on %s: %s", topic[:200], exc)
            return None
        waiting = self._waiting.setdefault(center, deque())
        if not waiting and self._within_budget(center, now):
            return self._answer(center, request, now)
        if len(waiting) >= MAX_WAITING_PER_CENTER:
            if self._dropped_logged.get(center) != int(now):  # once a second a center
                self._dropped_logged[center] = int(now)
                log.warning("library: %s asks faster than it is answered; dropping", center)
            return None
        waiting.append(request)
        return None

    def waiting_answers(self, now: float) -> list[Outgoing]:
        """Answers to requests that waited for their center's next second, as far as each
        center's budget goes now."""
        out = []
        for center, waiting in self._waiting.items():
            while waiting and self._within_budget(center, now):
                out.append(self._answer(center, waiting.popleft(), now))
        return out

    def _within_budget(self, center: str, now: float) -> bool:
        second, sent = self._sent.get(center, (int(now), 0))
        return second != int(now) or sent < BYTES_PER_CENTER_SECOND

    def _answer(self, center: str, request: BlobRequest, now: float) -> Outgoing:
        message = answer(self.store, request)
        second, sent = self._sent.get(center, (int(now), 0))
        sent = sent + len(message) if second == int(now) else len(message)
        self._sent[center] = (int(now), sent)
        self.served_bytes += len(message)
        return library_topic(Kind.LIBRARY_BLOB, center), message, False


def keeper_status(payload: bytes) -> dict[str, object]:
    """A keeper's status as the dashboard keeps it (ValueError if it is not one)."""
    data = json.loads(payload)
    if not isinstance(data, dict):
        raise ValueError("a library status is a JSON object")
    keys = ("version", "offered", "missing_bytes", "problem", "at")
    kept = {key: data.get(key) for key in keys}
    if not all(isinstance(kept[k], int | None) for k in ("version", "offered", "missing_bytes")):
        raise ValueError("version, offered and missing_bytes are whole numbers")
    if not isinstance(kept["problem"], str | None):
        raise ValueError("problem is text")
    if isinstance(kept["problem"], str):
        kept["problem"] = kept["problem"][:500]
    return kept
