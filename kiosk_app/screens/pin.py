"""The instructor's PIN pad (digits only, so no keyboard is needed to get in)."""

from __future__ import annotations

import hmac
from typing import Any

from kiosk_app.look.ui_text import tr
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.widgets.base import BigButton
from lessons import Language

ERASE, OK = "pin.erase", "pin.ok"  # the two keys that are not digits (ui_text keys)
KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", ERASE, "0", OK)


def key_label(key: str, language: Language) -> str:
    """What a key of the pad shows: its digit, or its word."""
    return key if key.isdigit() else tr(key, language)


class PinScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        self.digits = ""
        pad = self.ids.pad
        pad.clear_widgets()
        for key in KEYS:
            button = BigButton(text=key_label(key, self.app.language))
            button.bind(on_release=lambda w, k=key: self.press(k))
            pad.add_widget(button)
        self.show_digits()

    def press(self, key: str) -> None:
        if key == ERASE:
            self.digits = self.digits[:-1]
        elif key == OK:
            self.check()
            return
        elif len(self.digits) < 8:
            self.digits += key
        self.show_digits()

    def check(self) -> None:
        if hmac.compare_digest(self.digits, self.kiosk.config.instructor_pin):
            self.app.go("instructor")
        else:
            self.digits = ""
            self.ids.entered.text = tr("pin.wrong", self.app.language)

    def show_digits(self) -> None:
        """A dot per digit pressed, or what to do while there are none."""
        self.ids.entered.text = "●" * len(self.digits) or tr("pin.ask", self.app.language)


load_kv(__file__)
