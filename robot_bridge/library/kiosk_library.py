"""A kiosk's side of lesson publishing, run inside its sync agent (the kiosk's one MQTT
client): follow the version the center's keeper has, fetch it from the keeper into the
kiosk's own store, check it, and make it `current`. The kiosk program itself switches to it
between lessons (kiosk_app/teaching/library_switch.py). No threads of its own: the agent calls
`handle` for the topics in `subscriptions` and `tick` on every turn."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lessons.library_store import LibraryStore
from robot_bridge.library.keeper import lessons_load
from robot_bridge.library.library_fetcher import LibraryFetcher
from robot_bridge.protocol.library_messages import (
    BlobRequest,
    LibraryProtocolError,
    encode,
    parse_blob,
    parse_offer,
)
from robot_bridge.protocol.topics import Kind, library_topic

log = logging.getLogger(__name__)

Publish = Callable[[str, bytes], None]


@dataclass(frozen=True)
class LibraryReport:
    """What the sync status says about the library (central's dashboard shows it)."""

    installed: int | None  # the newest version checked and ready on this kiosk
    offered: int | None  # the version the center's keeper has
    problem: str | None  # why the offered version is not ready (being fetched, refused)


class KioskLibrary:
    def __init__(
        self,
        store: LibraryStore,
        trusted: Mapping[str, Ed25519PublicKey],
        center: str,
        kiosk: str,
        publish: Publish,
        taught: Callable[[], int | None] = lambda: None,
        connected: Callable[[], bool] = lambda: True,
    ) -> None:
        """`taught()`: the version the kiosk program teaches now (never pruned under it);
        `connected()`: whether the site broker is there (nothing is asked for while not)."""
        self.center, self.kiosk, self.publish = center, kiosk, publish
        self.offer_topic = library_topic(Kind.SITE_LIBRARY, center)
        self.blob_topic = library_topic(Kind.KIOSK_LIBRARY_BLOB, center, kiosk)
        self.fetch_topic = library_topic(Kind.KIOSK_LIBRARY_FETCH, center, kiosk)
        self.fetcher = LibraryFetcher(
            store,
            trusted,
            self._request,
            accept=lessons_load,
            connected=connected,
            keep=lambda: {v for v in (taught(),) if v is not None},
        )

    @property
    def subscriptions(self) -> list[tuple[str, int]]:
        return [(self.offer_topic, 1), (self.blob_topic, 1)]

    def handle(self, topic: str, payload: bytes) -> bool:
        """Take a library message; False if `topic` is not one of ours."""
        if topic not in (self.offer_topic, self.blob_topic):
            return False
        try:
            if topic == self.offer_topic:
                if payload:
                    self.fetcher.offered(parse_offer(payload))
            else:
                self.fetcher.arrived(*parse_blob(payload))
        except LibraryProtocolError as exc:
            log.warning("library: ignored a bad message on %s: %s", topic, exc)
        return True

    def tick(self) -> None:
        self.fetcher.tick()

    def resume(self) -> None:
        self.fetcher.resume()

    def report(self) -> LibraryReport:
        offer = self.fetcher.offer
        return LibraryReport(
            self.fetcher.store.current(), offer.version if offer else None, self.fetcher.problem
        )

    def _request(self, request: BlobRequest) -> None:
        self.publish(self.fetch_topic, encode(request))
