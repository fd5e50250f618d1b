"""The Korean font: Kivy's default font has no Hangul, so NanumGothic becomes the default;
and the symbols it lacks (⌫ ✓ − ☀ ↺ …) are drawn in DejaVu Sans (`SYMBOLS`), run by run
(`symbol_runs`; which is which: lessons/glyphs.txt, written from the fonts)."""

from __future__ import annotations

from pathlib import Path

from lessons.glyphs import in_fallback

NANUM_DIR = Path("/usr/share/fonts/truetype/nanum")
REGULAR = NANUM_DIR / "NanumGothic.ttf"
BOLD = NANUM_DIR / "NanumGothicBold.ttf"


DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
SYMBOLS = "SarangbangSymbols"  # the fallback's name in Kivy's markup


class FontMissing(Exception):
    """The Korean font is not installed."""


def register_korean_font() -> None:
    """Make NanumGothic Kivy's default font (the name 'Roboto' every Label uses)."""
    if not REGULAR.exists():
        raise FontMissing(
            f"{REGULAR} not found: install Debian's fonts-nanum "
            "(./scripts/install-system-packages.sh does it)"
        )
    from kivy.core.text import DEFAULT_FONT, LabelBase

    bold = BOLD if BOLD.exists() else REGULAR
    LabelBase.register(DEFAULT_FONT, str(REGULAR), fn_bold=str(bold))
    regular, symbols_bold = DEJAVU_DIR / "DejaVuSans.ttf", DEJAVU_DIR / "DejaVuSans-Bold.ttf"
    if not regular.exists():  # Kivy ships the regular face
        import kivy

        regular = Path(kivy.__file__).parent / "data" / "fonts" / "DejaVuSans.ttf"
    if regular.exists():
        bold_face = symbols_bold if symbols_bold.exists() else regular
        LabelBase.register(SYMBOLS, str(regular), fn_bold=str(bold_face))


def symbol_runs(text: str) -> list[tuple[str, bool]]:
    """`text` cut where NanumGothic lacks a character the fallback draws: each run, and
    whether it is drawn in the fallback."""
    if text.isascii():
        return [(text, False)]
    runs: list[tuple[str, bool]] = []
    for char in text:
        # Hangul syllables, most of a Korean label, are NanumGothic's: no table lookup
        fallback = ord(char) > 0x7F and not "가" <= char <= "힣" and in_fallback(char)
        if runs and runs[-1][1] == fallback:
            runs[-1] = (runs[-1][0] + char, fallback)
        else:
            runs.append((char, fallback))
    return runs
