"""Are you still there?: asked aloud and on screen, with a huge 계속하기."""

from __future__ import annotations

from typing import Any

from kiosk_app.look.ui_text import tr
from kiosk_app.screens.base import KioskScreen, load_kv


class IdleScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        self.back_to = kwargs.get("back_to", "home")
        self.say(tr("idle.spoken", self.app.language))

    def count_down(self, seconds: int) -> None:
        self.ids.left.text = tr("idle.countdown", self.app.language, seconds=seconds)

    def keep_going(self) -> None:
        self.app.idle.touch(self.app.clock())
        self.app.go(self.back_to)


load_kv(__file__)
