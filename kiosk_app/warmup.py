"""The slow half of starting the kiosk, on a worker thread once the first frame is drawn.

The welcome screen needs only Kivy, the config and the theme. Everything else (pydantic
models, sqlite-utils, paho, the speech engine's modules, and reading and checking the lesson
library) takes about as long again as Kivy's own start, so it happens here while the
welcome screen is already on show; the app finishes wiring on the UI thread when this is
done. A touch in that short while waits for it instead of being lost.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk_app.config import KioskConfig
    from kiosk_app.teaching.library_switch import Loaded

log = logging.getLogger(__name__)

# what the app imports once the library is loaded (all free of Kivy)
SERVICES = ("kiosk_app.services", "kiosk_app.site_link", "kiosk_app.voice.kiosk_voice")

Done = Callable[["Loaded | Exception"], None]


def warm_up(config: KioskConfig, done: Done) -> threading.Thread:
    """Import the services and load the library to teach (kiosk_app/teaching/library_switch.py) on a
    worker; then `done(loaded or error)` on that worker (the app hops to the UI thread)."""

    def work() -> None:
        result: Loaded | Exception
        try:
            for module in SERVICES:
                import_module(module)
            from kiosk_app.teaching.library_switch import LibrarySwitch

            result = LibrarySwitch(config).first()
        except Exception as exc:  # LibraryError for a broken library: the app says so
            log.error("kiosk start failed: %s", exc)
            result = exc
        done(result)

    thread = threading.Thread(target=work, name="kiosk-warm-up", daemon=True)
    thread.start()
    return thread
