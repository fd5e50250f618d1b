"""Which lesson library a device teaches (docs/lesson-publishing.md): the version central
published that the device's fetcher made `current`, once the device itself has checked its
signature and every byte and the lessons load; else the newest earlier version that still
checks out; else a fallback folder (the bundled library by default). The kiosk
(kiosk_app/app.py) takes a new version while nobody is signed in; the class runner
(robot_bridge/classes/bridge_service.py) for its next class. Callers ask `pending` on a
timer and `load` on a worker: loading 36 lessons takes a moment.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the kiosk's first frame comes before pydantic and the models
    from lessons.library import Library
    from lessons.library_store import LibraryStore

log = logging.getLogger(__name__)

CHECK_SECONDS = 10.0  # how often a device looks for a new version (one small file read)


@dataclass(frozen=True)
class Loaded:
    library: Library
    version: int | None  # None: the fallback folder, not a published version


class PublishedLibrary:
    def __init__(self, root: Path, trusted: Sequence[str], fallback: Path) -> None:
        """`root`: the device's LibraryStore; `trusted`: the `ed25519:…` keys it takes
        versions from (none: it teaches `fallback` only)."""
        self.root, self.trusted, self.fallback = root, tuple(trusted), fallback
        self.refused: dict[int, str] = {}  # versions that did not check out, and why
        # the folder each was refused in: one the sync agent made again (a damaged version
        # fetched again) is tried again
        self._refused_folder: dict[int, tuple[int, int] | None] = {}

    @property
    def follows_central(self) -> bool:
        return bool(self.trusted)

    def pending(self, teaching: int | None) -> int | None:
        """The version to switch to, if `current` names another one not refused before."""
        if not self.follows_central:
            return None
        version = self._store().current()
        if version is None or version == teaching:
            return None
        if version in self.refused and self._refused_folder.get(version) == self._folder(version):
            return None
        return version

    def first(self) -> Loaded:
        """What to teach at start: `current`, else earlier published versions newest first,
        else the fallback folder (LibraryError if even that does not load)."""
        from lessons.library import load_library

        if self.follows_central:
            store = self._store()
            current = store.current()
            others = [v for v in reversed(store.installed()) if v != current]
            for version in ([current] if current is not None else []) + others:
                loaded = self.load(version)
                if loaded is not None:
                    return loaded
        return Loaded(load_library(self.fallback), None)

    def load(self, version: int) -> Loaded | None:
        """A published version once it checks out and its lessons load; None (logged, and
        remembered in `refused`) if not."""
        from lessons.bundle import BundleError, trusted_keys
        from lessons.library import LibraryError, load_library

        store = self._store()
        try:
            store.verified(version, trusted_keys(self.trusted))
            library = load_library(store.version_dir(version))
        except (BundleError, LibraryError, OSError, ValueError) as exc:
            why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.refused[version] = why
            self._refused_folder[version] = self._folder(version)
            log.error("library version %d refused, teaching on without it: %s", version, why)
            return None
        return Loaded(library, version)

    def _folder(self, version: int) -> tuple[int, int] | None:
        """Which folder holds `version` now (made again: another inode or time)."""
        try:
            stat = self._store().version_dir(version).stat()
        except OSError:
            return None
        return stat.st_ino, stat.st_mtime_ns

    def _store(self) -> LibraryStore:
        from lessons.library_store import LibraryStore

        return LibraryStore(self.root)
