"""The on-screen keyboard in the real kiosk window: typed by real touches, and its keys,
labels and gaps measured at 24″ and on a 10″ tablet, in both themes, at every text size.

The keyboard is shown in a bare typing frame (a text field above the keyboard, the way the
practice screen will hold it); screenshots go to artifacts/screens/keyboard-*.png.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from kivy.core.text import Label as CoreLabel
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.uix.anchorlayout import AnchorLayout
from kivy.uix.boxlayout import BoxLayout

from kiosk_app.look.contrast import contrast_ratio, hex_to_rgb
from kiosk_app.look.layout import BUTTON_GLYPH_FLOOR_MM, Sizes
from kiosk_app.look.theme import THEMES
from kiosk_app.teaching.settings import TEXT_SIZES
from kiosk_app.widgets.base import Panel, TextLabel
from kiosk_app.widgets.keyboard import PHONE_WIDTH_MM, Keyboard, is_letter_label
from lessons.keyboard import ENTER, LANGUAGE, Layout, keys_for
from tests.kiosk_app.driver import labels
from tests.kiosk_app.measure import Measures

Builder.load_string(
    """
<KeyboardTestScreen@Screen>:
    canvas.before:
        Color:
            rgba: app.screen_bg
        Rectangle:
            pos: self.pos
            size: self.size
"""
)

KIOSK_24 = (1920, 1080, 24.0)
TABLET_10 = (1280, 800, 10.1)


@contextmanager
def typing_frame(
    kiosk: Any, size: tuple[int, int, float], layout: Layout, room: str = "whole"
) -> Iterator[Keyboard]:
    """A screen holding a text field and a keyboard as wide as the frame the practice will
    give it: the whole window (`whole`, a phone turned on its side), or the room the
    lesson's side bar leaves (`beside_bar`)."""
    width, height, inches = size
    app = kiosk.app
    kiosk.use_screen(width, height, inches)
    screen = Factory.KeyboardTestScreen(name="keyboard-test")
    keyboard = Keyboard(layout=layout, phone_number=layout == "numbers")
    field = Panel(kind="card", size_hint_y=None)
    shown = TextLabel(kind="card", role="body")
    field.add_widget(shown)
    keyboard.bind(text=lambda kb, text: setattr(shown, "text", text))
    frame = BoxLayout(orientation="vertical", size_hint=(None, None), spacing=app.gap)
    frame.add_widget(field)
    frame.add_widget(keyboard)
    holder = AnchorLayout(anchor_x="center", anchor_y="center")
    holder.add_widget(frame)
    screen.add_widget(holder)

    def fit(*args: Any) -> None:
        room_px = float(width)  # a phone on its side: the keyboard from edge to edge
        if room == "beside_bar":
            room_px -= app.bar_width + 3 * app.margin
        holder.padding = (0, app.margin) if room == "whole" else app.margin
        frame.width = keyboard_width(layout, app.px_mm, room_px)
        field.height = app.button_height
        field.padding = app.gap
        frame.height = field.height + app.gap + keyboard.height

    keyboard.bind(height=fit)
    app.bind(button_height=fit, gap=fit, px_mm=fit)
    fit()
    app.manager.add_widget(screen)
    app.manager.current = "keyboard-test"
    kiosk.frames(4)
    try:
        yield keyboard
    finally:
        app.unbind(button_height=fit, gap=fit, px_mm=fit)
        app.manager.current = "welcome"
        app.manager.remove_widget(screen)
        app.theme = THEMES["normal"]
        kiosk.use_screen(1920, 1080, 24.0)


def keyboard_width(layout: Layout, px_mm: float, room: float) -> float:
    """Twice a phone's width, or what puts every key at its 18 mm target, within the room
    there is (where the room is less, the keys are measured smaller)."""
    return min(room, max(2 * PHONE_WIDTH_MM * px_mm, Keyboard.design_width(layout, px_mm)))


def use_text_scale(app: Any, scale: float) -> None:
    """The kiosk's sizes at a learner's text size (as signing in with it would set them)."""
    sizes = Sizes(app.px_mm, scale)
    app.text_scale = scale
    app.body_font, app.button_font, app.title_font = (
        sizes.body_font,
        sizes.button_font,
        sizes.title_font,
    )
    app.button_height, app.gap, app.margin = sizes.button_height, sizes.gap, sizes.margin


def type_by_touch(kiosk: Any, keyboard: Keyboard, text: str) -> None:
    keys = keys_for(text, keyboard.layout)
    assert keys is not None, f"{text!r} cannot be typed on {keyboard.layout}"
    for key_id in keys:
        widget = keyboard.key_widget(key_id)
        assert widget is not None, f"no key {key_id!r} on the {keyboard.page} page"
        kiosk.tap(widget)


class KeyboardMeasures(Measures):
    """The kiosk's measures, with one difference for keys that show letters rather than
    words (ㄱ, ㄱㅋ, ㅏ, q): a lone jamo has no syllable height (ㅡ is a flat bar, ㄱ inks
    0.37 of the font), so such a letter's size is the longer side of its ink, measured on
    each letter at the label's own font, and it must be at least the 8 mm button floor.
    The dot ㆍ, like a full stop, is not measured. Everything else is measured as on every
    screen (tests/kiosk_app/measure.py)."""

    letter_mm: float = 99.0

    def _text(self, where: str, root: Any, px_mm: float) -> None:
        letters = [label for label in labels(root) if is_letter_label(label.text)]
        for label in letters:
            pair = label.pair
            self.contrast = min(
                self.contrast, contrast_ratio(hex_to_rgb(pair.bg), hex_to_rgb(pair.fg))
            )
            drawn = tuple(round(c, 3) for c in label.color[:3])
            if drawn != tuple(round(c, 3) for c in hex_to_rgb(pair.fg)):
                self.problems.append(f"{where}: '{label.text}' draws {drawn}, not {pair.fg}")
            sides = [ink_side(ch, label.font_size) for ch in label.text if ch != "ㆍ"]
            size = min(sides, default=99.0 * px_mm) / px_mm
            self.letter_mm = min(self.letter_mm, size)
            if size < BUTTON_GLYPH_FLOOR_MM - 0.05:
                self.problems.append(f"{where}: key '{label.text}' letters {size:.2f} mm")
        opacity = {label: label.opacity for label in letters}
        for label in letters:  # the rest as on every screen
            label.opacity = 0
        try:
            super()._text(where, root, px_mm)
        finally:
            for label, value in opacity.items():
                label.opacity = value


def ink_side(char: str, font_size: float) -> float:
    """The longer side, in pixels, of one character's ink drawn bold at `font_size`."""
    core = CoreLabel(text=char, font_size=font_size, bold=True)
    core.refresh()
    width, height = core.texture.size
    pixels = core.texture.pixels
    inked = [
        (x, y) for y in range(height) for x in range(width) if pixels[(y * width + x) * 4 + 3] > 127
    ]
    xs, ys = [x for x, _ in inked], [y for _, y in inked]
    return float(max(max(xs) - min(xs) + 1, max(ys) - min(ys) + 1))


def key_sizes_mm(keyboard: Keyboard, px_mm: float) -> tuple[float, float]:
    """The narrowest and the shortest key shown, in millimetres."""
    return (
        min(key.width for key in keyboard.keys) / px_mm,
        min(key.height for key in keyboard.keys) / px_mm,
    )


@pytest.mark.parametrize("layout", ["cheonjiin", "qwerty"])
def test_typing_ne_gomawoyo_by_touching_the_keys(kiosk: Any, layout: Layout) -> None:
    submitted: list[str] = []
    with typing_frame(kiosk, TABLET_10, layout) as keyboard:
        keyboard.bind(on_submit=lambda kb, text: submitted.append(text))
        type_by_touch(kiosk, keyboard, "네 고마워요")
        assert keyboard.text == "네 고마워요"
        kiosk.screenshot(f"keyboard-10in-{layout}-typed")
        kiosk.tap(keyboard.key_widget(ENTER))
    assert submitted == ["네 고마워요"]


def test_a_wifi_password_and_a_phone_number(kiosk: Any) -> None:
    with typing_frame(kiosk, TABLET_10, "qwerty") as keyboard:
        type_by_touch(kiosk, keyboard, "Sarang 2024")
        assert keyboard.text == "Sarang 2024"
    with typing_frame(kiosk, TABLET_10, "numbers") as keyboard:
        type_by_touch(kiosk, keyboard, "01012345678")
        assert keyboard.text == "010-1234-5678"
        kiosk.screenshot("keyboard-10in-numbers-typed")


def pages(kiosk: Any, keyboard: Keyboard) -> Iterator[str]:
    """Every page of the keyboard, turned to by touch."""
    yield keyboard.page
    if keyboard.layout == "qwerty":
        kiosk.tap(keyboard.key_widget(LANGUAGE))
        yield keyboard.page
        kiosk.tap(keyboard.key_widget(LANGUAGE))
    if keyboard.layout != "numbers":
        kiosk.tap(keyboard.key_widget("digits"))
        yield keyboard.page
        kiosk.tap(keyboard.key_widget("letters"))


FITS = [
    ("10in", TABLET_10, "cheonjiin", "beside_bar"),
    ("10in", TABLET_10, "numbers", "beside_bar"),
    ("10in", TABLET_10, "qwerty", "whole"),
    ("24in", KIOSK_24, "cheonjiin", "beside_bar"),
    ("24in", KIOSK_24, "numbers", "beside_bar"),
    ("24in", KIOSK_24, "qwerty", "beside_bar"),
]


@pytest.mark.parametrize("theme", ["normal", "high_contrast"])
@pytest.mark.parametrize(("name", "size", "layout", "room"), FITS)
def test_every_key_meets_the_numbers_at_every_text_size(
    kiosk: Any, name: str, size: Any, layout: Layout, room: str, theme: str
) -> None:
    with typing_frame(kiosk, size, layout, room) as keyboard:
        app = kiosk.app
        app.theme = THEMES[theme]
        measures = KeyboardMeasures()
        try:
            for scale, _ in TEXT_SIZES:
                use_text_scale(app, scale)
                for page in pages(kiosk, keyboard):
                    kiosk.frames(3)
                    where = f"{name} {layout} {page} {scale}"
                    measures.check(where, kiosk.screen, app.px_mm)
                    assert keyboard.top <= app.root_window.height and keyboard.y >= 0, where
                    width_mm, height_mm = key_sizes_mm(keyboard, app.px_mm)
                    print(f"{where}: keys {width_mm:.1f} × {height_mm:.1f} mm")
                    if scale == 1.0 and theme == "normal":
                        kiosk.screenshot(f"keyboard-{name}-{layout}-{page}")
                    if scale == 1.3 and theme == "high_contrast":
                        kiosk.screenshot(f"keyboard-{name}-{layout}-{page}-hc-larger")
        finally:
            app.apply_sizes()
    print(f"{name} {layout} {theme}: {measures}, letters {measures.letter_mm:.2f} mm")
    assert not measures.problems, "\n".join(measures.problems)
    assert measures.button_glyph_mm >= 8.0 and measures.letter_mm >= 8.0
    assert measures.target_mm >= 16.0
    assert measures.gap_mm >= 4.0 and measures.contrast >= 7.0


def test_qwerty_beside_the_side_bar_of_a_tablet_is_too_narrow(kiosk: Any) -> None:
    """Measured, not hoped: ten keys a row in the room the lesson's side bar leaves on a
    10″ tablet are narrower than 16 mm, which is why QWERTY takes the whole width there."""
    with typing_frame(kiosk, TABLET_10, "qwerty", "beside_bar") as keyboard:
        app = kiosk.app
        width_mm, _ = key_sizes_mm(keyboard, app.px_mm)
        least = Keyboard.least_width("qwerty", app.px_mm) / app.px_mm
        print(f"QWERTY beside the bar: keys {width_mm:.1f} mm wide; needs {least:.0f} mm")
        assert width_mm < 16.0


def test_a_keyboard_no_longer_shown_is_not_kept_alive_by_the_app(kiosk: Any) -> None:
    """A practice builds a keyboard for each step: the app's sizes and theme must not hold
    on to the ones that are gone (and it follows them while it is shown)."""
    window = kiosk.window
    keyboard = Keyboard(layout="cheonjiin", width=800)
    window.add_widget(keyboard)
    kiosk.frames(2)
    try:
        kiosk.app.theme = THEMES["high_contrast"]
        kiosk.frames(2)
        assert keyboard.tray[:3] == [0.0, 0.0, 0.0]
    finally:
        kiosk.app.theme = THEMES["normal"]
        window.remove_widget(keyboard)
    gone = weakref.ref(keyboard)
    del keyboard
    kiosk.frames(3)
    gc.collect()
    assert gone() is None
