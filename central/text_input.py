"""Free text typed by a person (names of learners, rooms, centers, instructors): normalised
and checked in one place, so every form, the API and the CLI agree. Pure.

What goes in is what a roster, a kiosk screen and a spreadsheet can show as typed:
- NFC: a Hangul name typed on a Mac (decomposed jamo, NFD) and on Windows (NFC) is one name;
- runs of whitespace (any kind) become one space, and the ends are trimmed;
- no control characters (NUL, BEL, ESC…), no bidirectional controls (RLO turns "evil" into
  "live" on screen), no other invisible format characters (zero-width space…), no private
  use or unassigned code points, and at least one visible character.
Zero-width joiners stay allowed inside a name (they join emoji and some scripts' letters).
"""

from __future__ import annotations

import unicodedata

from lessons.graphemes import fits

# Category "Cf" holds the bidi controls and zero-width characters; these two are letters'
# glue in some scripts and in emoji, harmless once a visible character is required.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_VISIBLE_CATEGORIES = ("L", "N", "P", "S")  # letters, digits, punctuation, symbols
# A pasted novel is refused before any per-character work.
MAX_RAW_CHARS = 1000


class TextError(ValueError):
    """Text refused; `key` is a message key (central/web/i18n.py)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def clean_text(text: str, max_chars: int, *, min_chars: int = 1) -> str:
    """The text normalised (NFC, single spaces, trimmed), or TextError naming what is wrong:
    `text_length` (too short or long, in characters as a person sees them: a family emoji
    is one) or `text_invisible` (characters that cannot be shown)."""
    if len(text) > MAX_RAW_CHARS:
        raise TextError("text_length")
    text = " ".join(unicodedata.normalize("NFC", text).split())
    for char in text:
        if unicodedata.category(char) in _REFUSED_CATEGORIES and char not in _ALLOWED_FORMAT:
            raise TextError("text_invisible")
    if text and not any(unicodedata.category(c).startswith(_VISIBLE_CATEGORIES) for c in text):
        raise TextError("text_invisible")
    if not fits(text, max_chars, min_chars):  # counted as a person sees them
        raise TextError("text_length")
    return text


def normalise_key(text: str) -> str:
    """How names that must be unique compare (user names, rooms): NFC, trimmed, casefolded."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).strip().casefold())


def displayable(text: object, max_chars: int = 64) -> str:
    """Text that arrived from a center (kiosk and device ids, learner labels), made safe to
    show as it is: every character `clean_text` would refuse becomes U+FFFD, and it is cut
    to `max_chars` (with "…")."""
    shown = "".join(
        "\ufffd"
        if unicodedata.category(c) in _REFUSED_CATEGORIES and c not in _ALLOWED_FORMAT
        else c
        for c in str(text)[: max_chars + 1]
    )
    return shown if len(shown) <= max_chars else shown[:max_chars] + "…"
