"""Central's side of lesson publishing on the broker (docs/lesson-publishing.md): the version
it teaches, offered retained to every center, and the bytes each center's keeper asks for.
The site monitor carries these out beside the schedules it publishes. No MQTT here."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from lessons.library_store import LibraryStore
from robot_bridge.library.library_server import answer, current_offer
from robot_bridge.protocol import topics
from robot_bridge.protocol.library_messages import LibraryProtocolError, encode, parse_request
from robot_bridge.protocol.topics import Kind, TopicError, library_topic, parse_topic

log = logging.getLogger(__name__)

SUBSCRIPTIONS = [
    (topics.every_center(Kind.LIBRARY_FETCH), 1),
    (topics.every_center(Kind.LIBRARY_STATUS), 1),
]
# A center asks for ~8 chunks at a time; more than this many answers a second from one
# center is a center asking again and again (a bug, or someone else's box): it waits.
MAX_ANSWERS_PER_CENTER_SECOND = 64


def library_dir_beside(db_path: Path) -> Path:
    """Where central keeps published versions: beside its database."""
    return db_path.parent / "library"


Outgoing = tuple[str, bytes, bool]  # topic, payload, retain


class LibraryOffers:
    def __init__(self, store: LibraryStore) -> None:
        self.store = store
        self.offered: dict[str, bytes] = {}  # center → the offer it was last sent
        self.served_bytes = 0
        self._answers: dict[str, tuple[int, int]] = {}  # center → (second, answers in it)

    def due(self, centers: list[str]) -> list[Outgoing]:
        """The offer for each center that does not have the current one yet (retained)."""
        offer = current_offer(self.store) if self.store.current() is not None else None
        if offer is None:
            return []
        payload = encode(offer)
        out = []
        for center in centers:
            if self.offered.get(center) != payload:
                self.offered[center] = payload
                out.append((library_topic(Kind.LIBRARY_OFFER, center), payload, True))
        return out

    def forget(self) -> None:
        """A new broker session: offer everything again."""
        self.offered.clear()

    def request(self, topic: str, payload: bytes, now: float) -> Outgoing | None:
        """The answer to a center's request for bytes, or None (bad, or too many)."""
        try:
            center = parse_topic(topic).center
            request = parse_request(payload)
        except (TopicError, LibraryProtocolError) as exc:
            log.warning("library: ignored a bad request on %s: %s", topic[:200], exc)
            return None
        second, count = self._answers.get(center, (0, 0))
        count = count + 1 if second == int(now) else 1
        self._answers[center] = (int(now), count)
        if count > MAX_ANSWERS_PER_CENTER_SECOND:
            if count == MAX_ANSWERS_PER_CENTER_SECOND + 1:
                log.warning("library: %s asks too fast; it waits for the next second", center)
            return None
        message = answer(self.store, request)
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
