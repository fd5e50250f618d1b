"""How wide text is drawn, measured with Kivy's own text renderer in the kiosk's font, so
that a button or a grid sized from its words never breaks or clips one, whatever the
language (English words are longer than Korean ones, and drawn 1.25× larger: see
layout.glyph_boost)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

from kivy.core.text import Label as CoreLabel

from kiosk_app.look.layout import glyph_boost, reading_runs


@lru_cache(maxsize=4096)
def _extent(text: str, font_size: float, bold: bool) -> float:
    return float(CoreLabel(font_size=font_size, bold=bold).get_extents(text)[0])


def _drawn(part: str, size: float, base: float, bold: bool) -> float:
    """Pixels `part` of a label takes, each of its runs at its own size."""
    return sum(_extent(run, size * f, bold) for run, f in reading_runs(part, base))


def text_width(text: str, font_size: float, bold: bool = True) -> float:
    """Pixels the widest line of `text` takes at `font_size` (as drawn: boosted when it has
    no Hangul, its digits and Latin words bigger when it has). Bold by default, as on a
    button."""
    base = glyph_boost(text)
    return max(_drawn(line, font_size * base, base, bold) for line in text.split("\n"))


def widest_word(text: str, font_size: float, bold: bool = True) -> float:
    """Pixels the widest word of `text` takes: the narrowest a box can be without breaking a
    word in two."""
    base = glyph_boost(text)
    return max((_drawn(word, font_size * base, base, bold) for word in text.split()), default=0.0)


@lru_cache(maxsize=1024)
def line_height(text: str, font_size: float, bold: bool = True) -> float:
    """Pixels one line of `text` takes at `font_size`, as drawn (its tallest run)."""
    base = glyph_boost(text)
    runs = reading_runs(text, base)
    return max(
        float(CoreLabel(font_size=font_size * base * f, bold=bold).get_extents(r)[1])
        for r, f in runs
    )


def fit_width(texts: Iterable[str], font_size: float, padding: float) -> int:
    """The width of a button that holds the widest of `texts` on one line, with `padding`
    (both sides together) around it."""
    return math.ceil(max(text_width(text, font_size) for text in texts) + padding)
