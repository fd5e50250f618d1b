"""A page of big tiles that fills its box, with ◀ ▶ paging (the screen places the arrows):
as many tiles as fit at their least size, bigger tiles when a page holds only a few.

The arithmetic is `kiosk_app.look.paging` (pure); this widget measures its own box, so the same
screen fills a 24-inch kiosk and a 10-inch tablet without guessing at the window."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.anchorlayout import AnchorLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk_app.look.paging import GridShape, Pager, TileGrid
from kiosk_app.widgets.base import CardButton


class GridTile(CardButton):
    """A tile of a `PagedGrid`: the grid's tile height, or taller when its text needs it."""

    tile_height = NumericProperty(0)
    grown = NumericProperty(1.0)  # how much bigger than its least size the grid made it


class PagedGrid(AnchorLayout):
    """Tiles made by `show(items, make_tile)`, a page at a time, centred in this box.

    `on_page(shape)` fires whenever a page of tiles has been built (on `show`, a turn or a
    new box size): a screen that fits the tiles' content to the tile they got binds to it."""

    __events__ = ("on_page",)

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
        self.one_column_mm: tuple[float, float] | None = None
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
        one_column_mm: tuple[float, float] | None = None,
    ) -> None:
        """Show `items` from the first page. `make_tile(item)` builds a tile; tiles are at
        least `least_mm` (scaled with the learner's text size), and up to `grow` times that
        when a page has room to spare. `one_column_mm`: the least size instead when only one
        column fits, for tiles that lay out side by side there (as wide as `least_mm`)."""
        self.make_tile, self.least_mm, self.grow = make_tile, least_mm, grow
        self.one_column_mm = one_column_mm
        self.pager = Pager(items, per_page=self.pager.per_page)
        self.refresh()

    def turn(self, delta: int) -> None:
        self.pager.next() if delta > 0 else self.pager.previous()
        self.refresh()

    def refresh(self) -> None:
        """Work out the page size from this box and build the tiles of the page shown."""
        app = App.get_running_app()
        fit = TileGrid(self.width, self.height, self._least(self.least_mm), app.gap, self.grow)
        if fit.max_columns == 1 and self.one_column_mm is not None:
            fit = replace(fit, least=self._least(self.one_column_mm))
        first = self.pager.page * self.pager.per_page  # keep it on show when the size changes
        self.pager = Pager(self.pager.items, fit.per_page, first // fit.per_page)
        shown = self.pager.visible
        shape = fit.shape(len(shown))
        grid = self.grid
        grid.clear_widgets()
        grid.cols, grid.spacing = shape.columns, app.gap
        grid.col_default_width, grid.width = shape.tile_width, shape.width
        grown = min(shape.tile_width / fit.least[0], shape.tile_height / fit.least[1])
        for item in shown:
            tile = self.make_tile(item)
            tile.tile_height, tile.grown = shape.tile_height, grown
            grid.add_widget(tile)
        self.has_previous, self.has_next = self.pager.has_previous, self.pager.has_next
        self.label = self.pager.label if self.pager.page_count > 1 else ""
        self.dispatch("on_page", shape)

    def on_page(self, shape: GridShape) -> None:
        """The page's tiles are built, each `shape.tile_width` wide and at least
        `shape.tile_height` tall, `shape.columns` to a row."""

    def _least(self, least_mm: tuple[float, float]) -> tuple[float, float]:
        """A least tile size in pixels, scaled with the learner's text size; never taller
        than this box (a tile's text then steps down to fit it: see HomeScreen)."""
        app = App.get_running_app()
        scale = app.text_scale  # the learner's, and a big screen's room
        height = least_mm[1] * app.px_mm * scale
        return least_mm[0] * app.px_mm * scale, min(height, max(1.0, self.height))


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
