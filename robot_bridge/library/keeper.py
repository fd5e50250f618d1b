"""A center's keeper of the published lesson library (docs/lesson-publishing.md): fetches the
version central offers over the bridge, keeps it (and the last good one) for as long as it is
offered, and serves it to the center's kiosks on the site broker, so the internet link
carries each version once per center and a kiosk switched on after a week offline finds it
at the center.

One thread owns the store and the fetcher; the MQTT link only queues what arrives.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lessons.library_store import LibraryStore
from robot_bridge.classes.notices import Why, notice
from robot_bridge.library.library_fetcher import LibraryFetcher
from robot_bridge.library.library_server import answer, current_offer
from robot_bridge.link.mqtt_link import MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.class_messages import NoticeKey
from robot_bridge.protocol.library_messages import (
    BlobRequest,
    LibraryProtocolError,
    encode,
    parse_blob,
    parse_offer,
    parse_request,
)
from robot_bridge.protocol.topics import Kind, TopicError, library_topic, parse_topic

log = logging.getLogger(__name__)

LOOP_SECONDS = 0.2
STATUS_SECONDS = 30.0  # how often the keeper's progress is reported while it fetches


def subscriptions(center: str) -> list[tuple[str, int]]:
    return [
        (library_topic(Kind.LIBRARY_OFFER, center), 1),
        (library_topic(Kind.LIBRARY_BLOB, center), 1),
        (topics.every_device(center, Kind.KIOSK_LIBRARY_FETCH), 1),
    ]


def lessons_load(folder: Path) -> str | None:
    """Why the lessons in `folder` cannot be taught, or None: they load and check."""
    from lessons.library import LibraryError, load_library

    try:
        load_library(folder)
    except LibraryError as exc:
        first = exc.problems[0] if exc.problems else exc
        return f"{len(exc.problems)} problem(s) in its lessons, the first: {first}"
    return None


class LibraryKeeper:
    def __init__(
        self,
        store: LibraryStore,
        trusted: Mapping[str, Ed25519PublicKey],
        link: MqttLink,
        center: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.link, self.center, self.clock = store, link, center, clock
        self.fetcher = LibraryFetcher(
            store,
            trusted,
            self._request,
            accept=lessons_load,
            on_switch=self._switched,
            on_refuse=self._refused,
            connected=link.connected.is_set,
        )
        self.served_bytes = 0
        self._reconnected = threading.Event()
        self._last_status = 0.0

    def reconnected(self) -> None:
        """The site broker is back (paho's thread): say what we have, ask again."""
        self._reconnected.set()

    def run(self, stop: threading.Event) -> None:
        self._switched(self.store.current())
        while not stop.is_set():
            self.step()

    def step(self) -> None:
        try:
            topic, payload = self.link.inbox.get(timeout=LOOP_SECONDS)
        except queue.Empty:
            pass
        else:
            self.handle(topic, payload)
        if self._reconnected.is_set():
            self._reconnected.clear()
            self._switched(self.store.current())
            self.fetcher.resume()
        self.fetcher.tick()
        if self.fetcher.wants and self.clock() - self._last_status >= STATUS_SECONDS:
            self.report()

    def handle(self, topic: str, payload: bytes) -> None:
        """An offer, bytes from central, or a kiosk's request; anything bad is logged."""
        try:
            parsed = parse_topic(topic)
            if parsed.kind == Kind.LIBRARY_OFFER and parsed.center == self.center:
                if payload:  # an empty retained message: central withdrew its offer
                    self.fetcher.offered(parse_offer(payload))
            elif parsed.kind == Kind.LIBRARY_BLOB and parsed.center == self.center:
                self.fetcher.arrived(*parse_blob(payload))
            elif parsed.kind == Kind.KIOSK_LIBRARY_FETCH and parsed.kiosk is not None:
                self._serve(parsed.kiosk, parse_request(payload))
        except (LibraryProtocolError, TopicError) as exc:
            log.warning("library: ignored a bad message on %s: %s", topic[:200], exc)
        except OSError as exc:  # a kiosk's request this disk cannot answer now
            log.error("library: could not answer on %s: %s", topic[:200], exc)

    def report(self) -> None:
        """What the center has, retained for central (the dashboard's library page)."""
        self._last_status = self.clock()
        offer = self.fetcher.offer
        status = {
            "v": 1,
            "version": self.store.current(),
            "offered": offer.version if offer else None,
            "missing_bytes": self.fetcher.wanted_bytes,
            "problem": self.fetcher.problem,
            "at": round(self.clock(), 1),
        }
        topic = library_topic(Kind.LIBRARY_STATUS, self.center)
        self.link.publish(topic, json.dumps(status).encode(), retain=True)

    def _serve(self, kiosk: str, request: BlobRequest) -> None:
        message = answer(self.store, request)
        self.served_bytes += len(message)
        self.link.publish(library_topic(Kind.KIOSK_LIBRARY_BLOB, self.center, kiosk), message)

    def _request(self, request: BlobRequest) -> None:
        # QoS 0: a lost request is asked again after 10 s, and none pile up in the bridge's
        # queue while central is away
        topic = library_topic(Kind.LIBRARY_FETCH, self.center)
        self.link.publish(topic, encode(request), qos=0)

    def _switched(self, version: int | None) -> None:
        try:
            offer = current_offer(self.store) if version is not None else None
        except OSError as exc:
            log.error("library: cannot read version %s here: %s", version, exc)
            offer = None
        if offer is not None:
            topic = library_topic(Kind.SITE_LIBRARY, self.center)
            self.link.publish(topic, encode(offer), retain=True)
        self.report()

    def _refused(self, version: int, why: str) -> None:
        words = Why(f"버전 {version} — {why}", why)
        message = notice(NoticeKey.LIBRARY_REFUSED, self.clock(), why=words)
        self.link.publish(topics.instructor(self.center), message.model_dump_json().encode())
        self.report()
