"""Which lesson library the kiosk teaches (docs/lesson-publishing.md): the version central
published that the kiosk's sync agent made `current`, once the kiosk itself has checked its
signature and every byte and the lessons load; else the newest earlier version that still
checks out; else `library_dir` (the bundled library by default). A new version is taken only
while nobody is signed in (kiosk_app/app.py). No Kivy here: the app calls `pending` on a
timer and `load` on a worker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk_app.config import KioskConfig

if TYPE_CHECKING:
    from lessons.library import Library
    from lessons.library_store import LibraryStore

log = logging.getLogger(__name__)

CHECK_SECONDS = 10.0  # how often the kiosk looks for a new version (one small file read)


@dataclass(frozen=True)
class Loaded:
    library: Library
    version: int | None  # None: library_dir, not a published version


class LibrarySwitch:
    def __init__(self, config: KioskConfig) -> None:
        self.config = config
        self.refused: dict[int, str] = {}  # versions that did not check out, and why

    @property
    def follows_central(self) -> bool:
        return bool(self.config.trusted_keys)

    def pending(self, teaching: int | None) -> int | None:
        """The version to switch to, if `current` names another one not refused before."""
        if not self.follows_central:
            return None
        version = self._store().current()
        if version is None or version == teaching or version in self.refused:
            return None
        return version

    def first(self) -> Loaded:
        """What to teach at start: `current`, else earlier published versions newest first,
        else library_dir (LibraryError if even that does not load)."""
        from lessons.library import load_library

        if self.follows_central:
            store = self._store()
            current = store.current()
            others = [v for v in reversed(store.installed()) if v != current]
            for version in ([current] if current is not None else []) + others:
                loaded = self.load(version)
                if loaded is not None:
                    return loaded
        return Loaded(load_library(self.config.library_dir), None)

    def load(self, version: int) -> Loaded | None:
        """A published version once it checks out and its lessons load; None (logged, and
        remembered in `refused`) if not."""
        from lessons.bundle import BundleError, trusted_keys
        from lessons.library import LibraryError, load_library

        store = self._store()
        try:
            store.verified(version, trusted_keys(self.config.trusted_keys))
            library = load_library(store.version_dir(version))
        except (BundleError, LibraryError, OSError) as exc:
            why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.refused[version] = why
            log.error("library version %d refused, teaching on without it: %s", version, why)
            return None
        return Loaded(library, version)

    def _store(self) -> LibraryStore:
        from lessons.library_store import LibraryStore

        return LibraryStore(self.config.published_dir)
