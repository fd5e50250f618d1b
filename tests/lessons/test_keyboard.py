"""The keys that type a text on each layout, and whether a text can be typed at all: for
any Hangul text, the keys `keys_for` gives type exactly that text, and they are the keys
Unicode's own decomposition of its syllables calls for (plus, on 천지인, a space where the
same consonant key is pressed for two letters in a row)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from lessons.hangul_composer import CYCLES, SPACE, STROKES
from lessons.keyboard import DIGITS, LANGUAGE, SHIFT, Layout, Typing, can_type, keys_for

texts = st.text(st.sampled_from([*map(chr, range(0xAC00, 0xD7A4)), " "]), max_size=16)

# Unicode's conjoining jamo (NFD of a syllable) as compatibility jamo: the keys' letters
_INITIAL = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIAL = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINAL = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_PAIRS = "ㅗㅏㅗㅐㅗㅣㅜㅓㅜㅔㅜㅣㅡㅣ" + "ㄱㅅㄴㅈㄴㅎㄹㄱㄹㅁㄹㅂㄹㅅㄹㅌㄹㅍㄹㅎㅂㅅ"
_TWO_KEYS = dict(
    zip(
        "ㅘㅙㅚㅝㅞㅟㅢㄳㄵㄶㄺㄻㄼㄽㄾㄿㅀㅄ",
        [_PAIRS[i : i + 2] for i in range(0, 36, 2)],
        strict=True,
    )
)


def unicode_letters(char: str) -> list[str]:
    """The letters of a syllable from Unicode's decomposition (not from lessons.hangul)."""
    letters = []
    for part in unicodedata.normalize("NFD", char):
        code = ord(part)
        if code < 0x1161:
            letters.append(_INITIAL[code - 0x1100])
        elif code < 0x11A8:
            letters.append(_MEDIAL[code - 0x1161])
        else:
            letters.append(_FINAL[code - 0x11A8])
    return letters


def replay(keys: list[str], layout: Layout) -> str:
    typing = Typing(layout)
    for key in keys:
        assert key in typing.key_ids(), f"{key!r} is not on the {typing.page} page"
        typing.press(key)
    return typing.text


@given(texts)
def test_any_hangul_text_is_typed_by_its_dubeolsik_keys(text: str) -> None:
    keys = keys_for(text, "qwerty")
    assert keys is not None
    assert replay(keys, "qwerty") == text
    expected = [
        key
        for char in text
        for letter in ([SPACE] if char == " " else unicode_letters(char))
        for key in ([letter] if letter == SPACE else list(_TWO_KEYS.get(letter, letter)))
    ]
    assert [k for k in keys if k != SHIFT] == expected


@given(texts)
def test_any_hangul_text_is_typed_by_its_cheonjiin_keys(text: str) -> None:
    keys = keys_for(text, "cheonjiin")
    assert keys is not None
    assert replay(keys, "cheonjiin") == text
    presses: list[str] = []
    for char in text:
        if char == " ":
            presses.append(SPACE)
            continue
        initial, medial, *final = unicode_letters(char)
        finals = list(_TWO_KEYS.get(final[0], final[0])) if final else []
        for letter in [initial, medial, *finals]:
            if letter in STROKES:
                presses += list(STROKES[letter])
            else:
                key = next(k for k, cycle in CYCLES.items() if letter in cycle)
                presses += [key] * (CYCLES[key].index(letter) + 1)
    # the keys are these, with spaces added only to end a syllable: before the same
    # consonant key pressed again, and before a space typed after a syllable
    assert [k for k in keys if k != SPACE] == [k for k in presses if k != SPACE]
    for at, key in enumerate(keys):
        before = keys[at - 1] if at else None
        after = keys[at + 1] if at + 1 < len(keys) else None
        if key == SPACE and before not in (None, SPACE):
            assert after in (SPACE, before), keys


def test_the_practice_sentences_can_be_typed() -> None:
    assert keys_for("네 고마워요", "cheonjiin") == [
        *"ㄴㆍㅣㅣ", SPACE, SPACE, *"ㄱㆍㅡㅇㅇㅣㆍㅇㅡㆍㆍㅣㅇㆍㆍㅡ",
    ]  # fmt: skip
    assert keys_for("네 고마워요", "qwerty") == [*"ㄴㅔ", SPACE, *"ㄱㅗㅁㅏㅇㅜㅓㅇㅛ"]
    assert keys_for("학교", "cheonjiin") == [*"ㅅㅅㅣㆍㄱ", SPACE, *"ㄱㆍㆍㅡ"]
    assert keys_for("쌍둥이", "qwerty")[:2] == [SHIFT, "ㅆ"]  # type: ignore[index]
    assert keys_for("Wifi2024", "qwerty") == [
        LANGUAGE, SHIFT, "W", *"ifi", DIGITS, *"2024",
    ]  # fmt: skip
    assert keys_for("010", "numbers") == ["0", "1", "0"]


def test_what_a_layout_cannot_type() -> None:
    assert can_type("Wifi", "cheonjiin")  # 한/영 turns 천지인 to the English QWERTY page
    assert keys_for("seoul", "cheonjiin") == ["language", "s", "e", "o", "u", "l"]
    assert not can_type("네", "numbers")
    assert not can_type("ㄱ", "numbers")
    assert not can_type("010-1234", "numbers")  # the hyphens are the phone's, not typed
    assert not can_type("😀", "qwerty")
    assert can_type("네, 고마워요!", "cheonjiin")
    assert can_type("네, 고마워요?", "qwerty")
    assert not can_type("네!", "qwerty")  # no ! on this QWERTY's pages (a final one is
    # not needed: typed_answer_matches does not ask for it)
    assert can_type("", "numbers")


_HANGUL = [*map(chr, range(0xAC00, 0xD7A4))]
_LATIN = [*"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"]


@given(st.text(st.sampled_from([*_HANGUL, *"0123456789 "]), max_size=14))
def test_hangul_digits_and_spaces_are_typed_on_cheonjiin_page_by_page(text: str) -> None:
    keys = keys_for(text, "cheonjiin")
    assert keys is not None
    assert replay(keys, "cheonjiin") == text


@given(st.text(st.sampled_from([*_HANGUL, *_LATIN, *"0123456789 .,?"]), max_size=14))
def test_hangul_latin_digits_and_punctuation_are_typed_on_qwerty(text: str) -> None:
    keys = keys_for(text, "qwerty")
    assert keys is not None
    assert replay(keys, "qwerty") == text


@given(st.text(st.sampled_from("0123456789*#"), max_size=14))
def test_anything_a_dialling_pad_has_is_typed_on_it(text: str) -> None:
    keys = keys_for(text, "numbers")
    assert keys == list(text)
    assert replay(keys, "numbers") == text
