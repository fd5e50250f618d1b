"""Big buttons, body text and panels: every text widget knows the colour pair it draws,
so the accessibility tests can check contrast on exactly what is on screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.core.text.markup import MarkupLabel
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk_app.look.fonts import SYMBOLS, symbol_runs
from kiosk_app.look.layout import reading_runs
from kiosk_app.look.theme import NORMAL, Pair, rgba

# Widgets name their colour pair (`kind`, a key of Theme.pairs()) and their text size
# (`role`) instead of taking colours and sizes: the class rule in base.kv is then the only
# rule that binds `pair` and `font_size`, so a theme or text-size change reaches every
# widget (two kv rules binding one property fight, and the last one bound wins).


class ReadingText(MarkupLabel):
    """Kivy's text renderer, drawing each run of a label at its own size
    (`layout.reading_runs`): digits and Latin words inside Hangul text are drawn as tall as
    the Hangul around them, not 0.8 and 0.6 of it; and the symbols NanumGothic lacks in
    DejaVu Sans (`fonts.symbol_runs`). The label's text is never parsed as markup: the runs
    are handed over escaped, so a word such as "[b]" or "[size=x]" is drawn as written."""

    @property
    def markup(self) -> list[str]:
        size = self.options["font_size"]
        items: list[str] = []
        for run, factor in reading_runs(self.label):
            drawn: list[str] = []
            for part, fallback in symbol_runs(run):  # ⌫ ✓ −: not in NanumGothic
                text = _escaped(part)
                drawn += [f"[font={SYMBOLS}]", text, "[/font]"] if fallback else [text]
            items += (
                drawn if factor == 1.0 else [f"[size={round(size * factor)}]", *drawn, "[/size]"]
            )
        return items


def _escaped(text: str) -> str:
    """`text` as Kivy's markup draws it literally: a run that reads like a tag ("[b]",
    "[size=x]", which would make Kivy raise) is text, as the lesson wrote it."""
    return text.replace("&", "&amp;").replace("[", "&bl;").replace("]", "&br;")


class _Reading:
    """A Kivy label drawn by `ReadingText` (mixed into the kiosk's text widgets)."""

    _label: Any
    _font_properties: tuple[str, ...]
    text_size: Any

    def _create_label(self) -> None:
        if not isinstance(self._label, ReadingText):
            options = {name: getattr(self, name) for name in self._font_properties}
            options["usersize"] = self.text_size
            self._label = ReadingText(**options)


class _Paired:
    """Takes its colour pair from the app's theme by `kind`, and keeps `bg`/`fg` (Kivy
    colours) in step for canvas rules. The app repaints every such widget when the theme
    changes (KioskApp.on_theme): kv rules cannot watch through the plain Theme object."""

    # provided by the Kivy properties of the widget classes that mix this in
    kind: str
    pair: Pair
    bg: list[float]
    fg: list[float]
    fbind: Any

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fbind("kind", self.repaint)
        self.repaint()

    def repaint(self, *args: Any) -> None:
        app = App.get_running_app()
        theme = app.theme if app is not None else NORMAL
        self.pair = theme.pair(self.kind)

    def on_pair(self, widget: Any, pair: Pair) -> None:
        self.bg, self.fg = list(rgba(pair.bg)), list(rgba(pair.fg))


class TextLabel(_Reading, _Paired, Label):
    """Text on a `kind` background, wrapped to its width, as tall as its text."""

    kind = StringProperty("screen")
    pair = ObjectProperty(NORMAL.screen)
    bg = ListProperty(rgba(NORMAL.screen.bg))
    fg = ListProperty(rgba(NORMAL.screen.fg))
    role = StringProperty("body")  # body | title | button | digits
    # of its role's size: bigger on a grown tile, smaller where a step must fit its room
    scale = NumericProperty(1.0)


class BigButton(_Reading, _Paired, ButtonBehavior, Label):
    """A touch target of at least 16 mm with a label of at least 8 mm glyphs."""

    kind = StringProperty("button")
    pair = ObjectProperty(NORMAL.button)
    bg = ListProperty(rgba(NORMAL.button.bg))
    fg = ListProperty(rgba(NORMAL.button.fg))
    role = StringProperty("button")  # button | title
    scale = NumericProperty(1.0)  # of its role's size: smaller where a step must fit its room
    least_height = NumericProperty(0)  # a one-line button at that size (0: the standard)
    tall = NumericProperty(1.0)  # height as a multiple of that height
    selected = BooleanProperty(False)


class Panel(_Paired, BoxLayout):
    """A filled box (card, feedback strip) drawn in the `kind` pair's background."""

    kind = StringProperty("card")
    pair = ObjectProperty(NORMAL.card)
    bg = ListProperty(rgba(NORMAL.card.bg))
    fg = ListProperty(rgba(NORMAL.card.fg))


class CardButton(ButtonBehavior, Panel):
    """A tappable card (a lesson, a learner) holding text labels."""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
