"""Layout in millimetres: the configured physical screen turned into pixels per millimetre,
and the kiosk's sizes (glyphs, touch targets, gaps) worked out from it.

The floors come from the design brief (body glyphs 7 mm, button labels 8 mm, targets 16 mm,
gaps 4 mm). The design values sit a little above them so that rounding to whole pixels and
font hinting never take a rendered size below a floor.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kiosk_app.config import ScreenConfig

MM_PER_INCH = 25.4

BODY_GLYPH_FLOOR_MM = 7.0
BUTTON_GLYPH_FLOOR_MM = 8.0
TARGET_FLOOR_MM = 16.0
GAP_FLOOR_MM = 4.0

BODY_GLYPH_MM = 7.4
BUTTON_GLYPH_MM = 8.4
TITLE_GLYPH_MM = BUTTON_GLYPH_MM * 1.3
TARGET_MM = 18.0
GAP_MM = 5.0
MARGIN_MM = 5.0

# Ink height of a Hangul syllable as a share of the font size, measured for NanumGothic
# (0.92 for 가/한/글 at 40 and 100 px); digits are shorter (0.74), so number-only labels
# get `DIGIT_BOOST`. So are "flat" syllables, a horizontal vowel (ㅗ ㅛ ㅡ) with no final
# consonant (도, 보, 오, 그: 0.72; 호 0.77): a word made only of them (도보, 보고) gets
# `FLAT_HANGUL_BOOST`. tests/kiosk_app measure the rendered glyphs to keep these honest.
HANGUL_INK_RATIO = 0.92
DIGIT_BOOST = 1.25
FLAT_HANGUL_BOOST = 1.28
LINE_HEIGHT = 1.2  # font size to line pitch, for working out how many lines fit

_SYLLABLES = range(0xAC00, 0xD7A4)
_FLAT_VOWELS = (8, 12, 18)  # ㅗ ㅛ ㅡ, as medial indices of a precomposed syllable


def _flat(syllable: int) -> bool:
    """A syllable whose ink is short: a horizontal vowel and nothing below it."""
    index = syllable - _SYLLABLES.start
    return index % 28 == 0 and index // 28 % 21 in _FLAT_VOWELS


def glyph_boost(text: str) -> float:
    """Font size factor for `text`: a full-height Hangul syllable sets the size; digits and
    Latin capitals are shorter (0.74 of the font size against 0.92), and so are flat
    syllables (0.72), so text without a full-height syllable is drawn bigger."""
    syllables = [ord(ch) for ch in text if ord(ch) in _SYLLABLES]
    if not syllables:
        return DIGIT_BOOST
    return 1.0 if not all(_flat(s) for s in syllables) else FLAT_HANGUL_BOOST


def px_per_mm(screen: ScreenConfig, window_px: tuple[int, int]) -> float:
    """Pixels per millimetre of the physical screen, from its DPI or its diagonal.

    With a diagonal, the window is taken to fill the panel (the kiosk runs fullscreen).
    """
    if screen.dpi:
        return screen.dpi / MM_PER_INCH
    assert screen.diagonal_inches, "config ensures one of dpi / diagonal_inches"
    diagonal_px = math.hypot(*window_px)
    return diagonal_px / (screen.diagonal_inches * MM_PER_INCH)


@dataclass(frozen=True)
class Sizes:
    """Every size the screens use, in pixels, for one screen and one text scale."""

    px_per_mm: float
    text_scale: float = 1.0

    def mm(self, millimetres: float) -> float:
        return millimetres * self.px_per_mm

    def font_for_glyph(self, glyph_mm: float) -> float:
        """Font size (px) whose Hangul glyphs are `glyph_mm` tall."""
        return math.ceil(self.mm(glyph_mm) / HANGUL_INK_RATIO)

    @property
    def body_font(self) -> float:
        return self.font_for_glyph(BODY_GLYPH_MM * self.text_scale)

    @property
    def button_font(self) -> float:
        return self.font_for_glyph(BUTTON_GLYPH_MM * self.text_scale)

    @property
    def title_font(self) -> float:
        return self.font_for_glyph(TITLE_GLYPH_MM * self.text_scale)

    @property
    def target(self) -> float:
        """The smallest side of a touch target."""
        return math.ceil(self.mm(TARGET_MM))

    @property
    def button_height(self) -> float:
        """A one-line button: the target, or taller when the label needs it."""
        return self.button_height_for(self.button_font)

    def button_height_for(self, font: float) -> float:
        """A one-line button whose label is `font` px: the target, or taller for the label."""
        return max(self.target, math.ceil(font * LINE_HEIGHT + self.mm(6)))

    @property
    def gap(self) -> float:
        return math.ceil(self.mm(GAP_MM))

    @property
    def margin(self) -> float:
        return math.ceil(self.mm(MARGIN_MM))


def span_needed(
    word: float, span: int, columns: int, width: float, gap: float, padding: float
) -> int | None:
    """The fewest grid columns, from `span` up, that an element must take in a grid of
    `columns` across `width` so that its widest word (`word` px, with `padding` around the
    text) is not broken; None when not even the whole width will do."""
    cell = (width - gap * (columns - 1)) / columns
    for taken in range(min(span, columns), columns + 1):
        if word <= cell * taken + gap * (taken - 1) - padding:
            return taken
    return None


def rows_per_page(heights: list[float], available: float, gap: float) -> list[range]:
    """Split rows of the given heights into pages that fit `available` (a row never splits;
    a row taller than a page gets a page of its own)."""
    pages: list[range] = []
    start, used = 0, 0.0
    for index, height in enumerate(heights):
        needed = height if index == start else used + gap + height
        if index > start and needed > available:
            pages.append(range(start, index))
            start, used = index, height
        else:
            used = needed
    if heights:
        pages.append(range(start, len(heights)))
    return pages


def picture_side(room: float, largest: float, smallest: float) -> float:
    """Side of a square picture given the `room` the text leaves: as large as fits, up to
    `largest`; 0 (left out) when less than `smallest` fits, as it could not be made out."""
    side = min(room, largest)
    return side if side >= smallest else 0.0


@dataclass(frozen=True)
class CardRoom:
    """The inside of a card (within its padding) and the gap between picture and text."""

    width: float
    height: float  # the card's height on its page (the tile its grid gives it)
    gap: float


def card_picture_side(
    room: CardRoom, beside: bool, text_height: Callable[[float], float], sizes: tuple[float, float]
) -> float:
    """Side of the pictures on a page of cards, between `sizes` (smallest, largest), or 0.

    `text_height(width)` is the tallest card text of the page at that width. Above the text,
    the picture takes the height the text leaves; beside it, the largest size whose narrower
    text still fits the card's height. Text is never squeezed out: then there is no picture.
    """
    smallest, largest = sizes
    if not beside:
        return picture_side(room.height - room.gap - text_height(room.width), largest, smallest)
    for side in (largest, (largest + smallest) / 2, smallest):
        if max(side, text_height(room.width - room.gap - side)) <= room.height:
            return side
    return 0.0


def grow_rows(heights: list[float], available: float, gap: float, most: float) -> list[float]:
    """Rows stretched by one factor to fill `available` (never shrunk, never more than `most`
    times their own height), so a short simulated screen fills its room like a phone does."""
    if not heights:
        return []
    room = available - gap * (len(heights) - 1)
    factor = min(most, max(1.0, room / sum(heights)))
    return [height * factor for height in heights]


# ---- a lesson step fitted to its room ---------------------------------------------------


@dataclass(frozen=True)
class Shrink:
    """The glyph heights (mm) one text of a step may take: `largest` where there is room,
    never less than `smallest`."""

    largest: float
    smallest: float

    def at(self, glyph_mm: float) -> float:
        return min(self.largest, max(self.smallest, glyph_mm))


def glyph_steps(scale: float, scales: Iterable[float]) -> list[float]:
    """The glyph heights (mm) a step's text steps down through where it does not fit,
    largest first: the kiosk's title, button and body sizes at each text scale up to the
    learner's `scale`, so that the learner's choice holds as far as it fits."""
    roles = (TITLE_GLYPH_MM, BUTTON_GLYPH_MM, BODY_GLYPH_MM)
    sizes = {round(mm * s, 3) for mm in roles for s in scales if s <= scale + 1e-9}
    return sorted(sizes, reverse=True)


@dataclass(frozen=True)
class StepLayout:
    """One way of laying out a lesson step, from the most generous to the tightest."""

    glyph_mm: float  # the size its texts step down to, each within its own `Shrink`
    tall: bool = False  # quiz choices 1.5 times a standard button's height
    tight: bool = False  # half gaps between its parts (never between two targets), and
    # quiz choices in whichever of one or two columns takes less height


def step_layouts(steps: Sequence[float], tall: bool) -> list[StepLayout]:
    """Every layout of a step, most generous first: tall choices (where `tall` says there
    may be room), standard ones, then tight gaps and the text stepping down through
    `steps` (glyph_steps)."""
    generous = [StepLayout(steps[0], tall=True)] if tall else []
    return [*generous, StepLayout(steps[0]), *(StepLayout(mm, tight=True) for mm in steps)]


def first_fit(count: int, overflow: Callable[[int], float]) -> tuple[int, float]:
    """The first of `count` ever tighter layouts whose content fits (`overflow(i)`, how much
    taller than its room layout i is, not above 0), and that overflow; the last layout,
    with what it still overflows, when none fits. A tighter layout never needs more room,
    so the search halves its way there: a few measurements, however many layouts."""
    over = overflow(0)
    if over <= 0 or count == 1:
        return 0, over
    low, high = 0, count  # `low` overflows by `over`; `high` fits (`count`: none known)
    fits = 0.0
    while high - low > 1:
        middle = (low + high) // 2
        measured = overflow(middle)
        if measured <= 0:
            high, fits = middle, measured
        else:
            low, over = middle, measured
    return (high, fits) if high < count else (low, over)


def grid_height(heights: Sequence[float], columns: int, gap: float) -> float:
    """Height of a grid of `columns` cells a row, whose cells in order are `heights` tall:
    each row as tall as its tallest cell, `gap` between rows."""
    rows = [max(heights[i : i + columns]) for i in range(0, len(heights), columns)]
    return sum(rows) + gap * max(0, len(rows) - 1)


def first_that_fits(widths: Sequence[float], room: float) -> int:
    """Index of the first of some texts, `widths` px wide on one line, that fits `room`;
    the last (the shortest way of saying it) when none does."""
    return next((i for i, width in enumerate(widths) if width <= room), len(widths) - 1)
