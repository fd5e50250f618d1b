"""The kiosk service on its store (with the store's writer thread), made once the lesson
library is loaded. No Kivy here."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from kiosk_app.config import KioskConfig
from kiosk_app.speaker import Speaker
from kiosk_app.storage.store import Store, StoreError
from kiosk_app.storage.store_writer import Post, StoreWriter
from kiosk_app.teaching.kiosk import Kiosk
from lessons.library import Library
from lessons.session import Clock

log = logging.getLogger(__name__)


def make_kiosk(
    config: KioskConfig,
    library: Library,
    speaker: Speaker,
    clock: Clock,
    post: Post,
    store_problem: Callable[[StoreError | None], None],
) -> Kiosk:
    """The kiosk on its store; with an unusable store it teaches on a store in memory, and
    the instructor screen shows why."""
    in_memory, problem = False, None
    try:
        reader = Store.open(config.store_path, config.kiosk_id)
    except StoreError as exc:
        log.error("store unavailable, keeping progress in memory: %s", exc)
        name = f"kiosk-{uuid.uuid4().hex}"
        reader, in_memory, problem = Store.memory(name, config.kiosk_id), True, exc

    def open_writer() -> Store:
        if in_memory:
            return Store.memory(reader.label.removeprefix("memory:"), config.kiosk_id)
        return Store.open(config.store_path, config.kiosk_id)

    writer = StoreWriter(open_writer, post, store_problem)
    kiosk = Kiosk(config, library, reader, writer, speaker, clock, in_memory)
    kiosk.set_problem(problem)
    return kiosk
