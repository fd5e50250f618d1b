"""The warm end of a lesson."""

from __future__ import annotations

from typing import Any

from kiosk_app.look.ui_text import tr
from kiosk_app.screens.base import KioskScreen, load_kv


class CompleteScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        run = self.kiosk.run
        assert run is not None
        language = self.app.language
        title = run.session.lesson.title.get(language)
        mastered = bool(run.view.mastered)
        headline, message = (
            ("complete.mastered", "complete.mastered_text")
            if mastered
            else ("complete.finished", "complete.finished_text")
        )
        self.ids.headline.text = tr(headline, language)
        self.ids.message.text = tr(message, language, title=title)
        self.ids.headline.kind = "right" if mastered else "screen"


load_kv(__file__)
