"""The class runner teaches the lesson library central published, as the center's keeper
keeps it: the next class takes a new version; a class under way keeps its lesson."""

from __future__ import annotations

import time
from pathlib import Path

from central.library_publish import publish
from lessons import BUNDLED_LIBRARY
from lessons.bundle import key_id, new_private_key, public_key_text
from lessons.library_store import LibraryStore
from lessons.published import PublishedLibrary
from robot_bridge.classes.bridge_service import BridgeService
from robot_bridge.link.mqtt_link import BrokerAddress
from tests.small_library import small_library

KEY = new_private_key()
FIXED = "전화 걸기 (고친 판)"


def test_the_next_class_takes_a_new_version_and_a_running_one_keeps_its_lesson(
    tmp_path: Path,
) -> None:
    source = small_library(tmp_path / "source")
    kept = LibraryStore(tmp_path / "keeper")  # what the keeper keeps (the same layout)
    publish(kept, source, KEY, "first")
    published = PublishedLibrary(kept.root, [public_key_text(KEY)], BUNDLED_LIBRARY)
    first = published.first()
    assert first.version == 1
    broker = BrokerAddress("127.0.0.1", 1)  # never connected: the service is not started
    service = BridgeService(
        broker, "gangnam-1", first.library, published=published, library_version=1
    )
    service.bridge.start("morning", "phone-call", [], "ko")
    running = service.bridge.classes["morning"]
    old_title = running.lesson.title.ko

    lesson = source / "lessons" / "phone-call.yaml"
    lesson.write_text(lesson.read_text().replace(old_title, FIXED, 1))
    publish(kept, source, KEY, "a corrected title")
    service._new_library()
    assert service._loading is not None
    service._loading.join(30)
    assert service.library_version == 2
    assert service.bridge.library.lessons["phone-call"].title.ko == FIXED
    assert running.lesson.title.ko == old_title  # the class under way is unchanged
    service._new_library()  # looked at again only after a while
    assert service._next_library_check > time.monotonic()


def test_a_version_that_does_not_check_out_is_not_taught_until_made_again(
    tmp_path: Path,
) -> None:
    source = small_library(tmp_path / "source")
    kept = LibraryStore(tmp_path / "keeper")
    publish(kept, source, KEY, "first")
    publish(kept, source, KEY, "second")
    broken = kept.version_dir(2) / "lessons" / "phone-call.yaml"
    broken.unlink()  # a hard link to the file version 1 has too: a new file, not through it
    broken.write_text("steps: []\n")
    published = PublishedLibrary(kept.root, [public_key_text(KEY)], BUNDLED_LIBRARY)
    loaded = published.first()  # the broken current gives way to the last good one
    assert loaded.version == 1 and 2 in published.refused
    assert published.pending(1) is None  # not tried again...
    document = kept.document(2)
    kept.discard(2)  # ...until the fetcher makes its folder again (fetched again whole)
    kept.install(document, {key_id(KEY): KEY.public_key()})
    kept.switch(2)
    assert published.pending(1) == 2
    assert published.load(2) is not None
