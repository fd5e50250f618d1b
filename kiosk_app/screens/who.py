"""Who are you?: the roster as big tiles, a page at a time, with big arrows."""

from __future__ import annotations

from typing import Any

from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.store import Learner
from kiosk_app.widgets.base import TextLabel
from kiosk_app.widgets.paged_grid import GridTile

TILE_MM = (60.0, 42.0)  # a tile's smallest width and height: a name in big letters


class LearnerTile(GridTile):
    pass


class WhoScreen(KioskScreen):
    def enter(self, joining: str | None = None, **kwargs: Any) -> None:
        """`joining`: the class the learner is joining once they have said who they are."""
        self.joining = joining
        self.ids.grid.show(self.kiosk.roster(), self._tile, TILE_MM)
        self.say("누구세요? 이름을 눌러 주세요.")

    def _tile(self, learner: Learner) -> LearnerTile:
        kind = f"learner.{learner.colour}"
        tile = LearnerTile(kind=kind)
        tile.add_widget(TextLabel(text=learner.name, role="title", kind=kind))
        tile.bind(on_release=lambda w: self.choose(learner))
        return tile

    def choose(self, learner: Learner) -> None:
        self.kiosk.sign_in(learner.id)
        self.app.apply_learner_settings()
        if self.joining is not None:
            self.app.go("classroom", class_id=self.joining)
        else:
            self.app.go("home")


load_kv(__file__)
