"""Published library versions on disk, the same at central, at a center and on a kiosk:

    ROOT/blobs/ab/ab12…          every file by its SHA-256 (signed manifests too)
    ROOT/blobs/ab/ab12….part     a file still arriving (its length is where to resume)
    ROOT/versions/7/             a whole version: manifest.json and the library's files
    ROOT/current                 the version to teach from ("7"), replaced atomically

A version's folder is made beside its final name and renamed into place, so a reader sees a
whole version or none; `current` names only a folder that is there. Files in a version are
hard links to their blobs (no second copy on disk) where the file system allows.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Collection, Mapping
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lessons.bundle import (
    MANIFEST_NAME,
    BundleError,
    FileEntry,
    Manifest,
    check_folder,
    file_sha256,
    sha256_of,
    unverified,
    verify,
)

log = logging.getLogger(__name__)

# Versions a kiosk or center keeps: the one it teaches and the last good one before it.
KEEP_VERSIONS = 2


class LibraryStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.blobs = root / "blobs"
        self.versions = root / "versions"

    # ---- blobs --------------------------------------------------------------------------

    def blob_path(self, sha: str) -> Path:
        return self.blobs / sha[:2] / sha

    def has_blob(self, sha: str) -> bool:
        return self.blob_path(sha).is_file()

    def read_blob(self, sha: str, offset: int, length: int) -> bytes | None:
        """Bytes of a whole blob from `offset`, or None if this store does not have it."""
        try:
            with self.blob_path(sha).open("rb") as f:
                f.seek(offset)
                return f.read(length)
        except FileNotFoundError:
            return None

    def blob_size(self, sha: str) -> int | None:
        try:
            return self.blob_path(sha).stat().st_size
        except FileNotFoundError:
            return None

    def part_size(self, sha: str) -> int:
        """How much of a blob has arrived: where to resume."""
        part = self._part(sha)
        return part.stat().st_size if part.exists() else 0

    def write_part(self, sha: str, offset: int, data: bytes) -> int:
        """Add bytes that start at `offset` if that is where the blob has got to (others are
        ignored: a chunk sent twice, or one overtaken); the blob's length so far."""
        part = self._part(sha)
        part.parent.mkdir(parents=True, exist_ok=True)
        with part.open("ab") as f:
            if f.tell() == offset and data:
                f.write(data)
            return f.tell()

    def finish_blob(self, sha: str, size: int) -> None:
        """Keep a blob whose bytes have all arrived, after checking them (durably, and read
        only: a version's files are hard links to it); a blob whose bytes are not what its
        SHA-256 says is thrown away (BundleError "changed")."""
        part = self._part(sha)
        if part.stat().st_size != size or file_sha256(part) != sha:
            part.unlink(missing_ok=True)
            raise BundleError("changed", f"blob {sha[:12]}…: its bytes are not what was signed")
        _durable_read_only(part)
        os.replace(part, self.blob_path(sha))

    def put_blob(self, data: bytes) -> str:
        sha = sha256_of(data)
        if not self.has_blob(sha):
            path = self.blob_path(sha)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".new")
            temporary.write_bytes(data)
            _durable_read_only(temporary)
            os.replace(temporary, path)
        return sha

    def missing(self, manifest: Manifest) -> list[FileEntry]:
        """The manifest's files this store has no blob of."""
        return [entry for entry in manifest.files if not self.has_blob(entry.sha256)]

    def _part(self, sha: str) -> Path:
        return self.blob_path(sha).with_suffix(".part")

    # ---- versions -----------------------------------------------------------------------

    def version_dir(self, version: int) -> Path:
        return self.versions / str(version)

    def installed(self) -> list[int]:
        """Whole versions in this store, oldest first."""
        if not self.versions.is_dir():
            return []
        return sorted(int(p.name) for p in self.versions.iterdir() if p.name.isdigit())

    def install(self, document: bytes, trusted: Mapping[str, Ed25519PublicKey]) -> Manifest:
        """Make a version's folder from a signed manifest and the blobs it names (all must be
        here). BundleError if the signature or any file is not what was signed. Does not
        switch `current`."""
        manifest = verify(document, trusted)
        target = self.version_dir(manifest.version)
        if target.is_dir():
            return self.verified(manifest.version, trusted)
        absent = self.missing(manifest)
        if absent:
            raise BundleError("missing", f"version {manifest.version}: {len(absent)} files absent")
        building = self.versions / f".{manifest.version}.building"
        shutil.rmtree(building, ignore_errors=True)
        for entry in manifest.files:
            path = building / entry.path
            path.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(self.blob_path(entry.sha256), path)
        (building / MANIFEST_NAME).write_bytes(document)
        problems = check_folder(building, manifest)
        if problems:
            shutil.rmtree(building, ignore_errors=True)
            raise BundleError("changed", f"version {manifest.version}: {problems[0]}")
        os.replace(building, target)
        return manifest

    def document(self, version: int) -> bytes:
        return (self.version_dir(version) / MANIFEST_NAME).read_bytes()

    def verified(self, version: int, trusted: Mapping[str, Ed25519PublicKey]) -> Manifest:
        """A version's manifest after checking its signature and every byte of its folder."""
        try:
            document = self.document(version)
        except OSError as exc:
            raise BundleError("missing", f"version {version}: {exc}") from None
        manifest = verify(document, trusted)
        if manifest.version != version:
            raise BundleError("changed", f"folder {version} holds version {manifest.version}")
        problems = check_folder(self.version_dir(version), manifest)
        if problems:
            kind = "missing" if problems[0].endswith("missing") else "changed"
            raise BundleError(kind, f"version {version}: " + "; ".join(problems[:3]))
        return manifest

    def current(self) -> int | None:
        try:
            text = (self.root / "current").read_text().strip()
        except FileNotFoundError:
            return None
        return int(text) if text.isdigit() and self.version_dir(int(text)).is_dir() else None

    def switch(self, version: int) -> None:
        """Make `version` (installed) the one to teach from, atomically and durably."""
        if not self.version_dir(version).is_dir():
            raise BundleError("missing", f"version {version} is not installed")
        temporary = self.root / "current.new"
        with temporary.open("w") as f:
            f.write(f"{version}\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, self.root / "current")
        _sync_folder(self.root)

    def discard(self, version: int) -> None:
        """Remove a damaged version (never the current one) and those of its files whose
        bytes are not what their name says, so that they are fetched again."""
        if version == self.current():
            (self.root / "current").unlink(missing_ok=True)
        try:
            manifest = unverified(self.document(version))
        except (OSError, BundleError):
            manifest = None
        shutil.rmtree(self.version_dir(version), ignore_errors=True)
        for entry in manifest.files if manifest else ():
            path = self.blob_path(entry.sha256)
            if path.is_file() and file_sha256(path) != entry.sha256:
                path.unlink()

    def prune(self, keep: int = KEEP_VERSIONS, also: Collection[int] = ()) -> list[int]:
        """Remove versions but the current one, those in `also` (the one before it, the
        one a kiosk still teaches from), and the newest others up to `keep` in all, and the
        blobs only they used; the versions removed."""
        current = self.current()
        kept = {v for v in (current, *also) if v is not None}
        others = [v for v in reversed(self.installed()) if v not in kept]
        kept |= set(others[: max(0, keep - len(kept))])
        removed = [v for v in self.installed() if v not in kept]
        for version in removed:
            shutil.rmtree(self.version_dir(version), ignore_errors=True)
        used = set()
        for version in kept:
            try:
                used |= _shas_of(self.version_dir(version))
            except (OSError, BundleError):
                continue
        if self.blobs.is_dir():  # a switch ends every fetch: its leftovers go too
            for path in self.blobs.glob("*/*"):
                if path.name not in used:
                    path.unlink(missing_ok=True)
        for building in self.versions.glob(".*.building") if self.versions.is_dir() else ():
            shutil.rmtree(building, ignore_errors=True)
        return removed


def _shas_of(folder: Path) -> set[str]:
    document = (folder / MANIFEST_NAME).read_bytes()
    manifest = unverified(document)
    return {entry.sha256 for entry in manifest.files} | {sha256_of(document)}


def _durable_read_only(path: Path) -> None:
    """On disk before it is renamed into place (a kiosk is switched off at the wall), and
    read only, so that nobody edits a blob in place through one of its hard links."""
    with path.open("rb") as f:
        os.fsync(f.fileno())
    path.chmod(0o444)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
