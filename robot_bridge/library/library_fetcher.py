"""Follow offers of a published lesson library and fetch what is missing, resuming where it
stopped (docs/lesson-publishing.md). The same fetcher runs in a center's keeper (from central)
and in each kiosk's sync agent (from the keeper). No MQTT here: requests go out through
`send`, answers come in through `arrived`, and `tick` resends what went unanswered.

The order of trust: an offer names a manifest by its SHA-256; the manifest's bytes must have
that SHA-256 and a signature of a trusted key before any file is asked for; each file's
bytes must have the SHA-256 the manifest gives; the whole version is checked again when its
folder is made, and `accept` (loading the lessons) decides before it becomes current.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lessons.bundle import BundleError, Manifest, sha256_of, verify
from lessons.library_store import LibraryStore
from robot_bridge.protocol.library_messages import (
    CHUNK_BYTES,
    WINDOW,
    BlobHeader,
    BlobRequest,
    LibraryOffer,
)

log = logging.getLogger(__name__)

# No answer to the requests in flight for this long: ask again from where each file got to.
# Generous against a bridge that holds 2 MB behind a backlog of sync batches; a lost
# message costs this much, never the transfer.
ANSWER_SECONDS = 10.0
# The sender said it has no such file (a keeper still fetching it from central), or this
# device's disk failed (full): try again after this long.
RETRY_SECONDS = 30.0
# A file whose bytes arrive changed this many times is damaged where it is served (a file
# edited in place at central): the version is refused rather than fetched forever.
MAX_BAD_COPIES = 3


@dataclass
class _Want:
    sha: str
    size: int
    requested_to: int = 0  # bytes asked for so far (from where the part file ended)


class LibraryFetcher:
    def __init__(
        self,
        store: LibraryStore,
        trusted: Mapping[str, Ed25519PublicKey],
        send: Callable[[BlobRequest], None],
        *,
        clock: Callable[[], float] = time.monotonic,
        accept: Callable[[Path], str | None] | None = None,
        on_switch: Callable[[int], None] | None = None,
        on_refuse: Callable[[int, str], None] | None = None,
        connected: Callable[[], bool] = lambda: True,
        keep: Callable[[], set[int]] = set,
    ) -> None:
        """`accept(folder)` returns why a complete, signed version must not be taught (its
        lessons do not load) or None; `on_switch(version)` follows a change of `current`;
        `on_refuse(version, why)` a version refused; `connected()` whether requests can get
        through now (none are resent while not); `keep()` versions never to prune (the one
        a kiosk is still teaching from)."""
        self.store, self.trusted, self.send, self.clock = store, trusted, send, clock
        self.accept, self.on_switch, self.on_refuse = accept, on_switch, on_refuse
        self.connected, self.keep = connected, keep
        self.bad_copies: dict[str, int] = {}  # file → how often its bytes arrived changed
        self._after_failure: LibraryOffer | None = None  # to offer again after a disk error
        self._repaired: set[str] = set()  # manifests whose damaged copy was fetched again
        self.offer: LibraryOffer | None = None
        self.manifest: tuple[Manifest, bytes] | None = None
        self.wants: list[_Want] = []
        self.in_flight: dict[tuple[str, int], float] = {}
        self.problem: str | None = None  # why the offered version is not being taught
        self.refused: dict[str, str] = {}  # manifest SHA-256 → why, so it is not fetched again
        self.received_bytes = 0
        self.resends = 0
        self._retry_at: float | None = None

    # ---- what comes in ------------------------------------------------------------------

    def offered(self, offer: LibraryOffer) -> None:
        """Teach `offer.version`: switch to it if it is here, else fetch it."""
        self._guarded(lambda: self._offered(offer), offer)

    def arrived(self, header: BlobHeader, data: bytes) -> None:
        """Bytes of a file we asked for (anything else is ignored)."""
        self._guarded(lambda: self._arrived(header, data), self.offer)

    def tick(self) -> None:
        """Ask again for what went unanswered, or what a disk error interrupted."""
        self._guarded(self._tick, self.offer)

    def _guarded(self, work: Callable[[], None], offer: LibraryOffer | None) -> None:
        """Do `work`; a failing disk (full, read-only, an I/O error) stops this fetch and
        tries it again later, and never stops the program around it (the kiosk's sync)."""
        try:
            work()
        except OSError as exc:
            log.error("library: the disk failed (%s); trying again in %.0f s", exc, RETRY_SECONDS)
            self.problem = f"this device's disk: {exc}"[:300]
            self._after_failure, self.offer = offer, None
            self.wants, self.manifest = [], None
            self.in_flight.clear()
            self._retry_at = self.clock() + RETRY_SECONDS

    def _offered(self, offer: LibraryOffer) -> None:
        if offer == self.offer and (self.wants or offer.manifest in self.refused):
            return  # already on it (an offer comes again after every reconnect)
        self.offer, self.manifest, self.wants, self.problem = offer, None, [], None
        self.in_flight.clear()
        self._retry_at = None  # a new offer starts now, not after an earlier wait
        if offer.manifest in self.refused:
            self.problem = self.refused[offer.manifest]
            return
        if offer.version in self.store.installed():  # taught before: a rollback, or a restart
            if sha256_of(self.store.document(offer.version)) != offer.manifest:
                self._refuse("changed", f"this device has another version {offer.version} "
                             "than the one offered (was central's library reset?)")  # fmt: skip
                return
            self._take(offer.version)
        elif self.store.has_blob(offer.manifest):
            self._manifest_here()
        else:
            self.wants = [_Want(offer.manifest, offer.size)]
            self._fill()

    def _arrived(self, header: BlobHeader, data: bytes) -> None:
        if self.in_flight.pop((header.blob, header.offset), None) is None:
            return
        want = next((w for w in self.wants if w.sha == header.blob), None)
        if want is None:
            return
        if header.missing:
            self.problem = f"the sender does not have file {header.blob[:12]}… yet"
            self._retry_at = self.clock() + RETRY_SECONDS
            want.requested_to = self.store.part_size(want.sha)
            return
        self.received_bytes += len(data)
        if self.store.write_part(want.sha, header.offset, data) >= want.size:
            self._complete(want)
        self._fill()

    def _tick(self) -> None:
        now = self.clock()
        if not self.connected():
            return  # requests sent now would only pile up; `resume` follows the reconnect
        if self.in_flight and now - min(self.in_flight.values()) >= ANSWER_SECONDS:
            self.resends += 1
            log.info("library: no answer for %d requests; asking again", len(self.in_flight))
            self._restart_requests()
        elif self._retry_at is not None and now >= self._retry_at:
            self._retry_at = None
            again, self._after_failure = self._after_failure, None
            if again is not None:
                self._offered(again)
            else:
                self._restart_requests()
        elif self.wants and not self.in_flight and self._retry_at is None:
            self._restart_requests()  # answers that were ignored (out of order, short)

    # ---- what the fetcher does ----------------------------------------------------------

    @property
    def wanted_bytes(self) -> int:
        return sum(w.size - self.store.part_size(w.sha) for w in self.wants)

    def resume(self) -> None:
        """The link came back: what was in flight may be lost, ask again from where it got to."""
        self._retry_at = None
        self._restart_requests()

    def _restart_requests(self) -> None:
        self.in_flight.clear()
        for want in self.wants:
            want.requested_to = self.store.part_size(want.sha)
        self._fill()

    def _fill(self) -> None:
        """Keep up to WINDOW requests in flight, files in order, each from where it got to."""
        if self._retry_at is not None:
            return
        for want in self.wants:
            want.requested_to = max(want.requested_to, self.store.part_size(want.sha))
            while len(self.in_flight) < WINDOW and want.requested_to < want.size:
                length = min(CHUNK_BYTES, want.size - want.requested_to)
                self.in_flight[(want.sha, want.requested_to)] = self.clock()
                self.send(BlobRequest(blob=want.sha, offset=want.requested_to, length=length))
                want.requested_to += length
            if len(self.in_flight) >= WINDOW:
                return
        for want in [w for w in self.wants if w.size == 0]:  # an empty file needs no bytes
            self.store.write_part(want.sha, 0, b"")
            self._complete(want)

    def _complete(self, want: _Want) -> None:
        try:
            self.store.finish_blob(want.sha, want.size)
        except BundleError as exc:  # bytes that are not what was asked for: from the start
            self.bad_copies[want.sha] = self.bad_copies.get(want.sha, 0) + 1
            if self.bad_copies[want.sha] >= MAX_BAD_COPIES:
                self._refuse("changed", f"file {want.sha[:12]}… arrived changed "
                             f"{MAX_BAD_COPIES} times: the sender's copy is damaged")  # fmt: skip
                return
            log.warning("library: %s; fetching it again", exc)
            want.requested_to = 0
            return
        self.wants.remove(want)
        if self.offer is not None and want.sha == self.offer.manifest:
            self._manifest_here()
        elif not self.wants and self.manifest is not None:
            self._install()

    def _manifest_here(self) -> None:
        assert self.offer is not None
        document = self.store.read_blob(self.offer.manifest, 0, self.offer.size + 1) or b""
        try:
            manifest = verify(document, self.trusted)
        except BundleError as exc:
            self._refuse(exc.kind, str(exc))
            return
        if manifest.version != self.offer.version:
            self._refuse("changed", f"offered as version {self.offer.version}, its manifest "
                         f"says {manifest.version}")  # fmt: skip
            return
        self.manifest = (manifest, document)
        seen: set[str] = set()
        for entry in self.store.missing(manifest):
            if entry.sha256 not in seen:
                seen.add(entry.sha256)
                self.wants.append(_Want(entry.sha256, entry.size))
        log.info(
            "library: version %d, %d files (%d bytes), %d to fetch",
            manifest.version, len(manifest.files), manifest.total_bytes, len(self.wants),
        )  # fmt: skip
        if self.wants:
            self._fill()
        else:
            self._install()

    def _install(self) -> None:
        assert self.manifest is not None
        manifest, document = self.manifest
        try:
            self.store.install(document, self.trusted)
        except BundleError as exc:
            self._refuse(exc.kind, str(exc))
            return
        self._take(manifest.version)

    def _take(self, version: int) -> None:
        """Switch to an installed version once it checks out whole and its lessons load."""
        try:
            self.store.verified(version, self.trusted)
        except BundleError as exc:
            offer = self.offer
            repairable = offer is not None and exc.kind in ("changed", "missing")
            if offer is not None and repairable and offer.manifest not in self._repaired:
                # damaged here (a power cut, a disk error): drop it and fetch it again, once
                log.warning("library: version %d is damaged here (%s); fetching it again",
                            version, exc)  # fmt: skip
                self._repaired.add(offer.manifest)
                self.store.discard(version)
                self.offer = None
                self._offered(offer)
                return
            self._refuse(exc.kind, str(exc))
            return
        why = self.accept(self.store.version_dir(version)) if self.accept else None
        if why:
            self._refuse("lessons", f"version {version}: {why}")
            return
        if self.store.current() != version:
            previous = self.store.current()
            self.store.switch(version)
            self.store.prune(also={v for v in (previous, *self.keep()) if v is not None})
            log.info("library: now teaching version %d (was %s)", version, previous)
        self.problem = None
        if self.on_switch:
            self.on_switch(version)

    def _refuse(self, kind: str, why: str) -> None:
        assert self.offer is not None
        log.error(
            "library: refused version %d (%s): %s; still teaching version %s",
            self.offer.version, kind, why, self.store.current(),
        )  # fmt: skip
        self.problem = why
        self.refused[self.offer.manifest] = why
        self.wants, self.manifest = [], None
        self.in_flight.clear()
        if self.on_refuse:
            self.on_refuse(self.offer.version, why)
