"""Big-tile paging: a list shown a page at a time with arrows, never a scrolling list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Pager(Generic[T]):
    items: Sequence[T]
    per_page: int
    page: int = 0

    def __post_init__(self) -> None:
        if self.per_page < 1:
            raise ValueError("per_page must be at least 1")
        self.page = min(max(self.page, 0), self.page_count - 1)

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.items) // self.per_page))

    @property
    def visible(self) -> Sequence[T]:
        start = self.page * self.per_page
        return self.items[start : start + self.per_page]

    @property
    def has_previous(self) -> bool:
        return self.page > 0

    @property
    def has_next(self) -> bool:
        return self.page + 1 < self.page_count

    def next(self) -> None:
        if self.has_next:
            self.page += 1

    def previous(self) -> None:
        if self.has_previous:
            self.page -= 1

    @property
    def label(self) -> str:
        return f"{self.page + 1} / {self.page_count}"


def fit_count(space: float, least: float, gap: float) -> int:
    """How many items at least `least` long fit in `space` with `gap` between them (at least
    one: an item that does not fit still gets a page of its own)."""
    return max(1, int((space + gap) // (least + gap)))


@dataclass(frozen=True)
class GridShape:
    """Tiles in `columns` × `rows`, each `tile_width` × `tile_height`, `gap` apart."""

    columns: int
    rows: int
    tile_width: float
    tile_height: float
    gap: float

    @property
    def width(self) -> float:
        return self.columns * self.tile_width + (self.columns - 1) * self.gap

    @property
    def height(self) -> float:
        return self.rows * self.tile_height + (self.rows - 1) * self.gap


@dataclass(frozen=True)
class TileGrid:
    """A page of tiles in a `width` × `height` box: as many as fit at their `least` size
    (`per_page`), and, when a page holds fewer, bigger tiles up to `grow` times that size."""

    width: float
    height: float
    least: tuple[float, float]
    gap: float
    grow: float = 1.0

    @property
    def max_columns(self) -> int:
        return fit_count(self.width, self.least[0], self.gap)

    @property
    def max_rows(self) -> int:
        return fit_count(self.height, self.least[1], self.gap)

    @property
    def per_page(self) -> int:
        return self.max_columns * self.max_rows

    def shape(self, count: int) -> GridShape:
        """The columns and rows that give `count` tiles (one page at most) the most room;
        on a tie, the shape with fewer empty places, then the wider one."""
        count = min(max(count, 1), self.per_page)
        best: tuple[float, int, int] | None = None
        shape = self._shape(self.max_columns, self.max_rows)
        for columns in range(1, self.max_columns + 1):
            rows = -(-count // columns)
            if rows > self.max_rows:
                continue
            candidate = self._shape(columns, rows)
            score = (candidate.tile_width * candidate.tile_height, -(columns * rows), columns)
            if best is None or score > best:
                best, shape = score, candidate
        return shape

    def _shape(self, columns: int, rows: int) -> GridShape:
        least_w, least_h = self.least
        room_w = (self.width - self.gap * (columns - 1)) / columns
        room_h = (self.height - self.gap * (rows - 1)) / rows
        tile_w = max(least_w, min(room_w, least_w * self.grow))
        tile_h = max(least_h, min(room_h, least_h * self.grow))
        return GridShape(columns, rows, tile_w, tile_h, self.gap)
