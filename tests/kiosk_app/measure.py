"""Accessibility numbers measured on what the kiosk window shows right now.

Glyph height is measured for what a reader reads, kind by kind: the Hangul syllables, the
digits, the Latin capitals and the Latin lowercase at its x-height (a c e m n o r s u v w
x z), each rendered at the size Kivy laid that word out at (a run of a label may have a
size of its own), so a label's short digits or lowercase are not hidden by its tall
Hangul. Text boxes are where Kivy draws each label's texture (centred on the widget), so
text that runs out of its widget is seen where it is drawn, not where its widget is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kivy.base import EventLoop
from kivy.uix.behaviors import ButtonBehavior

from kiosk_app.look.contrast import contrast_ratio, hex_to_rgb
from kiosk_app.look.layout import (
    BODY_GLYPH_FLOOR_MM,
    BUTTON_GLYPH_FLOOR_MM,
    GAP_FLOOR_MM,
    TARGET_FLOOR_MM,
)
from kiosk_app.widgets.base import Panel
from tests.kiosk_app.driver import (
    drawn_words,
    ink_of,
    labels,
    off_window,
    targets,
    text_box,
    visible,
    walk,
)

# what a reader reads, by kind of character
KINDS: dict[str, Any] = {
    "Hangul": lambda ch: "\uac00" <= ch <= "\ud7a3",
    "digits": lambda ch: "0" <= ch <= "9",
    "capitals": lambda ch: "A" <= ch <= "Z",
    "x-height": lambda ch: ch in "acemnorsuvwxz",
}
SLACK = 1.5  # px: rounding of positions and sizes to whole pixels


def glyph_heights(label: Any) -> dict[str, float]:
    """The smallest ink height (px) of each kind of character in `label`, as drawn."""
    groups: dict[tuple[str, float, bool], set[str]] = {}
    for word, size, bold in drawn_words(label):
        for ch in word:
            for kind, test in KINDS.items():
                if test(ch):
                    groups.setdefault((kind, size, bold), set()).add(ch)
    heights: dict[str, float] = {}
    for (kind, size, bold), chars in groups.items():
        sample = "".join(sorted(chars))[:16]
        ink = ink_of(sample, label.font_name, size, bold)
        heights[kind] = min(heights.get(kind, 1e9), ink)
    return heights


def broken_words(label: Any) -> list[str]:
    """Words of `label` that Kivy laid out across two lines (wider than their line)."""
    drawn = [
        "".join(word.text for word in line.words)
        for line in getattr(label._label, "_cached_lines", None) or []
    ]
    return [word for word in label.text.split() if not any(word in line for line in drawn)]


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > SLACK and min(a[3], b[3]) - max(a[1], b[1]) > SLACK


def _outside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return (
        inner[0] < outer[0] - SLACK
        or inner[1] < outer[1] - SLACK
        or inner[2] > outer[2] + SLACK
        or inner[3] > outer[3] + SLACK
    )


def _box(widget: Any) -> tuple[float, float, float, float]:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, x + widget.width, y + widget.height


@dataclass
class Measures:
    """The smallest of each number seen, and every place a floor was missed."""

    body_glyph_mm: float = 99.0
    button_glyph_mm: float = 99.0
    target_mm: float = 99.0
    gap_mm: float = 99.0
    contrast: float = 21.0
    # the smallest glyph (mm) of each kind of character, on buttons and in body text
    kinds: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    in_mock: list[str] = field(default_factory=list)  # those inside a simulated screen

    def _add(self, problem: str, *widgets: Any) -> None:
        """A problem; also noted in `in_mock` when it is inside a simulated screen (the
        practice's device lays out its own rows and bars: widgets/mock_device.py)."""
        inside = any(type(node).__name__ == "MockDevice" for w in widgets for node in _ancestors(w))
        self.problems.append(problem)
        if inside:
            self.in_mock.append(problem)

    def check(self, where: str, root: Any, px_mm: float) -> None:
        self._text(where, root, px_mm)
        self._fields(where, root)
        self._targets(where, root, px_mm)
        self._overlaps(where, root)
        self._fits(where, root)

    def _fits(self, where: str, root: Any) -> None:
        """Text is not clipped: no word is wider than its line (Kivy would break it inside
        the word), no text drawn past the window's edge or out of its own widget or the
        card or button it sits on, and no button pushed off the window."""
        window = (0.0, 0.0, *EventLoop.window.size)
        for label in labels(root):
            for word in broken_words(label):
                width = label.text_size[0] or 0
                self._add(f"{where}: '{word}' is broken to fit {width:.0f} px", label)
            box, name = text_box(label), _name(label)
            if _outside(box, window):
                self._add(f"{where}: '{name}' is drawn off the window", label)
            elif _outside(box, _box(label)):
                self._add(f"{where}: '{name}' runs out of its box", label)
            else:
                holder = next((w for w in _ancestors(label) if isinstance(w, Panel)), None)
                if holder is not None and _outside(box, _box(holder)):
                    self._add(f"{where}: '{name}' runs out of its card", label)
        for widget in targets(root):
            if off_window(widget):
                self._add(f"{where}: button '{_name(widget)}' is off the window", widget)

    def _fields(self, where: str, root: Any) -> None:
        """A typed field's text and its hint against the field's fill (its edge is measured
        in pixels by test_screen_room.py)."""
        from kivy.uix.textinput import TextInput  # it opens the window: not at import

        for box in (w for w in walk(root) if isinstance(w, TextInput) and visible(w)):
            for name in ("foreground_color", "hint_text_color"):
                ratio = contrast_ratio(
                    tuple(getattr(box, name)[:3]), tuple(box.background_color[:3])
                )
                self.contrast = min(self.contrast, ratio)
                if ratio < 7.0:
                    self.problems.append(f"{where}: text field {name} contrast {ratio:.2f}:1")

    def _overlaps(self, where: str, root: Any) -> None:
        """No text drawn over other text, nor over a button it is not on."""
        drawn = [(text_box(label), label) for label in labels(root)]
        for i, (a, label_a) in enumerate(drawn):
            for b, label_b in drawn[i + 1 :]:
                if _overlap(a, b):
                    self._add(
                        f"{where}: '{_name(label_a)}' is drawn over '{_name(label_b)}'",
                        label_a,
                        label_b,
                    )
        buttons = [(_box(w), w) for w in targets(root)]
        for box, label in drawn:
            mine = {id(w) for w in _ancestors(label)} | {id(label)}
            for button_box, button in buttons:
                if id(button) not in mine and _overlap(box, button_box):
                    self._add(
                        f"{where}: '{_name(label)}' is drawn over the button '{_name(button)}'",
                        label,
                        button,
                    )

    def _text(self, where: str, root: Any, px_mm: float) -> None:
        for label in labels(root):
            pair = getattr(label, "pair", None)
            text = label.text[:24]
            if pair is None:
                self.problems.append(f"{where}: '{text}' is not a kiosk text widget")
                continue
            ratio = contrast_ratio(hex_to_rgb(pair.bg), hex_to_rgb(pair.fg))
            drawn = tuple(round(c, 3) for c in label.color[:3])
            if drawn != tuple(round(c, 3) for c in hex_to_rgb(pair.fg)):
                self.problems.append(f"{where}: '{text}' draws {drawn}, not its pair {pair.fg}")
            self.contrast = min(self.contrast, ratio)
            if ratio < 7.0:
                self.problems.append(f"{where}: '{text}' contrast {ratio:.2f}:1")
            on_button = isinstance(label, ButtonBehavior) or isinstance(
                label.parent, ButtonBehavior
            )
            is_detail = on_button and label.role == "body"  # a message preview in a mock
            floor = BUTTON_GLYPH_FLOOR_MM if on_button and not is_detail else BODY_GLYPH_FLOOR_MM
            for kind, ink in glyph_heights(label).items():
                glyph = ink / px_mm
                self.kinds[kind] = min(self.kinds.get(kind, 99.0), glyph)
                if floor == BUTTON_GLYPH_FLOOR_MM:
                    self.button_glyph_mm = min(self.button_glyph_mm, glyph)
                else:
                    self.body_glyph_mm = min(self.body_glyph_mm, glyph)
                if glyph < floor - 0.05:
                    self._add(f"{where}: '{text}' {kind} {glyph:.2f} mm < {floor:.0f} mm", label)

    def _targets(self, where: str, root: Any, px_mm: float) -> None:
        found = targets(root)
        boxes = []
        for widget in found:
            x, y = widget.to_window(widget.x, widget.y)
            boxes.append((x, y, x + widget.width, y + widget.height, widget))
            side = min(widget.width, widget.height) / px_mm
            self.target_mm = min(self.target_mm, side)
            if side < TARGET_FLOOR_MM - 0.05:
                self._add(f"{where}: target '{_name(widget)}' {side:.1f} mm", widget)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                dx = max(b[0] - a[2], a[0] - b[2])
                dy = max(b[1] - a[3], a[1] - b[3])
                gap = max(dx, dy) / px_mm
                self.gap_mm = min(self.gap_mm, gap)
                if gap < GAP_FLOOR_MM - 0.05:
                    self._add(
                        f"{where}: '{_name(a[4])}' and '{_name(b[4])}' {gap:.1f} mm apart",
                        a[4],
                        b[4],
                    )


def _ancestors(widget: Any) -> list[Any]:
    found, node = [], widget.parent
    while node is not None and node is not node.parent:
        found.append(node)
        node = node.parent
    return found


def _name(widget: Any) -> str:
    text = getattr(widget, "text", "") or getattr(widget, "element_id", "")
    return str(text)[:20] or type(widget).__name__
