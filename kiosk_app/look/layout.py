"""Layout in millimetres: the configured physical screen turned into pixels per millimetre,
and the kiosk's sizes (glyphs, touch targets, gaps) worked out from it.

The floors come from the design brief (body glyphs 7 mm, button labels 8 mm, targets 16 mm,
gaps 4 mm). The design values sit a little above them so that rounding to whole pixels and
font hinting never take a rendered size below a floor.
"""

from __future__ import annotations

import math
import re
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

# Ink height as a share of the font size in NanumGothic (regular; bold inks a little
# taller), measured at 200 px: a full-height Hangul syllable (가 한 글) 0.92; a "flat"
# syllable, a horizontal vowel (ㅗ ㅛ ㅡ) with no final consonant (도 보 오 그) 0.72; digits
# and Latin capitals 0.76; Latin lowercase at its x-height (a c e o x) 0.57. The kiosk's
# sizes are Hangul glyph heights, so whatever a reader reads that is shorter is drawn
# bigger by the share it falls short (and a little over, for hinting): a label without a
# full-height syllable as a whole (`glyph_boost`), and inside Hangul text each run of
# digits or Latin letters (`reading_runs`: "3 / 9 단계", "오전 10:30", "119에 전화").
# tests/kiosk_app measure the rendered glyphs, kind by kind, to keep these honest.
HANGUL_INK_RATIO = 0.92
DIGIT_BOOST = 1.25  # 0.92 / 0.76 = 1.21
FLAT_HANGUL_BOOST = 1.28  # 0.92 / 0.72
LOWERCASE_BOOST = 1.65  # 0.92 / 0.57 = 1.61
LINE_HEIGHT = 1.2  # font size to line pitch, for working out how many lines fit

_SYLLABLES = range(0xAC00, 0xD7A4)
_FLAT_VOWELS = (8, 12, 18)  # ㅗ ㅛ ㅡ, as medial indices of a precomposed syllable
_RUN = re.compile(r"[0-9]+|[A-Za-z]+")  # digits, or Latin letters
_WORD = re.compile(r"\S+")


def _flat(syllable: int) -> bool:
    """A syllable whose ink is short: a horizontal vowel and nothing below it."""
    index = syllable - _SYLLABLES.start
    return index % 28 == 0 and index // 28 % 21 in _FLAT_VOWELS


def _run_boost(run: str) -> float:
    """How much bigger a run of digits or Latin letters is drawn than Hangul of its size."""
    return LOWERCASE_BOOST if any("a" <= ch <= "z" for ch in run) else DIGIT_BOOST


def glyph_boost(text: str) -> float:
    """Font size factor for a label of `text`: 1 where a full-height Hangul syllable sets
    the size (its shorter runs are drawn bigger on their own, `reading_runs`); otherwise
    as much as its shortest kind of letter needs: Latin lowercase 1.65, flat syllables
    1.28, digits and capitals 1.25."""
    syllables = [ord(ch) for ch in text if ord(ch) in _SYLLABLES]
    if syllables and not all(_flat(s) for s in syllables):
        return 1.0
    boosts = [_run_boost(run) for run in _RUN.findall(text)]
    if syllables:
        boosts.append(FLAT_HANGUL_BOOST)
    return max(boosts, default=DIGIT_BOOST)


def reading_runs(text: str, base: float | None = None) -> list[tuple[str, float]]:
    """`text` cut into runs, each with the factor over the label's font size it is drawn
    at: 1, or more for a word holding digits or Latin letters whose ink is shorter than
    what set the label's size (`base`, the label's `glyph_boost`; a word of a label passes
    its label's). A whole word takes the factor ("273번", "10:30", "Wi-Fi"): Kivy may break
    a line where one size meets another, so a size never changes inside a word."""
    base = glyph_boost(text) if base is None else base
    runs: list[tuple[str, float]] = []
    start = 0
    for word in _WORD.finditer(text):
        boosts = [_run_boost(run) for run in _RUN.findall(word.group())]
        factor = max(boosts, default=1.0) / base
        if factor <= 1.0:
            continue
        if word.start() > start:
            runs.append((text[start : word.start()], 1.0))
        runs.append((word.group(), factor))
        start = word.end()
    if start < len(text) or not runs:
        runs.append((text[start:], 1.0))
    return runs


# On a big panel the kiosk uses its room: its sizes grow with the window's height, from the
# tablet's at ROOM_HEIGHTS_MM[0] to ROOMY_SCALE times them from ROOM_HEIGHTS_MM[1] up. A
# 24-inch kiosk (299 mm tall) then draws a step's instruction 10.4 mm tall (Seoul's
# senior-kiosk guideline asks 10 mm of key text) and its buttons' labels 11.8 mm; a
# 10-inch tablet (136 mm) keeps the floors' design sizes, which is all its room allows.
ROOM_HEIGHTS_MM = (170.0, 280.0)
ROOMY_SCALE = 1.4


def room_scale(height_mm: float) -> float:
    """The factor the kiosk's sizes take on a window `height_mm` tall."""
    low, high = ROOM_HEIGHTS_MM
    share = min(1.0, max(0.0, (height_mm - low) / (high - low)))
    return 1.0 + (ROOMY_SCALE - 1.0) * share


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
    kept = [s for s in scales if s <= scale + 1e-9] + [scale]
    sizes = {round(mm * s, 3) for mm in roles for s in kept}
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
