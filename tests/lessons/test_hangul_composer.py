"""Typing Hangul key by key, as a phone's 두벌식 and 천지인 keyboards do."""

from __future__ import annotations

from lessons.hangul import syllable
from lessons.hangul_composer import BACKSPACE, SPACE, Cheonjiin, Composer, Dubeolsik


def typed(composer: Composer, keys: list[str] | str) -> str:
    for key in keys:
        composer.press(key)
    return composer.text


def dubeolsik(keys: list[str] | str) -> str:
    return typed(Dubeolsik(), keys)


def cheonjiin(keys: list[str] | str) -> str:
    return typed(Cheonjiin(), keys)


def test_dubeolsik_moves_a_final_to_the_next_syllable() -> None:
    assert dubeolsik("ㄱㅏㄱ") == "각"
    assert dubeolsik("ㄱㅏㄱㅏ") == "가가"
    assert dubeolsik("ㄱㅏㄱㅅ") == "갃"
    assert dubeolsik("ㄱㅏㄱㅅㅏ") == "각사"
    assert dubeolsik("ㄷㅏㄹㄱㅇㅣ") == "닭이"


def test_dubeolsik_compound_vowels_and_double_finals() -> None:
    assert dubeolsik("ㄱㅗㅏ") == "과"
    assert dubeolsik("ㅇㅗㅐ") == "왜"
    assert dubeolsik("ㅇㅜㅓㄴ") == "원"
    assert dubeolsik("ㅇㅡㅣ") == "의"
    assert dubeolsik("ㅇㅏㄴㅈ") == "앉"
    assert dubeolsik("ㅇㅏㄴㅎ") == "않"
    assert dubeolsik("ㄱㅏㅂㅅ") == "값"
    assert dubeolsik("ㅉㅏㄹㅂ") == "짧"


def test_dubeolsik_backspace_takes_back_one_letter_then_whole_characters() -> None:
    composer = Dubeolsik()
    assert typed(composer, "ㄷㅏㄹㄱ") == "닭"
    assert typed(composer, [BACKSPACE]) == "달"
    assert typed(composer, [BACKSPACE]) == "다"
    assert typed(composer, [BACKSPACE]) == "ㄷ"
    assert typed(composer, [BACKSPACE]) == ""
    composer = Dubeolsik()
    assert typed(composer, "ㄱㅗㅏ") == "과"
    assert typed(composer, [BACKSPACE]) == "고"
    # once the next syllable has its vowel the one before is settled (libhangul, Samsung)
    composer = Dubeolsik()
    assert typed(composer, "ㄱㅏㄱㅏ") == "가가"
    assert typed(composer, [BACKSPACE]) == "가ㄱ"
    assert typed(composer, [BACKSPACE, BACKSPACE]) == ""


def test_dubeolsik_space_and_other_keys_end_the_syllable() -> None:
    assert dubeolsik(["ㄴ", "ㅔ", SPACE, "ㄱ", "ㅗ"]) == "네 고"
    assert dubeolsik(["ㄴ", "ㅔ", ".", "ㅇ", "ㅏ"]) == "네.아"


def test_cheonjiin_vowels_from_strokes() -> None:
    strokes = {
        "ㅏ": "ㅣㆍ",
        "ㅓ": "ㆍㅣ",
        "ㅗ": "ㆍㅡ",
        "ㅜ": "ㅡㆍ",
        "ㅑ": "ㅣㆍㆍ",
        "ㅕ": "ㆍㆍㅣ",
        "ㅛ": "ㆍㆍㅡ",
        "ㅠ": "ㅡㆍㆍ",
        "ㅐ": "ㅣㆍㅣ",
        "ㅔ": "ㆍㅣㅣ",
        "ㅘ": "ㆍㅡㅣㆍ",
        "ㅙ": "ㆍㅡㅣㆍㅣ",
        "ㅚ": "ㆍㅡㅣ",
        "ㅝ": "ㅡㆍㆍㅣ",
        "ㅞ": "ㅡㆍㆍㅣㅣ",
        "ㅟ": "ㅡㆍㅣ",
        "ㅢ": "ㅡㅣ",
    }
    for vowel, keys in strokes.items():
        assert cheonjiin(["ㅇ", *keys]) == syllable("ㅇ", vowel)
        assert cheonjiin(keys) == vowel
    assert cheonjiin("ㆍ") == "ㆍ"
    assert cheonjiin("ㆍㆍ") == "‥"
    assert cheonjiin("ㆍㆍㆍ") == "ㆍ"  # a third dot goes round


def test_cheonjiin_consonant_keys_cycle() -> None:
    assert cheonjiin("ㄱ") == "ㄱ"
    assert cheonjiin("ㄱㄱ") == "ㅋ"
    assert cheonjiin("ㄱㄱㄱ") == "ㄲ"
    assert cheonjiin("ㄱㄱㄱㄱ") == "ㄱ"
    assert cheonjiin("ㄴㄴ") == "ㄹ"
    assert cheonjiin("ㄷㄷㄷ") == "ㄸ"
    assert cheonjiin("ㅂㅂ") == "ㅍ"
    assert cheonjiin("ㅅㅅ") == "ㅎ"
    assert cheonjiin("ㅅㅅㅅ") == "ㅆ"
    assert cheonjiin("ㅈㅈ") == "ㅊ"
    assert cheonjiin("ㅇㅇ") == "ㅁ"
    assert cheonjiin("ㅇㅇㅇ") == "ㅇ"


def test_cheonjiin_words() -> None:
    # namu.wiki's example: 나무위키 is ㄴㅣㆍㅇㅇㅡㆍㅇㅡㆍㅣㄱㄱㅣ
    assert cheonjiin("ㄴㅣㆍㅇㅇㅡㆍㅇㅡㆍㅣㄱㄱㅣ") == "나무위키"
    assert cheonjiin("ㄴㆍㅣㅣ") == "네"
    assert cheonjiin("ㄱㆍㅡㅇㅇㅣㆍㅇㅡㆍㆍㅣㅇㆍㆍㅡ") == "고마워요"
    assert cheonjiin("ㅇㅣㆍㄴㅅㅅ") == "않"  # the cycled ㅎ joins ㄴ as a double final
    assert cheonjiin("ㅇㅣㆍㄴㅅㅅㅇㅣㆍ") == "않아"
    assert cheonjiin("ㄱㅣㆍㅂㅅ") == "값"
    assert cheonjiin("ㄷㅣㆍㄴㄴㄱ") == "닭"


def test_cheonjiin_dots_wait_for_a_vowel_before_the_final_moves() -> None:
    composer = Cheonjiin()
    assert typed(composer, "ㄱㅣㆍㄱㆍ") == "각ㆍ"
    assert typed(composer, "ㅡ") == "가고"


def test_cheonjiin_space_first_ends_the_syllable_then_types_a_space() -> None:
    assert cheonjiin(["ㅅ", "ㅅ", "ㅣ", "ㆍ", "ㄱ", "ㄱ", "ㆍ", "ㆍ", "ㅡ"]) == "하쿄"
    assert cheonjiin(["ㅅ", "ㅅ", "ㅣ", "ㆍ", "ㄱ", SPACE, "ㄱ", "ㆍ", "ㆍ", "ㅡ"]) == "학교"
    assert cheonjiin(["ㄴ", "ㆍ", "ㅣ", "ㅣ", SPACE]) == "네"
    assert cheonjiin(["ㄴ", "ㆍ", "ㅣ", "ㅣ", SPACE, SPACE]) == "네 "


def test_cheonjiin_punctuation_key_cycles() -> None:
    assert cheonjiin(["ㄴ", "ㆍ", "ㅣ", "ㅣ", "."]) == "네."
    assert cheonjiin(["ㄴ", "ㆍ", "ㅣ", "ㅣ", ".", "."]) == "네,"
    assert cheonjiin(["ㄴ", "ㆍ", "ㅣ", "ㅣ", ".", ".", "."]) == "네?"
    assert cheonjiin(["ㄴ", "ㆍ", "ㅣ", "ㅣ", ".", ".", ".", "."]) == "네!"


def test_cheonjiin_backspace_takes_back_a_whole_vowel_or_consonant() -> None:
    composer = Cheonjiin()
    assert typed(composer, "ㄱㄱㅣㆍ") == "카"
    assert typed(composer, [BACKSPACE]) == "ㅋ"
    assert typed(composer, [BACKSPACE]) == ""
    # after backspace, the same consonant key begins a new letter instead of cycling
    composer = Cheonjiin()
    assert typed(composer, ["ㄱ", "ㅣ", "ㆍ", "ㄱ", BACKSPACE, "ㄱ"]) == "각"
