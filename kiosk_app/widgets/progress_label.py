"""The step counter above a lesson step: "카카오톡으로 메시지와 사진 보내기  ·  3 / 9 단계", or
"3 / 9 단계" alone where the title and the steps do not fit one line (a 10-inch tablet at a
large text size), or the numbers alone, "3 / 9" (beside a full-height practice on a tablet,
with the 말하기 button): a second line would take the step's room."""

from __future__ import annotations

import re
from typing import Any

from kivy.app import App
from kivy.properties import StringProperty

from kiosk_app.look.label_width import text_width
from kiosk_app.look.layout import first_that_fits
from kiosk_app.widgets.base import TextLabel


class ProgressLabel(TextLabel):
    full = StringProperty("")  # the lesson's title and the steps
    short = StringProperty("")  # the steps alone

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for name in ("full", "short", "width"):
            self.fbind(name, self._choose)
        App.get_running_app().fbind("body_font", self._choose)

    def _choose(self, *args: Any) -> None:
        font = App.get_running_app().body_font
        numbers = " / ".join(re.findall(r"\d+", self.short)[:2])
        texts = [self.full, self.short, numbers or self.short]
        widths = [text_width(text, font, bold=self.bold) for text in texts]
        self.text = texts[first_that_fits(widths, self.width)]
