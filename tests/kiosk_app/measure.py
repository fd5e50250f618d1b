"""Accessibility numbers measured on what the kiosk window shows right now."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kivy.uix.behaviors import ButtonBehavior

from kiosk_app.contrast import contrast_ratio, hex_to_rgb
from kiosk_app.layout import (
    BODY_GLYPH_FLOOR_MM,
    BUTTON_GLYPH_FLOOR_MM,
    GAP_FLOOR_MM,
    TARGET_FLOOR_MM,
)
from tests.kiosk_app.driver import (
    ink_height,
    labels,
    off_window,
    targets,
    visible,
    walk,
    word_width,
)


@dataclass
class Measures:
    """The smallest of each number seen, and every place a floor was missed."""

    body_glyph_mm: float = 99.0
    button_glyph_mm: float = 99.0
    target_mm: float = 99.0
    gap_mm: float = 99.0
    contrast: float = 21.0
    problems: list[str] = field(default_factory=list)

    def check(self, where: str, root: Any, px_mm: float) -> None:
        self._text(where, root, px_mm)
        self._fields(where, root)
        self._targets(where, root, px_mm)
        self._overlaps(where, root)
        self._fits(where, root)

    def _fits(self, where: str, root: Any) -> None:
        """Text is not clipped: no word is wider than its line (Kivy would break it inside
        the word), and no text or button is pushed off the window. (Kivy does not clip a
        widget to its layout, so text that only leaves its box is caught as an overlap.)"""
        for label in labels(root):
            line = label.text_size[0]
            for word in label.text.split() if line else ():
                if word_width(label, word) > line + 1:
                    self.problems.append(f"{where}: '{word}' does not fit in {line:.0f} px")
        for widget in [*labels(root), *targets(root)]:
            if off_window(widget):
                self.problems.append(f"{where}: '{_name(widget)}' is off the window")

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
        """No two pieces of text may be drawn over each other (text pushed out of room)."""
        boxes = []
        for label in labels(root):
            x, y = label.to_window(label.x, label.y)
            boxes.append((x, y, x + label.width, y + label.height, label))
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1:
                    self.problems.append(f"{where}: '{a[4].text[:16]}' overlaps '{b[4].text[:16]}'")

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
            glyph = ink_height(label) / px_mm
            on_button = isinstance(label, ButtonBehavior) or isinstance(
                label.parent, ButtonBehavior
            )
            is_detail = on_button and label.role == "body"  # a message preview in a mock
            floor = BUTTON_GLYPH_FLOOR_MM if on_button and not is_detail else BODY_GLYPH_FLOOR_MM
            if floor == BUTTON_GLYPH_FLOOR_MM:
                self.button_glyph_mm = min(self.button_glyph_mm, glyph)
            else:
                self.body_glyph_mm = min(self.body_glyph_mm, glyph)
            if glyph < floor - 0.05:
                self.problems.append(f"{where}: '{text}' glyphs {glyph:.2f} mm < {floor}")

    def _targets(self, where: str, root: Any, px_mm: float) -> None:
        found = targets(root)
        boxes = []
        for widget in found:
            x, y = widget.to_window(widget.x, widget.y)
            boxes.append((x, y, x + widget.width, y + widget.height, widget))
            side = min(widget.width, widget.height) / px_mm
            self.target_mm = min(self.target_mm, side)
            if side < TARGET_FLOOR_MM - 0.05:
                self.problems.append(f"{where}: target '{_name(widget)}' {side:.1f} mm")
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                dx = max(b[0] - a[2], a[0] - b[2])
                dy = max(b[1] - a[3], a[1] - b[3])
                gap = max(dx, dy) / px_mm
                self.gap_mm = min(self.gap_mm, gap)
                if gap < GAP_FLOOR_MM - 0.05:
                    self.problems.append(
                        f"{where}: '{_name(a[4])}' and '{_name(b[4])}' {gap:.1f} mm apart"
                    )


def _name(widget: Any) -> str:
    text = getattr(widget, "text", "") or getattr(widget, "element_id", "")
    return str(text)[:20] or type(widget).__name__
