"""Which lesson library the kiosk teaches: the published one its sync agent fetched into
`data_dir/library` (from the keys in `library.trusted_keys`), else `library_dir`
(lessons/published.py holds the rule; kiosk_app/app.py takes a new version while nobody is
signed in)."""

from __future__ import annotations

from kiosk_app.config import KioskConfig
from lessons.published import CHECK_SECONDS, Loaded, PublishedLibrary

__all__ = ["CHECK_SECONDS", "LibrarySwitch", "Loaded"]


class LibrarySwitch(PublishedLibrary):
    def __init__(self, config: KioskConfig) -> None:
        super().__init__(config.published_dir, config.trusted_keys, config.library_dir)
