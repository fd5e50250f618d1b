"""Who are you?: the roster as big tiles, a page at a time, with big arrows."""

from __future__ import annotations

from typing import Any

from kivy.core.window import Window

from kiosk_app.paging import Pager
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.store import Learner
from kiosk_app.ui_text import tr
from kiosk_app.widgets.base import CardButton, TextLabel

TILE_MM = (60.0, 42.0)  # a tile's smallest width and height: a name in big letters


class LearnerTile(CardButton):
    pass


class WhoScreen(KioskScreen):
    def enter(self, joining: str | None = None, **kwargs: Any) -> None:
        """`joining`: the class the learner is joining once they have said who they are."""
        self.joining = joining
        self.pager: Pager[Learner] = Pager(self.kiosk.roster(), per_page=self._per_page())
        self.refresh()
        self.say(tr("who.title", self.app.language))

    def _per_page(self) -> int:
        app = self.app
        window_w, window_h = Window.size
        width = window_w - 2 * (app.margin + app.target * 1.2 + app.gap)
        height = window_h - 2 * app.margin - 2 * app.gap - app.button_height - app.title_font * 2
        columns = max(1, int((width + app.gap) // (TILE_MM[0] * app.px_mm + app.gap)))
        rows = max(1, int((height + app.gap) // (TILE_MM[1] * app.px_mm + app.gap)))
        self.ids.grid.cols = columns
        return columns * rows

    def turn(self, delta: int) -> None:
        self.pager.next() if delta > 0 else self.pager.previous()
        self.refresh()

    def refresh(self) -> None:
        grid = self.ids.grid
        grid.clear_widgets()
        for learner in self.pager.visible:
            kind = f"learner.{learner.colour}"
            tile = LearnerTile(kind=kind)
            tile.add_widget(TextLabel(text=learner.name, role="title", kind=kind))
            tile.bind(on_release=lambda w, who=learner: self.choose(who))
            grid.add_widget(tile)
        self.ids.previous.disabled = not self.pager.has_previous
        self.ids.next.disabled = not self.pager.has_next
        self.ids.page.text = self.pager.label if self.pager.page_count > 1 else ""

    def choose(self, learner: Learner) -> None:
        self.kiosk.sign_in(learner.id)
        self.app.apply_learner_settings()
        if self.joining is not None:
            self.app.go("classroom", class_id=self.joining)
        else:
            self.app.go("home")


load_kv(__file__)
