"""The checker's rule for characters the kiosk cannot draw (lessons/glyphs.py): a colour
emoji would show as an empty box, so each one is named where it is written."""

from __future__ import annotations

from lessons.glyphs import undrawable
from lessons.model import Screen
from lessons.yaml_source import Loc


def glyph_problems(text: str) -> list[tuple[str, str]]:
    """Each character of `text` the kiosk's fonts cannot draw: its message, in English and
    in Korean."""
    return [
        (
            f"'{char}' (U+{ord(char):04X}) cannot be drawn by the kiosk's fonts (it would show "
            "as an empty box): write a word, or draw it as a picture (icon:, with a word as "
            "its label)",
            f"「{char}」 글자는 키오스크 글꼴로 그릴 수 없어요(빈 네모로 보여요): 말로 쓰거나 "
            "그림으로 그려 주세요 (icon:, label 은 말로)",
        )
        for char in undrawable(text)
    ]


def screen_texts(screen: Screen) -> list[tuple[Loc, str]]:
    """Every text a screen shows, with where it is written: its title (per language) and
    its elements' labels and details (an English left out falls back to the Korean:
    checked once)."""
    found: list[tuple[Loc, str]] = []
    texts: list[tuple[Loc, object]] = [(("title",), screen.title)]
    for i, element in enumerate(screen.elements):
        texts += [(("elements", i, name), getattr(element, name)) for name in ("label", "detail")]
    for loc, text in texts:
        if text is None:
            continue
        for language in ("ko", "en"):
            written = getattr(text, language)
            if written:
                found.append(((*loc, language) if loc == ("title",) else loc, written))
    return found
