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
