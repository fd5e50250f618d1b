"""Whether what a learner typed is the answer a practice asked for, with the tolerance a
person checking it would have: spaces anywhere and punctuation at the end do not matter
(네 고마워요 = 네고마워요. = "네 고마워요!"), nor do the hyphens of a phone number; a wrong
or missing syllable, a wrong letter's case in a password, or a wrong digit do."""

from __future__ import annotations

import unicodedata

FINAL_PUNCTUATION = ".,?!~…。、！？"  # what a sentence may end with, full width included
_PHONE_CHARACTERS = set("0123456789-")


def normalised(text: str) -> str:
    """`text` as compared: NFC, without whitespace, without punctuation at its end."""
    text = "".join(unicodedata.normalize("NFC", text).split())
    return text.rstrip(FINAL_PUNCTUATION)


def typed_answer_matches(expected: str, typed: str) -> bool:
    """True when `typed` is `expected` as a person would accept it."""
    want, got = normalised(expected), normalised(typed)
    if want and set(want) <= _PHONE_CHARACTERS and set(got) <= _PHONE_CHARACTERS:
        return want.replace("-", "") == got.replace("-", "")
    return want == got
