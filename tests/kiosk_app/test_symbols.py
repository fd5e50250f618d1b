"""Symbols NanumGothic lacks (⌫ ✓ −) are drawn from the fallback font, not as empty boxes:
in the real window's text renderer."""

from __future__ import annotations

from typing import Any

from kiosk_app.look.fonts import symbol_runs
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


def test_text_that_reads_like_markup_is_drawn_as_written(kiosk: Any) -> None:
    """A lesson's words are never Kivy markup: 「[b]」 does not turn bold on, and
    「[size=x]」 or 「[color=zz]」 (which made Kivy raise) are drawn as written."""
    for text in ("[size=x] 안녕", "[color=zz]", "[font=nowhere] 가", "[b]", "&bl; [확인] & ✓[b]"):
        assert drawn(text)  # no exception, something drawn
    label = TextLabel(text="[b]가", role="body")  # a body label is not bold
    plain = TextLabel(text="(b)가", role="body")
    for one in (label, plain):
        one.texture_update()
    assert label.texture.size[1] == plain.texture.size[1]
    assert "&bl;b&br;가" in label._label.markup and "[b]" not in label._label.markup
