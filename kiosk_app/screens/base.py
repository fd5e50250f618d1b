"""What every kiosk screen shares: the running app, the kiosk service, and speaking."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.lang import Builder
from kivy.uix.screenmanager import Screen

import kiosk_app.widgets.base  # noqa: F401  (every screen's .kv uses its widgets)

if TYPE_CHECKING:  # imported after the first frame (kiosk_app/warmup.py)
    from kiosk_app.teaching.kiosk import Kiosk


class KioskScreen(Screen):
    """A screen is entered through `enter(**kwargs)` and says what it is about."""

    @property
    def app(self) -> Any:
        return App.get_running_app()

    @property
    def kiosk(self) -> Kiosk:
        kiosk: Kiosk = self.app.kiosk
        return kiosk

    def enter(self, **kwargs: Any) -> None:
        """Fill the screen from the kiosk state before it is shown."""

    def say(self, *lines: str) -> None:
        self.kiosk.say(list(lines))


def load_kv(module_file: str) -> None:
    """Load the .kv file that sits next to a screen's .py file."""
    Builder.load_file(str(Path(module_file).with_suffix(".kv")))
