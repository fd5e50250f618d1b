"""A page of big tiles that fills its box, with ◀ ▶ paging (the screen places the arrows):
as many tiles as fit at their least size, bigger tiles when a page holds only a few.

The arithmetic is `kiosk_app.paging` (pure); this widget measures its own box, so the same
screen fills a 24-inch kiosk and a 10-inch tablet without guessing at the window."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.anchorlayout import AnchorLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk_app.paging import Pager, TileGrid
from kiosk_app.widgets.base import CardButton


class GridTile(CardButton):
    """A tile of a `PagedGrid`: the grid's tile height, or taller when its text needs it."""

    tile_height = NumericProperty(0)
    grown = NumericProperty(1.0)  # how much bigger than its least size the grid made it


class PagedGrid(AnchorLayout):
    """Tiles made by `show(items, make_tile)`, a page at a time, centred in this box."""

    has_previous = BooleanProperty(False)
    has_next = BooleanProperty(False)
    label = StringProperty("")  # "2 / 3", or "" when everything fits on one page

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.grid = GridLayout(size_hint=(None, None), col_force_default=True)
        self.grid.bind(minimum_height=self.grid.setter("height"))
        self.add_widget(self.grid)
        self.pager: Pager[Any] = Pager([], per_page=1)
        self.make_tile: Callable[[Any], GridTile] = lambda item: GridTile()
        self.least_mm, self.grow = (60.0, 40.0), 1.0
        self._relayout = Clock.create_trigger(lambda dt: self.refresh(), -1)
        self.bind(size=self._relayout)

    @property
    def tiles(self) -> list[Widget]:
        """The tiles on show, first to last."""
        return list(reversed(self.grid.children))

    def show(
        self,
        items: Sequence[Any],
        make_tile: Callable[[Any], GridTile],
        least_mm: tuple[float, float],
        grow: float = 1.0,
    ) -> None:
        """Show `items` from the first page. `make_tile(item)` builds a tile; tiles are at
        least `least_mm` (scaled with the learner's text size), and up to `grow` times that
        when a page has room to spare."""
        self.make_tile, self.least_mm, self.grow = make_tile, least_mm, grow
        self.pager = Pager(items, per_page=self.pager.per_page)
        self.refresh()

    def turn(self, delta: int) -> None:
        self.pager.next() if delta > 0 else self.pager.previous()
        self.refresh()

    def refresh(self) -> None:
        """Work out the page size from this box and build the tiles of the page shown."""
        app = App.get_running_app()
        scale = app.kiosk.settings.text_scale
        least = (self.least_mm[0] * app.px_mm * scale, self.least_mm[1] * app.px_mm * scale)
        fit = TileGrid(self.width, self.height, least, app.gap, self.grow)
        first = self.pager.page * self.pager.per_page  # keep it on show when the size changes
        self.pager = Pager(self.pager.items, fit.per_page, first // fit.per_page)
        shown = self.pager.visible
        shape = fit.shape(len(shown))
        grid = self.grid
        grid.clear_widgets()
        grid.cols, grid.spacing = shape.columns, app.gap
        grid.col_default_width, grid.width = shape.tile_width, shape.width
        grown = min(shape.tile_width / least[0], shape.tile_height / least[1])
        for item in shown:
            tile = self.make_tile(item)
            tile.tile_height, tile.grown = shape.tile_height, grown
            grid.add_widget(tile)
        self.has_previous, self.has_next = self.pager.has_previous, self.pager.has_next
        self.label = self.pager.label if self.pager.page_count > 1 else ""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
