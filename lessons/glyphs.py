"""Which characters the kiosk can draw (lessons/glyphs.txt, written from its fonts by
scripts/make_glyph_table.py): NanumGothic's, and the symbols DejaVu Sans adds for it. A
character in neither (a colour emoji: 🔍 📞 🔔) would be drawn as an empty box; `lessons
check` names each one where it is written."""

from __future__ import annotations

import bisect
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("glyphs.txt")
# not drawn, never missing: spaces, line breaks, joiners and the variation selector emoji
# text carries (U+FE0F)
INVISIBLE = {"\n", "\t", "\u200b", "\u200c", "\u200d", "\ufe0e", "\ufe0f"}


class _Ranges:
    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.starts = [a for a, _ in ranges]
        self.ends = [b for _, b in ranges]

    def __contains__(self, point: int) -> bool:
        index = bisect.bisect_right(self.starts, point) - 1
        return index >= 0 and point <= self.ends[index]


@lru_cache(maxsize=1)
def _table() -> dict[str, _Ranges]:
    sections: dict[str, list[tuple[int, int]]] = {}
    current: list[tuple[int, int]] = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), [])
            continue
        first, _, last = line.partition("-")
        current.append((int(first, 16), int(last or first, 16)))
    return {name: _Ranges(ranges) for name, ranges in sections.items()}


def in_main_font(char: str) -> bool:
    """NanumGothic draws `char`."""
    return ord(char) in _table()["nanum"]


def in_fallback(char: str) -> bool:
    """Only the fallback font (DejaVu Sans) draws `char`."""
    return ord(char) in _table()["fallback"]


def undrawable(text: str) -> list[str]:
    """The characters of `text` neither font draws, each once, in order."""
    found: list[str] = []
    for char in text:
        if char in INVISIBLE or char in found:
            continue
        if not in_main_font(char) and not in_fallback(char):
            found.append(char)
    return found
