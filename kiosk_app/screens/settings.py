"""Settings for the signed-in learner: text size, speech speed, high contrast."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.settings import SPEECH_RATES, TEXT_SIZES
from kiosk_app.ui_text import tr
from kiosk_app.widgets.base import BigButton

CONTRAST = ((False, "contrast.normal"), (True, "contrast.high"))  # (high contrast, label key)


class SettingsScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        self.refresh()
        self.say(tr("settings.spoken", self.app.language))

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
                button.kind = "primary" if index == chosen else "button"
                button.bind(on_release=lambda w, f=field, i=index: self.choose(f, i))
                row.add_widget(button)

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
