"""The kiosk takes a newly published library version only between lessons, teaches from it
once it checks out, names it in its progress events, and keeps teaching the one it has when
a new one does not check out (a real window; the versions are real signed folders, made
`current` the way the kiosk's sync agent makes them)."""

from __future__ import annotations

import dataclasses
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from central.library_publish import publish
from kiosk_app.teaching.library_switch import LibrarySwitch
from lessons import BUNDLED_LIBRARY
from lessons.bundle import key_id, new_private_key, public_key_text
from lessons.library import load_library
from lessons.library_store import LibraryStore
from tests.kiosk_app.test_window import open_lesson, sign_in

KEY = new_private_key()
LOAD_SECONDS = 60.0


@pytest.fixture(scope="module")
def first_version(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the library's source and central's store with version 1 (the bundled
    library), published once for the module: publishing walks every practice (seconds)."""
    root = tmp_path_factory.mktemp("first-version")
    source = Path(shutil.copytree(BUNDLED_LIBRARY, root / "source"))
    publish(LibraryStore(root / "central"), source, KEY, "the bundled library")
    return root


@pytest.fixture
def published(
    kiosk: Any, tmp_path: Path, first_version: Path
) -> Iterator[tuple[LibraryStore, LibraryStore, Path]]:
    """Central's store with version 1 (a copy of `first_version`), the kiosk's own store
    with it installed, and the kiosk following them; the bundled library is taught again
    after."""
    app = kiosk.app
    config = dataclasses.replace(
        app.kiosk_config, data_dir=tmp_path / "kiosk", trusted_keys=(public_key_text(KEY),)
    )
    source = Path(shutil.copytree(first_version / "source", tmp_path / "source"))
    central = LibraryStore(Path(shutil.copytree(first_version / "central", tmp_path / "central")))
    own = LibraryStore(config.published_dir)
    install(central, own, 1)
    saved = app.library_switch, app.kiosk.library, app.kiosk.library_version
    app.library_switch = LibrarySwitch(config)
    loaded = app.library_switch.first()
    assert loaded.version == 1
    app.kiosk.teach_library(loaded.library, loaded.version)
    try:
        yield central, own, source
    finally:
        app.sign_out()
        app.library_switch = saved[0]
        app.kiosk.teach_library(saved[1], saved[2])


def install(central: LibraryStore, own: LibraryStore, version: int) -> None:
    """What the sync agent does once it has fetched a version: install it, switch to it."""
    for path in (central.version_dir(version)).rglob("*"):
        if path.is_file() and path.name != "manifest.json":
            own.put_blob(path.read_bytes())
    own.install(central.document(version), {key_id(KEY): KEY.public_key()})
    own.switch(version)


def check_for_new_library(kiosk: Any) -> None:
    """What the app's timer does; then wait for the worker (checking and loading 36 lessons
    takes a second or two) and the hop back to the UI thread."""
    kiosk.app._new_library()
    deadline = time.monotonic() + LOAD_SECONDS
    while kiosk.app._loading_library and time.monotonic() < deadline:
        kiosk.frames(1)
    assert not kiosk.app._loading_library, "the new library did not load"


def test_a_new_version_is_taken_after_the_lesson_not_during_it(
    kiosk: Any, published: tuple[LibraryStore, LibraryStore, Path]
) -> None:
    central, own, source = published
    sign_in(kiosk, "김영희")
    open_lesson(kiosk, "phone-call")
    run = kiosk.app.kiosk.run
    title = run.session.lesson.title.ko
    lesson = source / "lessons" / "phone-call.yaml"
    lesson.write_text(lesson.read_text().replace(title, "전화 걸고 받기 (고친 판)", 1))
    publish(central, source, KEY, "a corrected title")
    install(central, own, 2)

    check_for_new_library(kiosk)  # a learner is signed in: not now
    assert kiosk.app.kiosk.library_version == 1
    kiosk.press("다음")
    assert kiosk.app.kiosk.run is run and run.session.lesson.title.ko == title

    kiosk.app.sign_out()
    kiosk.frames(2)
    check_for_new_library(kiosk)
    assert kiosk.app.kiosk.library_version == 2
    lessons = kiosk.app.kiosk.library.lessons
    assert lessons["phone-call"].title.ko == "전화 걸고 받기 (고친 판)"

    sign_in(kiosk, "김영희")
    open_lesson(kiosk, "phone-call")
    kiosk.app.kiosk.writer.flush()
    stored = kiosk.app.kiosk.reader.unsynced(limit=100_000)
    names = [o.event.detail.get("library") for o in stored if o.event.kind == "lesson_started"]
    assert names[-2:] == [1, 2]  # each lesson names the version it was taught from


def test_a_version_changed_on_the_kiosks_disk_is_not_taught(
    kiosk: Any, published: tuple[LibraryStore, LibraryStore, Path]
) -> None:
    central, own, source = published
    (source / "lessons" / "weather.yaml").unlink()
    publish(central, source, KEY, "weather withdrawn")
    install(central, own, 2)
    picture = next((own.version_dir(2) / "pictures").iterdir())
    picture.unlink()
    picture.write_bytes(b"not the picture that was signed")

    kiosk.app.sign_out()
    check_for_new_library(kiosk)
    assert kiosk.app.kiosk.library_version == 1
    assert "weather" in kiosk.app.kiosk.library.lessons
    assert "31 bytes, " in kiosk.app.library_switch.refused[2]  # not what was signed
    check_for_new_library(kiosk)  # not tried again and again
    assert kiosk.app.kiosk.library_version == 1


def test_at_start_a_broken_current_version_gives_way_to_the_last_good_one(
    kiosk: Any, published: tuple[LibraryStore, LibraryStore, Path]
) -> None:
    central, own, source = published
    publish(central, source, KEY, "the same again")
    install(central, own, 2)
    (own.version_dir(2) / "lessons" / "weather.yaml").unlink()
    loaded = kiosk.app.library_switch.first()
    assert loaded.version == 1
    assert loaded.library.lessons.keys() == load_library(BUNDLED_LIBRARY).lessons.keys()
