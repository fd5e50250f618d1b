"""Fetching a published library from whoever serves it (central for a center's keeper, the
keeper for a kiosk), with real stores on disk and the messages as they go on the wire; the
link between them is a list, so what gets lost, late or changed is up to each test."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from central.library_publish import publish, rollback
from lessons.bundle import Manifest, key_id, new_private_key, sign, unverified
from lessons.library_store import LibraryStore
from robot_bridge.library.keeper import lessons_load
from robot_bridge.library.library_fetcher import ANSWER_SECONDS, LibraryFetcher
from robot_bridge.library.library_server import answer, current_offer
from robot_bridge.protocol.library_messages import (
    BlobHeader,
    BlobRequest,
    LibraryOffer,
    blob_message,
    encode,
    parse_blob,
    parse_request,
)
from tests.small_library import small_library

KEY = new_private_key()
TRUSTED = {key_id(KEY): KEY.public_key()}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Wire:
    """Requests the fetcher sent (as bytes, as on the broker) and what answers them."""

    def __init__(self, server: LibraryStore) -> None:
        self.server = server
        self.requests: list[bytes] = []

    def send(self, request: BlobRequest) -> None:
        self.requests.append(encode(request))

    def deliver(
        self, fetcher: LibraryFetcher, lose: Callable[[int], bool] = lambda n: False
    ) -> int:
        """Answer every request (and those they lead to) unless `lose(n)`; how many."""
        n = 0
        while self.requests:
            request = parse_request(self.requests.pop(0))
            n += 1
            if not lose(n):
                fetcher.arrived(*parse_blob(answer(self.server, request)))
        return n


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Central's store with version 1 of a small library (checked once: it takes seconds)."""
    root = tmp_path_factory.mktemp("published")
    publish(LibraryStore(root / "central"), small_library(root / "source"), KEY, "two lessons")
    return root


@pytest.fixture
def central(published: Path, tmp_path: Path) -> LibraryStore:
    shutil.copytree(published / "central", tmp_path / "central")
    return LibraryStore(tmp_path / "central")


@pytest.fixture
def source(published: Path, tmp_path: Path) -> Path:
    """The library version 1 was published from, to change and publish again."""
    return Path(shutil.copytree(published / "source", tmp_path / "source"))


def fetcher_for(
    store: LibraryStore, wire: Wire, clock: Clock | None = None
) -> tuple[LibraryFetcher, list[int], list[tuple[int, str]]]:
    switched: list[int] = []
    refused: list[tuple[int, str]] = []
    fetcher = LibraryFetcher(
        store, TRUSTED, wire.send, clock=clock or Clock(), accept=lessons_load,
        on_switch=switched.append, on_refuse=lambda v, why: refused.append((v, why)),
    )  # fmt: skip
    return fetcher, switched, refused


def offer_of(store: LibraryStore) -> LibraryOffer:
    offer = current_offer(store)
    assert offer is not None
    return offer


def test_a_center_fetches_the_whole_version_checks_it_and_teaches_it(
    central: LibraryStore, tmp_path: Path
) -> None:
    site = LibraryStore(tmp_path / "site")
    wire = Wire(central)
    fetcher, switched, refused = fetcher_for(site, wire)
    fetcher.offered(offer_of(central))
    assert len(wire.requests) == 1  # the manifest first: nothing else before it is verified
    wire.deliver(fetcher)
    assert (switched, refused, site.current()) == ([1], [], 1)
    manifest = site.verified(1, TRUSTED)
    assert fetcher.received_bytes >= manifest.total_bytes
    for entry in manifest.files:
        assert (site.version_dir(1) / entry.path).read_bytes() == central.read_blob(
            entry.sha256, 0, entry.size
        )


def test_an_interrupted_transfer_resumes_where_it_stopped(
    central: LibraryStore, tmp_path: Path
) -> None:
    site = LibraryStore(tmp_path / "site")
    wire = Wire(central)
    first, _, _ = fetcher_for(site, wire)
    first.offered(offer_of(central))
    wire.deliver(first, lose=lambda n: n > 60)  # the link drops after 60 answers
    fetched = first.received_bytes
    assert site.current() is None and fetched > 0
    wire.requests.clear()

    again, switched, _ = fetcher_for(site, wire)  # the keeper restarted
    again.offered(offer_of(central))
    wire.deliver(again)
    assert switched == [1]
    total = unverified(central.document(1)).total_bytes
    assert again.received_bytes <= total - fetched + 262_144  # at most one chunk again


def test_lost_answers_are_asked_for_again(central: LibraryStore, tmp_path: Path) -> None:
    site, clock = LibraryStore(tmp_path / "site"), Clock()
    wire = Wire(central)
    fetcher, switched, _ = fetcher_for(site, wire, clock)
    fetcher.offered(offer_of(central))
    wire.deliver(fetcher, lose=lambda n: n % 7 == 0)  # every seventh answer lost
    while site.current() is None:
        clock.now += ANSWER_SECONDS
        fetcher.tick()
        assert wire.requests, "nothing asked for, nothing arriving"
        wire.deliver(fetcher, lose=lambda n: n % 7 == 0)
    assert switched == [1] and fetcher.resends > 0


def test_bytes_that_are_not_what_was_signed_are_fetched_again(
    central: LibraryStore, tmp_path: Path
) -> None:
    site = LibraryStore(tmp_path / "site")
    wire = Wire(central)
    fetcher, switched, _ = fetcher_for(site, wire)
    fetcher.offered(offer_of(central))
    manifest = parse_request(wire.requests.pop())
    fetcher.arrived(*parse_blob(answer(central, manifest)))  # now it asks for the files
    request = parse_request(wire.requests[0])
    good = answer(central, request)
    header, data = parse_blob(good)
    fetcher.arrived(header, bytes(len(data)))  # zeros instead of a file's bytes
    assert not site.has_blob(request.blob)
    wire.requests.clear()
    fetcher.resume()
    wire.deliver(fetcher)
    assert switched == [1]


def test_a_manifest_signed_by_another_key_is_refused_before_any_file_is_fetched(
    central: LibraryStore, tmp_path: Path
) -> None:
    forged = sign(unverified(central.document(1)), new_private_key())
    central.put_blob(forged)
    site = LibraryStore(tmp_path / "site")
    wire = Wire(central)
    fetcher, switched, refused = fetcher_for(site, wire)
    offer = LibraryOffer(version=1, manifest=_sha(forged), size=len(forged))
    fetcher.offered(offer)
    assert wire.deliver(fetcher) == 1
    assert switched == [] and site.current() is None
    assert refused and "does not trust" in refused[0][1]
    fetcher.offered(offer)  # offered again after a reconnect: still refused, nothing fetched
    assert wire.requests == []


def test_a_signed_version_whose_lessons_do_not_load_is_not_taught(
    central: LibraryStore, source: Path, tmp_path: Path
) -> None:
    """A library that passed central's checks but not this device's (an older kiosk that
    does not know a newer field): refused, and the version before it is still taught."""
    site = LibraryStore(tmp_path / "site")
    wire = Wire(central)
    fetcher, switched, refused = fetcher_for(site, wire)
    fetcher.offered(offer_of(central))
    wire.deliver(fetcher)
    assert switched == [1]

    broken = source / "lessons" / "phone-basics.yaml"
    broken.write_text(broken.read_text().replace("steps:", "stepz:", 1))
    manifest = unverified(central.document(1))
    from lessons.bundle import Manifest, scan

    version2 = Manifest(2, manifest.created + 60, "broken on purpose", scan(source))
    document = sign(version2, KEY)
    for entry in version2.files:
        central.put_blob((source / entry.path).read_bytes())
    central.put_blob(document)
    fetcher.offered(LibraryOffer(version=2, manifest=_sha(document), size=len(document)))
    wire.deliver(fetcher)
    assert site.current() == 1
    assert refused and refused[0][0] == 2 and "phone-basics.yaml" in refused[0][1]


def test_a_rollback_switches_back_without_fetching(
    central: LibraryStore, source: Path, tmp_path: Path
) -> None:
    (source / "lessons" / "phone-basics.yaml").unlink()
    publish(central, source, KEY, "without phone-basics")
    site = LibraryStore(tmp_path / "site")
    wire = Wire(central)
    fetcher, switched, _ = fetcher_for(site, wire)
    fetcher.offered(LibraryOffer(version=1, manifest=_sha(central.document(1)),
                                 size=len(central.document(1))))  # fmt: skip
    wire.deliver(fetcher)
    fetcher.offered(offer_of(central))
    wire.deliver(fetcher)
    assert switched == [1, 2] and site.current() == 2
    rollback(central)
    fetcher.offered(offer_of(central))
    assert wire.requests == []  # version 1 is still here: nothing to fetch
    assert switched == [1, 2, 1] and site.current() == 1


def test_the_sender_not_having_a_file_yet_is_asked_again_later(
    central: LibraryStore, tmp_path: Path
) -> None:
    site, clock = LibraryStore(tmp_path / "site"), Clock()
    wire = Wire(central)
    fetcher, switched, _ = fetcher_for(site, wire, clock)
    offer = offer_of(central)
    fetcher.offered(offer)
    request = parse_request(wire.requests.pop())
    fetcher.arrived(BlobHeader(blob=request.blob, offset=0, missing=True), b"")
    assert "does not have" in (fetcher.problem or "")
    fetcher.tick()
    assert wire.requests == []
    clock.now += 31
    fetcher.tick()
    wire.deliver(fetcher)
    assert switched == [1]


def test_messages_nobody_asked_for_are_ignored(central: LibraryStore, tmp_path: Path) -> None:
    site = LibraryStore(tmp_path / "site")
    fetcher, switched, _ = fetcher_for(site, Wire(central))
    header = BlobHeader(blob="a" * 64, offset=0, size=3)
    fetcher.arrived(*parse_blob(blob_message(header, b"abc")))
    assert switched == [] and not site.has_blob("a" * 64)


def _sha(data: bytes) -> str:
    from lessons.bundle import sha256_of

    return sha256_of(data)


def test_a_file_damaged_where_it_is_served_is_refused_not_fetched_forever(
    central: LibraryStore, tmp_path: Path
) -> None:
    """A file edited in place at central: every copy arrives changed. After a few the
    version is refused and said why (before: fetched again and again, 393 MB in a test)."""
    site = LibraryStore(tmp_path / "site")
    wire = Wire(central)
    fetcher, switched, refused = fetcher_for(site, wire)
    entry = unverified(central.document(1)).files[0]
    damaged = central.blob_path(entry.sha256)
    damaged.chmod(0o644)
    damaged.write_bytes(b"\0" + damaged.read_bytes()[1:])
    fetcher.offered(offer_of(central))
    assert wire.deliver(fetcher) < 500
    assert switched == [] and refused and "damaged" in refused[0][1]


def test_a_failing_disk_stops_the_fetch_and_tries_again_later(
    central: LibraryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, clock = LibraryStore(tmp_path / "site"), Clock()
    wire = Wire(central)
    fetcher, switched, _ = fetcher_for(site, wire, clock)

    def full(*_: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(LibraryStore, "write_part", full)
    fetcher.offered(offer_of(central))
    wire.deliver(fetcher)  # no exception reaches the sync agent or the keeper
    assert "No space left" in (fetcher.problem or "") and site.current() is None
    monkeypatch.undo()
    clock.now += 31
    fetcher.tick()
    wire.deliver(fetcher)
    assert switched == [1]


def test_answers_that_were_ignored_are_asked_for_again(
    central: LibraryStore, tmp_path: Path
) -> None:
    """Two answers swapped: the later one is ignored (files arrive in order), so it is asked
    for again on the next turn rather than the fetch stalling with nothing in flight."""
    site = LibraryStore(tmp_path / "site")
    wire = Wire(central)
    fetcher, switched, _ = fetcher_for(site, wire)
    fetcher.offered(offer_of(central))
    manifest = parse_request(wire.requests.pop())
    fetcher.arrived(*parse_blob(answer(central, manifest)))
    first, second = parse_request(wire.requests[0]), parse_request(wire.requests[1])
    wire.requests = wire.requests[2:]
    for request in (second, first):
        fetcher.arrived(*parse_blob(answer(central, request)))
    wire.deliver(fetcher)
    while site.current() is None:
        fetcher.tick()
        assert wire.requests, "stalled with nothing in flight"
        wire.deliver(fetcher)
    assert switched == [1]


def test_another_version_under_the_same_number_is_not_taken(
    central: LibraryStore, tmp_path: Path
) -> None:
    """Central's library lost and published again from 1: a device that has a different
    version 1 says so instead of teaching its old one as the new."""
    site = LibraryStore(tmp_path / "site")
    wire = Wire(central)
    fetcher, _, refused = fetcher_for(site, wire)
    fetcher.offered(offer_of(central))
    wire.deliver(fetcher)
    other = sign(Manifest(1, 5, "central reset", unverified(central.document(1)).files), KEY)
    offer = LibraryOffer(version=1, manifest=_sha(other), size=len(other))
    fetcher.offered(offer)
    assert refused and "another version 1" in refused[0][1]


def test_the_version_a_kiosk_still_teaches_is_not_pruned(
    central: LibraryStore, source: Path, tmp_path: Path
) -> None:
    """A learner signed in on version 1 while 2 and then a quick fix 3 arrive: the sync
    agent switches to 3 but keeps 1 (pictures are read from it while she is taught)."""
    kiosk = LibraryStore(tmp_path / "kiosk")
    wire = Wire(central)
    fetcher = LibraryFetcher(kiosk, TRUSTED, wire.send, keep=lambda: {1})
    fetcher.offered(offer_of(central))
    wire.deliver(fetcher)
    for note in ("second", "a quick fix"):
        lesson = source / "lessons" / "phone-call.yaml"
        lesson.write_text(lesson.read_text() + f"# {note}\n")
        publish(central, source, KEY, note)
        fetcher.offered(offer_of(central))
        wire.deliver(fetcher)
    assert kiosk.current() == 3 and kiosk.installed() == [1, 2, 3]
    kiosk.verified(1, TRUSTED)


def test_a_version_damaged_on_this_disk_is_fetched_again_once(
    central: LibraryStore, tmp_path: Path
) -> None:
    """A power cut left a file of the installed version empty: when it is offered again
    (a restart), the damaged version is dropped and fetched again instead of being refused
    until central publishes the next one; leftovers of earlier fetches go at the switch."""
    site = LibraryStore(tmp_path / "site")
    wire = Wire(central)
    fetcher, switched, _ = fetcher_for(site, wire)
    fetcher.offered(offer_of(central))
    wire.deliver(fetcher)
    entry = unverified(central.document(1)).files[0]
    (site.version_dir(1) / entry.path).unlink()
    blob = site.blob_path(entry.sha256)
    blob.unlink()
    blob.write_bytes(b"")  # what a power cut before the data reached the disk leaves
    stray = site.blob_path("ab" * 32).with_suffix(".part")
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"half a file of a version never finished")

    again, switched, refused = fetcher_for(site, wire)  # the sync agent restarted
    again.offered(offer_of(central))
    wire.deliver(again)
    assert switched == [1] and refused == []
    site.verified(1, TRUSTED)
    assert not stray.exists()
