"""Who are you?: the roster as big tiles, a page at a time, with big arrows."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from kiosk_app.look.ui_text import tr
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.storage.store import Learner
from kiosk_app.widgets.paged_grid import GridTile

# A tile's smallest width and height: a three-syllable name in title letters on one line
# (a longer name wraps to two lines and still fits the height). When the page holds fewer
# learners than fit, tiles grow up to TILE_GROW times that, so a small roster fills a big
# screen with big tiles instead of a row of small ones in a corner.
TILE_MM = (46.0, 38.0)
TILE_GROW = 2.5
NAME_GROW = 1.5  # a name grows with its tile, up to this much bigger than a title


class LearnerTile(GridTile):
    name = StringProperty("")
    name_grow = NAME_GROW


class WhoScreen(KioskScreen):
    def enter(self, joining: str | None = None, **kwargs: Any) -> None:
        """`joining`: the class the learner is joining once they have said who they are."""
        self.joining = joining
        self.ids.grid.show(self.kiosk.roster(), self._tile, TILE_MM, TILE_GROW)
        self.say(tr("who.title", self.app.language))

    def _tile(self, learner: Learner) -> LearnerTile:
        kind = f"learner.{learner.colour}"
        tile = LearnerTile(kind=kind, name=learner.name)
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
