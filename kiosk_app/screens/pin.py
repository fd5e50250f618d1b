"""The instructor's PIN pad (digits only, so no keyboard is needed to get in)."""

from __future__ import annotations

import hmac
from typing import Any

from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.widgets.base import BigButton

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "지우기", "0", "확인")


class PinScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        self.digits = ""
        pad = self.ids.pad
        if not pad.children:
            for key in KEYS:
                button = BigButton(text=key)
                button.bind(on_release=lambda w, k=key: self.press(k))
                pad.add_widget(button)
        self.show("선생님 번호를 눌러 주세요.")

    def press(self, key: str) -> None:
        if key == "지우기":
            self.digits = self.digits[:-1]
        elif key == "확인":
            self.check()
            return
        elif len(self.digits) < 8:
            self.digits += key
        self.show("●" * len(self.digits) or "선생님 번호를 눌러 주세요.")

    def check(self) -> None:
        if hmac.compare_digest(self.digits, self.kiosk.config.instructor_pin):
            self.app.go("instructor")
        else:
            self.digits = ""
            self.show("번호가 맞지 않아요. 다시 눌러 주세요.")

    def show(self, text: str) -> None:
        self.ids.entered.text = text


load_kv(__file__)
