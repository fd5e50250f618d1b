"""Symbols NanumGothic lacks (⌫ ✓ −) are drawn from the fallback font, not as empty boxes:
in the real window's text renderer."""

from __future__ import annotations

from typing import Any

from kiosk_app.fonts import symbol_runs
from kiosk_app.widgets.base import TextLabel


def test_text_is_cut_where_the_fallback_draws() -> None:
    assert symbol_runs("⌫ 지우기") == [("⌫", True), (" 지우기", False)]
    assert symbol_runs("서울 3° ☀ 맑음") == [("서울 3° ", False), ("☀", True), (" 맑음", False)]
    assert symbol_runs("Delete") == [("Delete", False)]


def drawn(text: str) -> bytes:
    label = TextLabel(text=text, role="button")
    label.texture_update()
    return bytes(label.texture.pixels)


def test_two_fallback_symbols_are_drawn_as_themselves(kiosk: Any) -> None:
    """An empty box looks the same whatever the character: two symbols NanumGothic lacks
    drawn alike would be two boxes. Drawn from DejaVu Sans, each has its own shape."""
    erase, check, again = drawn("⌫"), drawn("✓"), drawn("⌫")
    assert erase == again  # the same symbol, the same pixels
    assert erase != check
    inked = sum(1 for alpha in erase[3::4] if alpha > 128)
    assert inked > 20
