from __future__ import annotations

import unicodedata

import pytest

from lessons.graphemes import MOST_CODE_POINTS_PER_CHARACTER, fits, visible_length


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("김영희", 3),
        (unicodedata.normalize("NFD", "김영희"), 3),  # typed on a Mac: jamo, one syllable each
        ("👨\u200d👩\u200d👧\u200d👦 할머니", 5),
        ("🇰🇷", 1),  # a flag is two regional indicators
        ("e\u0301", 1),  # a letter and its accent
        ("", 0),
    ],
)
def test_characters_are_counted_as_a_reader_sees_them(text: str, seen: int) -> None:
    assert visible_length(text) == seen


def test_fits_bounds_both_what_is_seen_and_what_is_stored() -> None:
    toned = "👨🏽\u200d👩🏽\u200d👧🏽\u200d👦🏽"
    assert len(toned) == MOST_CODE_POINTS_PER_CHARACTER and fits(toned * 3, 3)
    assert not fits(toned * 4, 3) and not fits("", 3) and fits("", 3, min_chars=0)
    assert not fits("가" + "\u0301" * 20, 1)  # one cluster, but absurdly many code points
