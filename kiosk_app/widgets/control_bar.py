"""The lesson's controls (이전, 다시 듣기, 다음, 도와주세요, 처음으로; class mode's three):
a column at the screen's right edge, or, during a practice on a short window (a 10-inch
tablet), a pad of rows under the instruction, so that the simulated phone can take the
window's whole height beside them (widgets/practice_stage.py).

In a pad each button is as wide as its label needs; the buttons fill rows in their order,
or each the first row it fits where that makes fewer rows (`flow_rows`, pure), and each
row is stretched across the pad. The buttons stay the same
widgets in both arrangements: a learner's press, its colour and its words do not change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.layout import Layout

from kiosk_app.look.label_width import text_width
from kiosk_app.look.layout import glyph_boost


def flow_rows(widths: Sequence[float], room: float, gap: float) -> list[list[int]]:
    """The indexes of `widths` in rows at most `room` wide with `gap` between neighbours;
    an item wider than `room` has a row of its own. In their order where that takes no
    more rows; else each goes into the first row it fits (English's "Back" and "Next"
    share a row above "Hear again": four rows in a tablet's column, not five)."""
    in_order: list[list[int]] = []
    first_fit: list[list[int]] = []
    used: list[float] = []
    for index, width in enumerate(widths):
        if in_order and _used(in_order[-1], widths, gap) + gap + width <= room + 0.5:
            in_order[-1].append(index)
        else:
            in_order.append([index])
        row = next((r for r, u in enumerate(used) if u + gap + width <= room + 0.5), None)
        if row is None:
            first_fit.append([index])
            used.append(width)
        else:
            first_fit[row].append(index)
            used[row] += gap + width
    return first_fit if len(first_fit) < len(in_order) else in_order


def _used(row: list[int], widths: Sequence[float], gap: float) -> float:
    return sum(widths[i] for i in row) + gap * (len(row) - 1)


class ControlBar(Layout):
    """Buttons in a column (centred in the bar's height), or in a pad of rows (`pad`)."""

    pad = BooleanProperty(False)
    # px at the right of a pad's last row left free (the practice's ▲ ▼ go there)
    last_row_reserve = NumericProperty(0.0)
    reserve_rows = NumericProperty(1)  # how many of the last rows leave it free

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._all: list[Any] | None = None  # every button, while `keep_only` shows some
        self._bound: set[int] = set()
        self.fbind("pad", self._trigger_layout)
        self.fbind("last_row_reserve", self._trigger_layout)
        self.fbind("reserve_rows", self._trigger_layout)
        self.fbind("size", self._trigger_layout)
        self.fbind("pos", self._trigger_layout)

    def add_widget(self, widget: Any, *args: Any, **kwargs: Any) -> None:
        if id(widget) not in self._bound:
            self._bound.add(id(widget))
            widget.fbind("height", self._trigger_layout)
            widget.fbind("text", self._trigger_layout)
        super().add_widget(widget, *args, **kwargs)

    def keep_only(self, kept: Sequence[Any] | None) -> None:
        """Only the buttons `kept` (an edge-to-edge keyboard on a tablet leaves the controls
        one row: 다음 and 도와주세요), in their order; None: every button again."""
        if kept is None and self._all is None:
            return
        if self._all is None:
            self._all = self.buttons
        everything = self._all
        keep = everything if kept is None else [b for b in everything if b in kept]
        if kept is None:
            self._all = None
        if self.buttons != keep:
            self.clear_widgets()
            for button in keep:
                self.add_widget(button)

    @property
    def buttons(self) -> list[Any]:
        """The buttons in their order (a hidden one, 이전 on the first step, keeps its
        place, so that the others never move under a finger)."""
        return list(reversed(self.children))

    def least_width(self, button: Any) -> float:
        """`button`'s width with its label on one line: its text and 0.6 gap each side
        (BigButton's rule keeps half a gap clear)."""
        app = App.get_running_app()
        font = button.font_size / glyph_boost(button.text)  # text_width boosts it itself
        return max(app.target, text_width(button.text, font, True) + 1.2 * app.gap)

    def use_scale(self, scale: float) -> None:
        """Every button's label at `scale` of the button size, each as tall as its label
        needs (lesson.kv's rule, which `app.bar_scale` sets again when it changes)."""
        app = App.get_running_app()
        least = app.button_height_at(scale, app.button_font)
        for button in self.buttons:
            if (button.scale, button.least_height) == (scale, least):
                continue  # as it is: drawing a label again takes milliseconds
            button.scale, button.least_height = scale, least
            button.texture_update()
            button.height = max(button.least_height, button.texture_size[1] + app.gap * 0.5)

    def pad_rows(self, width: float) -> list[list[Any]]:
        """The buttons in the rows of a pad `width` wide."""
        buttons = self.buttons
        gap = App.get_running_app().gap
        rows = flow_rows([self.least_width(b) for b in buttons], width, gap)
        return [[buttons[i] for i in row] for row in rows]

    def spare_in_last_rows(self, width: float, count: int = 1) -> float:
        """Px a pad `width` wide leaves free at the right of each of its last `count` rows
        (the least of them; 0 where it has fewer rows)."""
        gap = App.get_running_app().gap
        rows = self.pad_rows(width)
        if len(rows) < count:
            return 0.0
        return min(
            width - sum(self.least_width(b) for b in row) - gap * (len(row) - 1)
            for row in rows[-count:]
        )

    def pad_height(self, width: float) -> float:
        """The height of a pad `width` wide."""
        gap = App.get_running_app().gap
        rows = self.pad_rows(width)
        return sum(max(b.height for b in row) for row in rows) + gap * (len(rows) - 1)

    def do_layout(self, *args: Any) -> None:
        app = App.get_running_app()
        if app is None:
            return
        gap = app.gap
        if self.pad:
            self._lay_pad(gap)
            return
        buttons = self.buttons
        total = sum(b.height for b in buttons) + gap * (len(buttons) - 1)
        top = self.y + (self.height + total) / 2
        for button in buttons:
            button.size_hint = (None, None)
            button.width = self.width
            button.pos = (self.x, top - button.height)
            top -= button.height + gap

    def _lay_pad(self, gap: float) -> None:
        top = self.top
        rows = self.pad_rows(self.width)
        for number, row in enumerate(rows, 1):
            reserved = number > len(rows) - self.reserve_rows
            width = self.width - (self.last_row_reserve if reserved else 0.0)
            widths = [self.least_width(b) for b in row]
            spare = (width - sum(widths) - gap * (len(row) - 1)) / len(row)
            height = max(b.height for b in row)
            x = self.x
            for button, width in zip(row, widths, strict=True):
                button.size_hint = (None, None)
                button.size = (width + max(0.0, spare), height)
                button.pos = (x, top - height)
                x += button.width + gap
            top -= height + gap
