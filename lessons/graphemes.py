"""How long a text is as a person sees it: user-perceived characters (extended grapheme
clusters, Unicode UAX #29), not code points. 「👨‍👩‍👧‍👦 할머니」 is 5 characters to its
reader but 11 code points; a decomposed Hangul syllable (ㅎ+ㅏ+ㄴ typed on a Mac) is one.
Names are limited by what fits on a kiosk button, so they are counted this way.

Python's `len` counts code points; the `regex` package's `\\X` follows UAX #29 (the
standard library's `re` has no grapheme support)."""

from __future__ import annotations

import regex

_GRAPHEME = regex.compile(r"\X")
# The most code points one visible character takes in practice: a family of four with a
# skin tone each and three joiners (👨🏽‍👩🏽‍👧🏽‍👦🏽) is 11. A text is also held to
# this many code points per allowed character, so its stored size stays bounded.
MOST_CODE_POINTS_PER_CHARACTER = 11


def visible_length(text: str) -> int:
    """The number of characters a reader sees in `text`."""
    return len(_GRAPHEME.findall(text))


def first_characters(text: str, count: int) -> str:
    """The first `count` characters of `text` as a reader sees them (never half an emoji)."""
    return "".join(_GRAPHEME.findall(text)[:count])


def fits(text: str, max_chars: int, min_chars: int = 1) -> bool:
    """Whether `text` is `min_chars`–`max_chars` visible characters (and not absurdly many
    code points for that)."""
    if len(text) > max_chars * MOST_CODE_POINTS_PER_CHARACTER:
        return False
    return min_chars <= visible_length(text) <= max_chars
