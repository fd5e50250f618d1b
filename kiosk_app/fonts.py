"""The Korean font: Kivy's default font has no Hangul, so NanumGothic becomes the default."""

from __future__ import annotations

from pathlib import Path

NANUM_DIR = Path("/usr/share/fonts/truetype/nanum")
REGULAR = NANUM_DIR / "NanumGothic.ttf"
BOLD = NANUM_DIR / "NanumGothicBold.ttf"


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
