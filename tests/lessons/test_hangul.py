"""Hangul syllables from jamo, checked against Unicode's own composition (NFC)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from lessons.hangul import (
    FINALS,
    INITIALS,
    MEDIALS,
    assemble,
    jamo,
    split_final,
    split_medial,
    syllable,
)

# Unicode's conjoining jamo (U+1100…, U+1161…, U+11A8…), which NFC composes by itself
_L, _V, _T = 0x1100, 0x1161, 0x11A7


def test_every_syllable_is_unicodes_composition_of_its_jamo() -> None:
    for i, initial in enumerate(INITIALS):
        for v, medial in enumerate(MEDIALS):
            for t, final in enumerate(FINALS):
                conjoining = chr(_L + i) + chr(_V + v) + (chr(_T + t) if t else "")
                expected = unicodedata.normalize("NFC", conjoining)
                assert syllable(initial, medial, final) == expected
                assert ord(expected) == 0xAC00 + (i * 21 + v) * 28 + t
                assert jamo(expected) == (initial, medial, final)


def test_double_finals_and_compound_vowels_split_into_the_keys_typed() -> None:
    assert split_final("ㄺ") == ("ㄹ", "ㄱ")
    assert split_final("ㄱ") == ("ㄱ",)
    assert split_final("") == ()
    assert split_medial("ㅘ") == ("ㅗ", "ㅏ")
    assert split_medial("ㅏ") == ("ㅏ",)


def test_a_final_moves_to_the_next_syllable_when_a_vowel_follows() -> None:
    assert assemble(list("ㄱㅏㄱ")) == "각"
    assert assemble(list("ㄱㅏㄱㅏ")) == "가가"
    assert assemble(list("ㄷㅏㄹㄱ")) == "닭"
    assert assemble(list("ㄷㅏㄹㄱㅇㅣ")) == "닭이"
    assert assemble(list("ㄷㅏㄹㄱㅣ")) == "달기"
    assert assemble(list("ㄱㅗㅏ")) == "과"
    assert assemble(list("ㄱㄱ")) == "ㄱㄱ"
    assert assemble(list("ㅏ")) == "ㅏ"


syllables = st.integers(0xAC00, 0xD7A3).map(chr)


@given(st.lists(syllables, max_size=12))
def test_the_letters_of_any_syllables_assemble_back_into_them(text: list[str]) -> None:
    letters = [
        letter
        for ch in text
        for part in (
            (jamo(ch)[0],),
            split_medial(jamo(ch)[1]),
            split_final(jamo(ch)[2]),
        )
        for letter in part
    ]
    # a final never swallows the next syllable's first consonant: a vowel follows it
    assert assemble(letters) == "".join(text)
