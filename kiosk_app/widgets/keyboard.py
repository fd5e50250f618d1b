"""A phone's on-screen keyboard, drawn larger than life: 천지인, 두벌식 QWERTY (with 한/영 and
shift) or a number pad, built from `lessons.keyboard` (which keys, what they type).

How a practice screen uses it::

    keyboard = Keyboard(layout="cheonjiin")          # or "qwerty", "numbers"
    keyboard.bind(text=lambda kb, text: field.show(text))    # after every key
    keyboard.bind(on_submit=lambda kb, text: check(text))    # 완료 (enter)
    keyboard.bind(on_key=lambda kb, key: hints.saw(key))     # every key id pressed
    keyboard.height                                  # what it takes at its width
    Keyboard.least_width(layout, px_mm)              # the narrowest its keys stay ≥ 16 mm
    Keyboard.design_width(layout, px_mm)             # its keys at the kiosk's 18 mm

Keys are laid out on a grid of equal columns (10 for QWERTY, 4 for 천지인 and the pads),
each key `span` columns wide, rows centred (두벌식's second row sits half a key in, as on a
phone). Keys are the kiosk's 18 mm target tall, and as wide as the keyboard's width makes
them: 16 mm at `least_width`, 18 mm at `design_width`. Words on keys are the button size
and letters as big as a button's syllable (see `letter_ratio`), made smaller only as far
as they must to fit their key, and never below the 8 mm floor (docs/keyboard.md).
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk_app.look.label_width import text_width
from kiosk_app.look.layout import (
    BUTTON_GLYPH_FLOOR_MM,
    BUTTON_GLYPH_MM,
    GAP_MM,
    HANGUL_INK_RATIO,
    TARGET_FLOOR_MM,
    TARGET_MM,
    glyph_boost,
)
from kiosk_app.look.theme import NORMAL, rgba
from kiosk_app.widgets.base import _Paired
from kiosk_app.widgets.mock_device import GAP_MM as DEVICE_GAP_MM
from kiosk_app.widgets.mock_device import TARGET_MM as DEVICE_TARGET_MM
from lessons.hangul_composer import STROKE_KEYS
from lessons.keyboard import (
    DIGITS,
    ENTER,
    LANGUAGE,
    LAYOUTS,
    LETTERS,
    SHIFT,
    Key,
    Layout,
    Typing,
)
from lessons.keyboard import (
    HANGUL_ROWS as _QWERTY_ROWS,
)

# A phone's screen is about 71 mm wide (a 6.5-inch 20:9 phone, the common Galaxy A size):
# the keyboard is drawn at least twice that where there is room (issue 12: a phone 1.5×
# its size on a 10″ tablet, 2× on a 24″ screen), and wider where its keys need it.
PHONE_WIDTH_MM = 71.0
KEY_FLOOR_MM = TARGET_FLOOR_MM + 0.2  # rounding to pixels never takes a key below 16 mm
LABEL_PADDING = 0.2  # of a gap, around a key's label (keyboard.kv): keys are small
KEY_HEIGHT_PER_INK = 1.5  # a key at least this many times its label's ink height

# the colour pair of each kind of key (kiosk_app.look.theme): letters light like a phone's
# keys, the keys that do something else dark, 완료 the screen's one primary action
LETTER_KIND, ACTION_KIND, ENTER_KIND = "card", "button", "primary"
_ACTIONS = {SHIFT, LANGUAGE, DIGITS, LETTERS, "backspace"}
_SIZES = ("button_font", "button_height", "gap", "px_mm", "target")  # the app's, for keys


def columns(layout: Layout) -> int:
    """How many standard keys one row of `layout` is wide."""
    return int(sum(key.span for key in _QWERTY_ROWS[0])) if layout == "qwerty" else 4


class KeyButton(_Paired, ButtonBehavior, Label):
    """One key of the keyboard: `key_id` is what it sends (lessons.keyboard.Key.id). Drawn
    as a BigButton is, but sized by the keyboard alone (keyboard.kv): a BigButton's own
    rule would make it as tall as its label wants, and two kv rules on one property fight."""

    key_id = StringProperty("")
    kind = StringProperty(LETTER_KIND)
    pair = ObjectProperty(NORMAL.card)
    bg = ListProperty(rgba(NORMAL.card.bg))
    fg = ListProperty(rgba(NORMAL.card.fg))
    role = StringProperty("button")  # for the accessibility measures: a button's label
    scale = NumericProperty(1.0)  # of the button size, so that the label fits its key


class Keyboard(Widget):
    """The keyboard of one layout, on a grey tray (the theme's neutral role) as tall as its
    rows; `text` is what has been typed, as the phone shows it."""

    layout = OptionProperty("cheonjiin", options=list(LAYOUTS))
    phone_number = BooleanProperty(False)  # the number pad shows 010-1234-5678
    text = StringProperty("")
    page = StringProperty("")  # hangul | english | digits | numbers
    tray = ListProperty(rgba(NORMAL.pair("role.neutral").bg))  # its grey, in the theme
    # docked in the simulated phone (a tablet, `dock`): keys and gaps at the device's own
    # sizes (mock_device.TARGET_MM, GAP_MM) and labels at the kiosk's design size, as the
    # device's texts are there; else the kiosk's target, gap and the learner's text size
    docked = BooleanProperty(False)
    __events__ = ("on_submit", "on_key")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.typing = Typing(self.layout, self.phone_number)
        self.keys: list[KeyButton] = []
        self._built: dict[tuple[str, str, bool], list[KeyButton]] = {}
        self._rows: list[list[Key]] = []
        self._arrange_soon = Clock.create_trigger(lambda dt: self.arrange(), -1)
        self.bind(size=self._arrange_soon, pos=self._arrange_soon)
        self.fbind("layout", self.reset)
        self.fbind("phone_number", self.reset)
        self.fbind("docked", self._arrange_soon)
        app = App.get_running_app()
        if app is not None:
            # bind (not fbind) holds methods weakly: a practice builds a keyboard for each
            # step, and none may be kept alive by the app once its step is gone
            app.bind(**dict.fromkeys(_SIZES, self._app_sizes), theme=self._repaint_tray)
            self._repaint_tray(app, app.theme)
        self.reset()

    def _app_sizes(self, app: Any, value: Any) -> None:
        """A new text size or screen: lay the keys out again (once, however many changed)."""
        self._arrange_soon()

    # ---- what the engine calls ------------------------------------------------------------

    def reset(self, *args: Any) -> None:
        """Start again with nothing typed, on the layout's first page."""
        self.typing = Typing(self.layout, self.phone_number)
        self.text = ""
        self._show_page()

    def press(self, key_id: str) -> None:
        """Press a key as if it were touched (the keys call this)."""
        submitted = self.typing.press(key_id)
        self.text = self.typing.text
        self.dispatch("on_key", key_id)
        if submitted:
            self.dispatch("on_submit", self.text)
        if self.typing.rows() != self._rows:
            self._show_page()

    def key_widget(self, key_id: str) -> KeyButton | None:
        """The key that sends `key_id` on the page shown (for hints that point at it)."""
        return next((key for key in self.keys if key.key_id == key_id), None)

    def on_submit(self, text: str) -> None:
        """Enter (완료) was pressed: `text` is the answer."""

    def on_key(self, key_id: str) -> None:
        """A key was pressed (`text` is already up to date), for the engine's hints."""

    @staticmethod
    def least_width(layout: Layout, px_mm: float) -> float:
        """The narrowest the keyboard can be with every key at least 16 mm wide (pixels)."""
        return _width_for_keys(columns(layout), px_mm, KEY_FLOOR_MM)

    def docked_width(self, px_mm: float) -> float:
        """The narrowest the page shown can be docked with its keys ≥ 16 mm (pixels; 천지인's
        English page is QWERTY's ten columns)."""
        cols = max((sum(key.span for key in row) for row in self._rows), default=4)
        return _width_for_keys(cols, px_mm, KEY_FLOOR_MM, DEVICE_GAP_MM)

    @staticmethod
    def design_width(layout: Layout, px_mm: float) -> float:
        """The keyboard's width with its keys at the kiosk's target size, 18 mm (pixels)."""
        return _width_for_keys(columns(layout), px_mm, TARGET_MM)

    def place(self, x: float, width: float, bottom: float | None = None, top: float = 0.0) -> None:
        """`width` px wide from `x`, its bottom at `bottom` (else its top at `top`): its
        height follows from its width, so the keys are laid out, then moved there."""
        self.size_hint_x, self.width = None, width
        self.arrange()
        self.pos = (x, top - self.height if bottom is None else bottom)
        self.arrange()

    # ---- drawing ---------------------------------------------------------------------------

    def _repaint_tray(self, app: Any, theme: Any) -> None:
        self.tray = list(rgba(theme.pair("role.neutral").bg))

    def _show_page(self) -> None:
        """Show the keys of the page the typing is on (shift applied), built once a page:
        building ~35 buttons takes longer than a frame, swapping them does not."""
        self._rows = self.typing.rows()
        self.page = self.typing.page
        self.clear_widgets()
        page = (self.layout, self.typing.page, self.typing.shift)
        if page not in self._built:
            self._built[page] = [self._key(key) for row in self._rows for key in row]
        self.keys = self._built[page]
        for button in self.keys:
            button.repaint()  # the theme may have changed while the page was away
            self.add_widget(button)
        self.arrange()

    def _key(self, key: Key) -> KeyButton:
        button = KeyButton(key_id=key.id, text=key.label, kind=_kind(key))
        button.bind(on_release=lambda b: self.press(b.key_id))
        return button

    def arrange(self) -> None:
        """Place every key on the grid, and take the height the rows need."""
        app = App.get_running_app()
        if app is None or not self._rows:
            return
        gap, target, size = app.gap, app.target, app.text_scale
        if self.docked:
            target, gap = _docked_sizes(app.px_mm)
            size = 1.0
        cols = max(sum(key.span for key in row) for row in self._rows)  # the digits: 4
        unit = (self.width - gap * cols) / cols  # a one-column key; half a gap at each edge
        # a target tall, or taller where a button label's ink would come within a fifth of
        # its edges (letters are sized to that ink, and made to fit the key's line box)
        ink = app.button_font * HANGUL_INK_RATIO * size / app.text_scale
        key_height = max(target, math.ceil(ink * KEY_HEIGHT_PER_INK))
        keys = iter(self.keys)
        for row in self._rows:
            for key in row:
                button = next(keys)
                button.width = key.span * unit + (key.span - 1) * gap
                # the label's line as keyboard.kv gives it (the app's gap), a pixel to spare
                room = (button.width - LABEL_PADDING * app.gap - 2, key_height)
                button.scale = _label_scale(button.text, room, app, size, self.docked)
        self.height = len(self._rows) * (key_height + gap) + gap
        keys = iter(self.keys)
        top = self.top - gap
        for row in self._rows:
            buttons = [next(keys) for _ in row]
            x = self.x + (self.width - sum(b.width for b in buttons) - gap * (len(row) - 1)) / 2
            for button in buttons:
                button.height = key_height
                button.x, button.top = x, top
                x += button.width + gap
            top -= key_height + gap


def _docked_sizes(px_mm: float) -> tuple[int, int]:
    """A docked key's height and the gap (pixels): the simulated device's own."""
    return math.ceil(DEVICE_TARGET_MM * px_mm), math.ceil(DEVICE_GAP_MM * px_mm)


def _width_for_keys(cols: float, px_mm: float, key_mm: float, gap_mm: float = GAP_MM) -> float:
    """`cols` keys `key_mm` wide with a gap beside each (half a gap at each edge), pixels."""
    return px_mm * cols * (key_mm + gap_mm)


def _kind(key: Key) -> str:
    if key.id == ENTER:
        return ENTER_KIND
    return ACTION_KIND if key.id in _ACTIONS or key.id == "space" else LETTER_KIND


def _label_scale(
    label: str, room: tuple[float, float], app: Any, size: float, docked: bool = False
) -> float:
    """The label's size as a share of the button size (base.kv): words and digits at the
    button size; letters (ㄱ, ㅏ, q) drawn so that each letter is as big as a syllable of a
    button label (see `letter_ratio`). Less only where the label would not fit its key,
    and never below the floor (BUTTON_GLYPH_FLOOR_MM and a margin for rounding). `room` is
    the key's width and height: the label's line, which Kivy centres, stays within the key
    (a big q's tail would hang out of it otherwise). `size`: the text size the keys are
    drawn at (the learner's, or the kiosk's design size 1.0 docked in the device). Docked
    (a tablet: 22 mm keys), two letters on one key (ㄱㅋ) are made as small as they must to
    share its line, down to the button labels' own font (a syllable 8.2 mm tall; each
    jamo's longer side about 4.8 mm), where 8 mm jamo would need keys 29 mm wide
    (docs/keyboard.md)."""
    wanted = BUTTON_GLYPH_MM * size
    font = app.button_font * glyph_boost(label)
    ratio = letter_ratio(label)
    scale = size / app.text_scale
    if ratio is not None:  # the font that makes each letter `wanted` mm, as a share
        scale = wanted * app.px_mm / ratio / font
    floor = scale * (BUTTON_GLYPH_FLOOR_MM + 0.2) / wanted
    if docked:
        floor = min(floor, size / app.text_scale * (BUTTON_GLYPH_FLOOR_MM + 0.2) / wanted)
    tallest = room[1] / (_line_ratio() * font)  # the line as tall as the key
    if label in STROKE_KEYS:  # 천지인's ㅣ ㆍ ㅡ: strokes as long as the key allows
        return tallest
    scale = max(floor, min(scale, tallest))
    for _ in range(3):  # text does not widen quite in proportion to its size: measure again
        width = text_width(label, app.button_font * scale)  # it boosts digits itself
        if width <= room[0] or scale <= floor:
            break
        scale = max(floor, scale * room[0] / width)
    return scale


@lru_cache(maxsize=1)
def _line_ratio() -> float:
    """A line's height in Kivy's labels as a share of the font size (bold NanumGothic)."""
    return float(CoreLabel(font_size=100, bold=True).get_extents("가gH")[1]) / 100


def is_letter_label(label: str) -> bool:
    """A key showing letters rather than a word: jamo (ㄱ, ㄱㅋ, ㅏ) or one Latin letter."""
    return all(0x3131 <= ord(ch) <= 0x318E for ch in label) or (
        len(label) == 1 and label.isascii() and label.isalpha()
    )


def letter_ratio(label: str) -> float | None:
    """How big the smallest letter of a letter label is drawn, as a share of the font
    size: the longer side of its ink (ㄱ is 0.56 wide and 0.37 tall in NanumGothic Bold,
    ㅡ 0.92 wide and 0.08 tall; a syllable is 0.92 tall). A lone jamo has no syllable
    height to measure, so its size is the longer side of its shape; ㆍ (a dot, like the
    full stop) is not measured. Latin letters share one size, their x-height (or capital
    height) at the button size, so that a, b and w look alike. None for words and digits,
    which follow layout.py."""
    if not label or not is_letter_label(label):
        return None
    if label.isascii():  # one font for every Latin key: lower case by its x-height
        return _ink_box("x" if label.islower() else "H")[0]
    sides = [max(_ink_box(ch)) for ch in label if ch != "ㆍ"]
    return min(sides) if sides else None


@lru_cache(maxsize=256)
def _ink_box(char: str) -> tuple[float, float]:
    """Height and width of one character's ink as shares of the font size (bold)."""
    core = CoreLabel(text=char, font_size=100, bold=True)
    core.refresh()
    width, height = core.texture.size
    pixels = core.texture.pixels
    inked = [
        (x, y) for y in range(height) for x in range(width) if pixels[(y * width + x) * 4 + 3] > 127
    ]
    if not inked:
        return (0.0, 0.0)
    xs, ys = [x for x, _ in inked], [y for _, y in inked]
    return ((max(ys) - min(ys) + 1) / 100, (max(xs) - min(xs) + 1) / 100)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
