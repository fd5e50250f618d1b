"""Signed library versions: what a signature covers, what a version's folder must hold, and
the store that keeps versions on disk (real files, real Ed25519)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from central.library_publish import PublishRefused, publish, rollback, versions
from lessons import BUNDLED_LIBRARY
from lessons.bundle import (
    BundleError,
    FileEntry,
    Manifest,
    key_id,
    new_private_key,
    public_key_text,
    read_trusted,
    sha256_of,
    sign,
    trusted_keys,
    unverified,
    verify,
)
from lessons.library_store import LibraryStore
from tests.small_library import small_library

KEY = new_private_key()
TRUSTED = {key_id(KEY): KEY.public_key()}


ENTRY = FileEntry("lessons/a.yaml", "0" * 64, 1)


def signed(version: int = 1) -> bytes:
    return sign(Manifest(version, 1_764_900_000, "note", (ENTRY,)), KEY)


def test_a_signed_manifest_verifies_and_any_change_to_it_does_not() -> None:
    document = signed(7)
    assert verify(document, TRUSTED).version == 7
    data = json.loads(document)
    data["manifest"]["version"] = 8
    with pytest.raises(BundleError) as caught:
        verify(json.dumps(data).encode(), TRUSTED)
    assert caught.value.kind == "bad-signature"
    data = json.loads(document)
    data["manifest"]["files"][0]["sha256"] = "1" * 64
    with pytest.raises(BundleError, match="signature does not match"):
        verify(json.dumps(data).encode(), TRUSTED)


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        (lambda d: d.pop("signature"), "unsigned"),
        (lambda d: d.update(key="0123456789abcdef"), "unknown-key"),
        (lambda d: d.update(signature="not base64!"), "bad-signature"),
        (lambda d: d["manifest"]["files"][0].update(path="../../etc/passwd"), "malformed"),
        (lambda d: d["manifest"]["files"][0].update(path="/etc/passwd"), "malformed"),
        (lambda d: d["manifest"]["files"][0].update(size=10**12), "malformed"),
        (lambda d: d["manifest"].update(version=True), "malformed"),
        (lambda d: d.update(v=2), "malformed"),
    ],
)
def test_what_is_refused_says_why(change, kind: str) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(signed())
    change(data)
    with pytest.raises(BundleError) as caught:
        verify(json.dumps(data).encode(), TRUSTED)
    assert caught.value.kind == kind


def test_a_key_of_another_central_is_not_trusted() -> None:
    other = new_private_key()
    document = sign(Manifest(1, 0, "", (ENTRY,)), other)
    with pytest.raises(BundleError, match="does not trust"):
        verify(document, TRUSTED)


def test_trusted_keys_are_read_from_config_text_and_files(tmp_path: Path) -> None:
    text = public_key_text(KEY)
    assert trusted_keys([text]).keys() == TRUSTED.keys()
    keys = tmp_path / "trusted"
    keys.write_text(f"# central of Mapo-gu\n{text}\n")
    assert read_trusted(keys).keys() == TRUSTED.keys()
    keys.write_text("# nothing\n\ned25519:AAAA\n")
    with pytest.raises(ValueError, match=r"trusted:3 is 3 bytes, an Ed25519 key is 32"):
        read_trusted(keys)


def test_publish_install_and_switch_through_the_store(tmp_path: Path) -> None:
    source = small_library(tmp_path / "source")
    central = LibraryStore(tmp_path / "central")
    first = publish(central, source, KEY, "two lessons")
    assert (first.version, central.current()) == (1, 1)
    assert {f.path for f in first.files} >= {"lessons/phone-call.yaml", "lessons/phone-basics.yaml"}
    (source / "lessons" / "phone-basics.yaml").unlink()
    second = publish(central, source, KEY, "phone-basics withdrawn")
    assert (second.version, central.current()) == (2, 2)
    assert [v.version for v in versions(central)] == [2, 1]
    assert [v.lessons for v in versions(central)] == [1, 2]
    assert rollback(central) == 1 and central.current() == 1
    with pytest.raises(PublishRefused, match="never published"):
        rollback(central, to=9)

    # a device installs version 2 from the blobs and the signed manifest
    kiosk = LibraryStore(tmp_path / "kiosk")
    document = central.document(2)
    for entry in second.files:
        kiosk.put_blob(central.read_blob(entry.sha256, 0, entry.size) or b"")
    kiosk.install(document, TRUSTED)
    kiosk.switch(2)
    assert kiosk.current() == 2
    assert kiosk.verified(2, TRUSTED).version == 2
    assert not (kiosk.version_dir(2) / "lessons" / "phone-basics.yaml").exists()


def test_a_changed_extra_or_missing_file_in_a_version_is_found(tmp_path: Path) -> None:
    store = LibraryStore(tmp_path / "central")
    publish(store, small_library(tmp_path / "source"), KEY)
    folder = store.version_dir(1)
    lesson = folder / "lessons" / "phone-call.yaml"
    lesson.unlink()  # a hard link to the blob: write a new file, not through the link
    lesson.write_text(lesson.with_name("phone-basics.yaml").read_text())
    with pytest.raises(BundleError, match=r"phone-call\.yaml: .*signed"):
        store.verified(1, TRUSTED)
    lesson.unlink()
    with pytest.raises(BundleError, match=r"phone-call\.yaml: missing") as caught:
        store.verified(1, TRUSTED)
    assert caught.value.kind == "missing"


def test_publishing_refuses_a_library_that_does_not_check(tmp_path: Path) -> None:
    source = small_library(tmp_path / "source")
    lesson = source / "lessons" / "phone-basics.yaml"
    lesson.write_text(lesson.read_text().replace("steps:", "stepz:", 1))
    store = LibraryStore(tmp_path / "central")
    with pytest.raises(PublishRefused) as caught:
        publish(store, source, KEY)
    assert any("phone-basics.yaml" in problem for problem in caught.value.problems)
    assert store.installed() == [] and store.current() is None
    with pytest.raises(PublishRefused, match="not a lesson library"):
        publish(store, tmp_path, KEY)


def test_publishing_refuses_a_symbolic_link(tmp_path: Path) -> None:
    source = small_library(tmp_path / "source")
    (source / "pictures" / "elsewhere.png").symlink_to("/etc/hostname")
    with pytest.raises(PublishRefused, match="symbolic link"):
        publish(LibraryStore(tmp_path / "central"), source, KEY)


def test_pruning_keeps_the_current_and_the_last_good_version(tmp_path: Path) -> None:
    source = small_library(tmp_path / "source")
    store = LibraryStore(tmp_path / "central")
    for n in range(3):
        (source / "lessons" / "phone-basics.yaml").write_text(
            (BUNDLED_LIBRARY / "lessons" / "phone-basics.yaml").read_text() + f"# edit {n}\n"
        )
        publish(store, source, KEY)
    assert store.installed() == [1, 2, 3]
    assert store.prune() == [1]
    assert store.installed() == [2, 3] and store.current() == 3
    store.verified(2, TRUSTED)
    store.verified(3, TRUSTED)
    blobs = {path.name for path in store.blobs.glob("*/*")}
    kept = {sha256_of(store.document(v)) for v in (2, 3)}
    kept |= {e.sha256 for v in (2, 3) for e in unverified(store.document(v)).files}
    assert blobs == kept


@pytest.mark.parametrize(
    "paths",
    [
        ("manifest.json",),  # would be written through the hard link to its blob
        ("pictures/a.png", "pictures/A.png"),  # one file on a case-insensitive disk
        ("lessons", "lessons/a.yaml"),  # a file that is also a folder
    ],
)
def test_paths_that_would_land_on_one_file_are_refused(paths: tuple[str, ...]) -> None:
    files = tuple(FileEntry(path, "0" * 64, 1) for path in paths)
    with pytest.raises(BundleError, match=r"manifest\.json|listed twice") as caught:
        verify(sign(Manifest(1, 0, "", files), KEY), TRUSTED)
    assert caught.value.kind == "malformed"


def test_stored_files_are_read_only(tmp_path: Path) -> None:
    store = LibraryStore(tmp_path / "central")
    publish(store, small_library(tmp_path / "source"), KEY)
    lesson = store.version_dir(1) / "lessons" / "phone-call.yaml"
    assert lesson.stat().st_mode & 0o777 == 0o444  # and so is its blob: one inode
