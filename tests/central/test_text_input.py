"""Free text from forms, the API and the CLI: one normalising, validating function."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from central.text_input import TextError, clean_text, normalise_key
from lessons.graphemes import MOST_CODE_POINTS_PER_CHARACTER, visible_length

REFUSED = {
    "NUL": "김\x00영희",
    "BEL": "김영희\x07",
    "ESC": "\x1b[31m김영희",
    "only a zero-width space": "\u200b",
    "zero-width space inside": "김\u200b영희",
    "RLO (evil shows as live)": "\u202eevil",
    "bidi isolate": "\u2066김영희\u2069",
    "byte-order mark": "\ufeff김영희",
    "private use": "김\ue000",
    "unassigned": "김\U000e0fff",
    "lone surrogate": "김\ud800",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_invisible_and_control_characters_are_refused(text: str) -> None:
    with pytest.raises(TextError) as refused:
        clean_text(text, 40)
    assert refused.value.key == "text_invisible"


def test_decomposed_hangul_becomes_one_name() -> None:
    nfd = unicodedata.normalize("NFD", "김영희")
    assert len(nfd) == 8 and clean_text(nfd, 40) == "김영희"
    assert normalise_key(unicodedata.normalize("NFD", "2층 교실 A")) == "2층 교실 a"


def test_spaces_are_collapsed_and_lengths_checked_after() -> None:
    assert clean_text("  이\u3000순자\n 어르신 ", 40) == "이 순자 어르신"
    assert clean_text("가" * 40, 40) == "가" * 40
    for text in ("", "   ", "가" * 41, "가" * 5000):
        with pytest.raises(TextError) as refused:
            clean_text(text, 40)
        assert refused.value.key == "text_length"


def test_lengths_are_counted_as_a_person_sees_them() -> None:
    """A family emoji is one character to its reader (seven code points); a name of 40 of
    them fits a 40-character rule, a 41st does not."""
    family = "👨\u200d👩\u200d👧\u200d👦"
    toned = "👨🏽\u200d👩🏽\u200d👧🏽\u200d👦🏽"  # 11 code points: the most one character takes
    assert clean_text(f"{family} 할머니", 5) == f"{family} 할머니"
    assert clean_text(toned * 40, 40) == toned * 40
    with pytest.raises(TextError):
        clean_text(toned * 41, 40)
    with pytest.raises(TextError):  # one "character" made of too many code points
        clean_text("a" + "\u0301" * 40, 1)


def test_joiners_inside_a_visible_name_are_kept() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(f"김 {family}", 40) == f"김 {family}"
    with pytest.raises(TextError):
        clean_text("\u200d", 40)


@given(st.text(max_size=60))
def test_whatever_is_accepted_is_nfc_trimmed_and_visible(text: str) -> None:
    try:
        cleaned = clean_text(text, 40)
    except TextError:
        return
    assert cleaned == unicodedata.normalize("NFC", cleaned) == cleaned.strip()
    assert 1 <= visible_length(cleaned) <= 40 and "  " not in cleaned  # as a person sees it
    assert len(cleaned) <= 40 * MOST_CODE_POINTS_PER_CHARACTER
    for char in cleaned:
        assert unicodedata.category(char) not in ("Cc", "Cs", "Co", "Cn")
        assert unicodedata.category(char) != "Cf" or char in "\u200c\u200d"
    assert clean_text(cleaned, 40) == cleaned  # cleaning twice changes nothing
