"""Settings for the signed-in learner: text size, speech speed, high contrast."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kivy.clock import Clock
from kivy.properties import NumericProperty

from kiosk_app.look.ui_text import tr
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.teaching.settings import SPEECH_RATES, TEXT_SIZES
from kiosk_app.widgets.base import BigButton

CONTRAST = ((False, "contrast.normal"), (True, "contrast.high"))  # (high contrast, label key)


class SettingsScreen(KioskScreen):
    """The three settings, at the learner's text size as far as the screen holds it: where
    it does not (아주 크게 on a 10-inch tablet), the screen's texts step down through the
    smaller text sizes, never below 보통's, so that the title and 돌아가기 stay on the
    screen: a learner who picks the biggest text must still find the way back."""

    scale = NumericProperty(1.0)  # of the kiosk's sizes, for this screen's texts

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fit = Clock.create_trigger(lambda dt: self.fit(), -1)
        self.ids.column.bind(minimum_height=self._fit)
        self.bind(height=self._fit)
        self.app.bind(button_font=lambda *args: self.on_scale(self, self.scale))

    def enter(self, **kwargs: Any) -> None:
        self.scale = 1.0
        self.refresh()
        self.say(tr("settings.spoken", self.app.language))

    def fit(self) -> None:
        """The largest of the screen's scales at which the settings fit its height (the
        texts and buttons scale; the margins and gaps do not, so the estimate errs small)."""
        column = self.ids.column
        if self.height < 10:
            return
        fixed = column.padding[1] + column.padding[3]
        content = (column.minimum_height - fixed) / self.scale
        room = self.height - fixed
        steps = self._scales()
        chosen = next((s for s in steps if content * s <= room + 1), steps[-1])
        if chosen != self.scale:
            self.scale = chosen

    def _scales(self) -> list[float]:
        """The scales this screen's texts may take, largest first: the learner's text size
        down to 보통 (as shares of the learner's)."""
        learner = self.kiosk.settings.text_scale if self.app.ready else 1.0
        return [1.0] + [size / learner for size, _ in reversed(TEXT_SIZES) if size < learner]

    def refresh(self) -> None:
        settings = self.kiosk.settings
        rows = (
            ("sizes", [label for _, label in TEXT_SIZES], settings.text_size, "text_size"),
            ("rates", [label for _, label in SPEECH_RATES], settings.speech_rate, "speech_rate"),
            ("contrast", [label for _, label in CONTRAST], int(settings.high_contrast), "contrast"),
        )
        for row_id, labels, chosen, field in rows:
            row = self.ids[row_id]
            row.clear_widgets()
            for index, label in enumerate(labels):
                button = BigButton(text=tr(label, self.app.language), selected=index == chosen)
                button.scale = self.scale
                button.least_height = self.app.button_height_at(self.scale, self.app.button_font)
                button.kind = "primary" if index == chosen else "button"
                button.bind(on_release=lambda w, f=field, i=index: self.choose(f, i))
                button.bind(height=lambda w, h, r=row: self._fit_row(r))
                row.add_widget(button)
            self._fit_row(row)

    @staticmethod
    def _fit_row(row: Any) -> None:
        """A row as tall as its tallest button (an English label may need more than the
        standard height)."""
        row.height = max((button.height for button in row.children), default=row.height)

    def on_scale(self, screen: Any, scale: float) -> None:
        for row in (self.ids.sizes, self.ids.rates, self.ids.contrast):
            for button in row.children:
                button.scale = scale
                button.least_height = self.app.button_height_at(scale, self.app.button_font)

    def choose(self, field: str, index: int) -> None:
        settings = self.kiosk.settings
        if field == "contrast":
            settings = replace(settings, high_contrast=bool(index))
        elif field == "text_size":
            settings = replace(settings, text_size=index)
        else:
            settings = replace(settings, speech_rate=index)
        self.kiosk.save_settings(settings)
        self.app.apply_learner_settings()
        if field == "speech_rate":
            self.say(tr("settings.rate_chosen", self.app.language))
        self.refresh()


load_kv(__file__)
