"""Publishing lesson libraries at central (docs/lesson-publishing.md): a folder that passes
`sarangbang-lessons check` and `lint` becomes the next version, signed with central's key,
and the version central offers every center; a rollback offers an earlier one again.

Central's versions live in a `LibraryStore` (lessons/library_store.py) beside its database:
`versions/N/` holds each version whole, and `current` names the one offered. Nothing is ever
removed here, so any version can be offered again.
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lessons.bundle import MANIFEST_NAME, BundleError, Manifest, key_id, scan, sign, unverified
from lessons.library import check_library
from lessons.library_store import LibraryStore

# the library's own list of lint findings not fixed yet (sarangbang-lessons lint --baseline)
LINT_BASELINE = "lint-baseline.txt"


class PublishRefused(Exception):
    """The folder cannot be published; `problems` says why, every one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Published:
    version: int
    created: int
    note: str
    files: int
    bytes: int
    lessons: int
    current: bool


def library_problems(source: Path) -> list[str]:
    """What `check` and `lint` find in a library folder (lint findings in the library's
    own baseline are known and let through, as `lint --baseline` does)."""
    from lessons.lint import lint_library, read_baseline

    if not (source / "lessons").is_dir():
        return [f"{source}: not a lesson library (no lessons/ folder in it)"]
    library, problems = check_library(source)
    found = [str(problem) for problem in problems]
    known = read_baseline(source / LINT_BASELINE)
    seen: Counter[str] = Counter()
    for finding in lint_library(library):
        key = finding.key(source)
        seen[key] += 1
        if seen[key] > known[key]:
            found.append(f"lint: {finding}")
    if not library.lessons and not found:
        found.append(f"{source}: no lessons in it")
    return found


def publish(
    store: LibraryStore,
    source: Path,
    key: Ed25519PrivateKey,
    note: str = "",
    clock: Callable[[], float] = time.time,
) -> Manifest:
    """Check `source`, sign it as the next version and make that the version offered."""
    problems = library_problems(source)
    if problems:
        raise PublishRefused(problems)
    try:
        files = scan(source)
    except BundleError as exc:
        raise PublishRefused([str(exc)]) from None
    for entry in files:  # read and hashed again: a file changed since `scan` is refused
        if store.put_blob((source / entry.path).read_bytes()) != entry.sha256:
            raise PublishRefused([f"{source / entry.path}: changed while it was published"])
    version = max(store.installed(), default=0) + 1
    manifest = Manifest(version, int(clock()), note, files)
    document = sign(manifest, key)
    store.put_blob(document)
    store.install(document, {key_id(key): key.public_key()})
    store.switch(version)
    return manifest


def rollback(store: LibraryStore, to: int | None = None) -> int:
    """Offer an earlier version again: `to`, or the one before the current one."""
    current = store.current()
    installed = store.installed()
    if to is None:
        earlier = [v for v in installed if current is None or v < current]
        if not earlier:
            raise PublishRefused([f"no version before {current} to roll back to"])
        to = earlier[-1]
    if to not in installed:
        raise PublishRefused([f"version {to} was never published here ({_listed(installed)})"])
    store.switch(to)
    return to


def versions(store: LibraryStore) -> list[Published]:
    """Every published version, newest first."""
    current = store.current()
    listed = []
    for version in reversed(store.installed()):
        manifest = _manifest(store, version)
        if manifest is None:
            continue
        lessons = sum(1 for f in manifest.files if f.path.startswith("lessons/"))
        size, count = manifest.total_bytes, len(manifest.files)
        listed.append(
            Published(
                version, manifest.created, manifest.note, count, size, lessons, version == current
            )
        )
    return listed


def published_lesson_ids(store: LibraryStore) -> set[str]:
    """Every lesson id of every version central published (from the manifests' file names,
    `lessons/<id>.yaml`), for intake's catalog; versions central cannot read are skipped."""
    ids: set[str] = set()
    for version in store.installed():
        manifest = _manifest(store, version)
        for entry in manifest.files if manifest else ():
            folder, _, name = entry.path.partition("/")
            if folder == "lessons" and name.endswith((".yaml", ".yml")) and "/" not in name:
                ids.add(name.rsplit(".", 1)[0])
    return ids


def _manifest(store: LibraryStore, version: int) -> Manifest | None:
    """A published version's manifest (central signed it itself), parsed once: the center
    and library pages and intake's catalog ask for every version again and again."""
    path = store.version_dir(version) / MANIFEST_NAME
    try:
        changed = path.stat().st_mtime_ns
    except OSError:
        return None
    return _parsed(path, changed)


@functools.lru_cache(maxsize=1024)
def _parsed(path: Path, _changed: int) -> Manifest | None:
    try:
        return unverified(path.read_bytes())
    except (OSError, BundleError):
        return None


def _listed(installed: list[int]) -> str:
    return "published: " + ", ".join(map(str, installed)) if installed else "none published"
