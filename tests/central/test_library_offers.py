"""Central's answers to the centers' keepers: each center has a budget a second, and a
request past it waits for the next second instead of being dropped (a dropped request cost
a keeper its 10 s answer timeout: bench/library_publish.py found it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from central import library_offers
from central.library_offers import LibraryOffers
from central.library_publish import publish
from lessons.bundle import new_private_key, unverified
from lessons.library_store import LibraryStore
from robot_bridge.protocol.library_messages import BlobRequest, encode, parse_blob
from robot_bridge.protocol.topics import Kind, library_topic
from tests.small_library import small_library


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> LibraryStore:
    root = tmp_path_factory.mktemp("central")
    published = LibraryStore(root / "store")
    publish(published, small_library(root / "source"), new_private_key())
    return published


def requests_for(store: LibraryStore, center: str) -> list[tuple[str, bytes]]:
    topic = library_topic(Kind.LIBRARY_FETCH, center)
    files = unverified(store.document(1)).files
    return [
        (topic, encode(BlobRequest(blob=f.sha256, offset=0, length=min(f.size, 262_144) or 1)))
        for f in files
    ]


def test_requests_past_a_centers_budget_wait_for_the_next_second(
    store: LibraryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_offers, "BYTES_PER_CENTER_SECOND", 50_000)
    offers = LibraryOffers(store)
    asked = requests_for(store, "mapo-2")[:8]
    answered = [offers.request(topic, payload, 100.2) for topic, payload in asked]
    first = [a for a in answered if a is not None]
    assert 0 < len(first) < len(asked)  # the budget ran out within the second
    assert offers.waiting_answers(100.9) == []  # still the same second
    later = [a for second in range(101, 120) for a in offers.waiting_answers(float(second))]
    assert len(first) + len(later) == len(asked)  # every one answered, in order
    blobs = [parse_blob(payload)[0].blob for _, payload, _ in first + later]
    assert blobs == [BlobRequest.model_validate_json(p).blob for _, p in asked]


def test_one_center_over_its_budget_does_not_hold_another_back(
    store: LibraryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_offers, "BYTES_PER_CENTER_SECOND", 300_000)
    offers = LibraryOffers(store)
    for topic, payload in requests_for(store, "mapo-2"):
        offers.request(topic, payload, 100.0)
    topic, payload = requests_for(store, "gangnam-1")[0]
    answer = offers.request(topic, payload, 100.0)
    assert answer is not None and answer[0].endswith("/gangnam-1/library/blob")


def test_a_center_asking_again_and_again_has_its_excess_dropped(
    store: LibraryStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(library_offers, "BYTES_PER_CENTER_SECOND", 1)
    offers = LibraryOffers(store)
    topic, payload = requests_for(store, "mapo-2")[0]
    for _ in range(500):
        offers.request(topic, payload, 100.0)
    assert len(offers._waiting["mapo-2"]) == library_offers.MAX_WAITING_PER_CENTER


def test_intake_knows_the_lessons_central_published(tmp_path: Path) -> None:
    """Progress on a lesson that came with a published version (not the installed library)
    is stored, not set aside: intake's catalog reads every published version, again when
    one is published."""
    from central.intake_service import IntakeWorker
    from central.library_offers import library_dir_beside
    from robot_bridge.link.mqtt_link import BrokerAddress

    db_path = tmp_path / "central" / "central.db"
    worker = IntakeWorker(db_path, BrokerAddress("127.0.0.1", 1))
    worker._catalog()
    assert worker.lessons is not None and "phone-call" in worker.lessons
    assert "phone-call-large" not in worker.lessons
    source = small_library(tmp_path / "source")
    text = (source / "lessons" / "phone-call.yaml").read_text()
    new = source / "lessons" / "phone-call-large.yaml"
    new.write_text(text.replace("id: phone-call", "id: phone-call-large", 1))
    publish(LibraryStore(library_dir_beside(db_path)), source, new_private_key())
    worker._catalog()
    assert "phone-call-large" in worker.lessons and "phone-call" in worker.lessons


def test_a_kiosk_that_does_not_follow_central_is_not_called_behind(tmp_path: Path) -> None:
    """A kiosk without a trusted key teaches the lessons it came with by design: three
    versions later it is not "behind" (a kiosk that follows central and has none is)."""
    import time

    from central.database import open_database
    from central.devices import DeviceStatus, record_status
    from central.library_publish import versions
    from central.library_reach import kiosks_reach
    from central.roster import add_center

    store = LibraryStore(tmp_path / "library")
    source, key = small_library(tmp_path / "source"), new_private_key()
    for age in (5, 4, 3):
        publish(store, source, key, clock=lambda age=age: time.time() - age * 86400)
    db = open_database(tmp_path / "central.db")
    add_center(db, "mapo-2", "마포")
    for kiosk, follows in (("kiosk-1", False), ("kiosk-2", True)):
        detail = {"library_follows": follows, "library_version": None}
        record_status(db, DeviceStatus("mapo-2", "kiosk", kiosk, True, time.time()), detail, False)
    reach = {k.kiosk: k for k in kiosks_reach(db, ["mapo-2"], versions(store))}
    assert not reach["kiosk-1"].warn_at(time.time())
    assert reach["kiosk-2"].warn_at(time.time())
