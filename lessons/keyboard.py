"""A phone's on-screen keyboard without the screen: its layouts (천지인, 두벌식 QWERTY, a
number pad), the keys shown on each page, what pressing them types, and whether a text can
be typed on a layout at all (`can_type`, which a lesson's checker uses).

The Kivy widget (kiosk_app/widgets/keyboard.py) draws `Typing.rows()` and hands every touch
to `Typing.press`; nothing here knows about Kivy.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from lessons.hangul import is_syllable, jamo, split_final, split_medial
from lessons.hangul_composer import (
    BACKSPACE,
    CYCLES,
    PUNCTUATION,
    SPACE,
    STROKES,
    Cheonjiin,
    Composer,
    Dubeolsik,
)
from lessons.number_pad import NumberPad

Layout = Literal["cheonjiin", "qwerty", "numbers"]
LAYOUTS: tuple[Layout, ...] = ("cheonjiin", "qwerty", "numbers")
Page = Literal["hangul", "english", "digits", "numbers"]

# keys that type nothing themselves
ENTER = "enter"
SHIFT = "shift"
LANGUAGE = "language"  # 한/영
DIGITS = "digits"  # 123: the page of digits
LETTERS = "letters"  # back from the digits to the letters


@dataclass(frozen=True)
class Key:
    """One key: what it sends (`id`), what it shows, and how many columns wide it is."""

    id: str
    label: str
    span: float = 1.0


def _keys(ids: str) -> list[Key]:
    return [Key(ch, ch) for ch in ids.split()]


_SPACE_KEY = Key(SPACE, "띄어쓰기", 2)
_BACK_KEY = Key(BACKSPACE, "←")
_ENTER_KEY = Key(ENTER, "완료")

# Samsung's 3 × 4 천지인 grid, with the fourth column for backspace, enter and punctuation
# and a bottom row for the digits, 한/영, ㅇㅁ (the feature phone's 0) and space. 한/영 turns
# to the English QWERTY page, as Samsung Keyboard does (a Wi-Fi password, an e-mail).
CHEONJIIN_ROWS: list[list[Key]] = [
    [Key("ㅣ", "ㅣ"), Key("ㆍ", "ㆍ"), Key("ㅡ", "ㅡ"), _BACK_KEY],
    [Key("ㄱ", "ㄱㅋ"), Key("ㄴ", "ㄴㄹ"), Key("ㄷ", "ㄷㅌ"), _ENTER_KEY],
    [Key("ㅂ", "ㅂㅍ"), Key("ㅅ", "ㅅㅎ"), Key("ㅈ", "ㅈㅊ"), Key(PUNCTUATION[0], PUNCTUATION)],
    [Key(DIGITS, "123"), Key(LANGUAGE, "한/영"), Key("ㅇ", "ㅇㅁ"), Key(SPACE, "빈칸")],
]

# 두벌식 as on Korean phones (KS X 5002); shift gives the tensed consonants and ㅒ ㅖ
_QWERTY_BOTTOM = [
    Key(DIGITS, "123", 1.5),
    Key(LANGUAGE, "한/영", 1.5),
    Key(",", ","),
    Key(SPACE, "띄어쓰기", 3),
    Key(".", "."),
    Key(ENTER, "완료", 2),
]
HANGUL_ROWS: list[list[Key]] = [
    _keys("ㅂ ㅈ ㄷ ㄱ ㅅ ㅛ ㅕ ㅑ ㅐ ㅔ"),
    _keys("ㅁ ㄴ ㅇ ㄹ ㅎ ㅗ ㅓ ㅏ ㅣ"),
    [Key(SHIFT, "⇧", 1.5), *_keys("ㅋ ㅌ ㅊ ㅍ ㅠ ㅜ ㅡ"), Key(BACKSPACE, "←", 1.5)],
    _QWERTY_BOTTOM,
]
SHIFTED = dict(zip("ㅂㅈㄷㄱㅅㅐㅔ", "ㅃㅉㄸㄲㅆㅒㅖ", strict=True))
ENGLISH_ROWS: list[list[Key]] = [
    _keys("q w e r t y u i o p"),
    _keys("a s d f g h j k l"),
    [Key(SHIFT, "⇧", 1.5), *_keys("z x c v b n m"), Key(BACKSPACE, "←", 1.5)],
    _QWERTY_BOTTOM,
]
DIGIT_ROWS: list[list[Key]] = [
    [*_keys("1 2 3"), _BACK_KEY],
    [*_keys("4 5 6"), _ENTER_KEY],
    [*_keys("7 8 9"), Key("?", "?")],
    [Key(LETTERS, "가"), Key("0", "0"), _SPACE_KEY],
]
# a phone's dialling pad: 3 × 4 with delete and enter beside it
NUMBER_ROWS: list[list[Key]] = [
    [*_keys("1 2 3"), _BACK_KEY],
    [*_keys("4 5 6"), _ENTER_KEY],
    _keys("7 8 9"),
    _keys("* 0 #"),
]


class Typing:
    """What a learner types on one layout: the page shown, shift, and the text."""

    def __init__(self, layout: Layout, phone_number: bool = False) -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"unknown keyboard layout {layout!r}: one of {LAYOUTS}")
        self.layout = layout
        self.page: Page = "numbers" if layout == "numbers" else "hangul"
        self.shift = False
        self._letters: Page = self.page  # the letters page to go back to from the digits
        self.composer: Composer | NumberPad
        if layout == "numbers":
            self.composer = NumberPad(phone_number)
        else:
            self.composer = Cheonjiin() if layout == "cheonjiin" else Dubeolsik()

    @property
    def text(self) -> str:
        return self.composer.text

    def rows(self) -> list[list[Key]]:
        """The keys shown now, row by row (shift applied)."""
        if self.page == "numbers":
            return NUMBER_ROWS
        if self.page == "digits":
            return DIGIT_ROWS
        if self.layout == "cheonjiin" and self.page == "hangul":
            return CHEONJIIN_ROWS
        rows = HANGUL_ROWS if self.page == "hangul" else ENGLISH_ROWS
        return [[self._shifted(key) for key in row] for row in rows] if self.shift else rows

    def _shifted(self, key: Key) -> Key:
        if self.page == "english" and len(key.id) == 1 and key.id.isalpha():
            return Key(key.id.upper(), key.label.upper(), key.span)
        double = SHIFTED.get(key.id)
        return Key(double, double, key.span) if double else key

    def press(self, key: str) -> bool:
        """Press the key `key` (a Key's id); True when it was enter (the text is sent)."""
        if key == ENTER:
            if isinstance(self.composer, Composer):
                self.composer.commit()
            return True
        if key == SHIFT:
            self.shift = not self.shift
        elif key == LANGUAGE:
            self._turn_to("english" if self.page == "hangul" else "hangul")
        elif key == DIGITS:
            self._letters = self.page
            self._turn_to("digits")
        elif key == LETTERS:
            self._turn_to(self._letters)
        else:
            self.composer.press(key)
            self.shift = False  # as on a phone, shift holds for one letter
        return False

    def _turn_to(self, page: Page) -> None:
        if isinstance(self.composer, Composer):
            self.composer.commit()
        self.page, self.shift = page, False

    def key_ids(self) -> set[str]:
        """Every key id on the page shown."""
        return {key.id for row in self.rows() for key in row}


def keys_for(text: str, layout: Layout) -> list[str] | None:
    """The keys to press, in order, to type `text` on `layout`; None when it cannot be."""
    typing = Typing(layout)
    pressed: list[str] = []
    for end, char in enumerate(text, start=1):
        for attempt in _attempts(typing, char):
            trial = copy.deepcopy(typing)
            if _press_all(trial, attempt) and trial.text == text[:end]:
                typing = trial
                pressed += attempt
                break
        else:
            return None
    return pressed


def _press_all(typing: Typing, keys: list[str]) -> bool:
    """Press `keys` in turn; False as soon as one is not on the page shown."""
    for key in keys:
        if key not in typing.key_ids():
            return False
        typing.press(key)
    return True


def can_type(text: str, layout: Layout) -> bool:
    """True when `text` can be typed on `layout` (what a lesson asks for must be)."""
    return keys_for(text, layout) is not None


def _attempts(typing: Typing, char: str) -> Iterator[list[str]]:
    """Ways of typing `char` next: its keys from each page that has them, and for 천지인
    the same after a space that ends the syllable being written (학, space, 교)."""
    for turn in _page_turns(typing):
        for keys in _char_keys(typing.layout, char, turn[-1] if turn else typing.page):
            yield [*turn[:-1], *keys] if turn else keys
            if typing.layout == "cheonjiin":
                yield [*turn[:-1], SPACE, *keys] if turn else [SPACE, *keys]


def _page_turns(typing: Typing) -> Iterator[list[str]]:
    """Key presses that bring each page on screen, the page last (none for the page shown)."""
    yield []
    if typing.layout == "numbers":
        return
    if typing.page == "digits":
        yield [LETTERS, typing._letters]
        other = "english" if typing._letters == "hangul" else "hangul"
        yield [LETTERS, LANGUAGE, other]
    else:
        yield [DIGITS, "digits"]
        other = "english" if typing.page == "hangul" else "hangul"
        yield [LANGUAGE, other]


def _char_keys(layout: Layout, char: str, page: str) -> Iterator[list[str]]:
    """The keys that type `char` on `page` of `layout`, if it has them."""
    if page == "numbers":
        if char in "0123456789*#":
            yield [char]
    elif page == "digits":
        if char in "0123456789?" or char == " ":
            yield [SPACE if char == " " else char]
    elif char == " ":
        yield [SPACE]
    elif page == "english":
        if char.isascii() and char.isalpha():
            yield [SHIFT, char] if char.isupper() else [char]
        elif char in ",.":
            yield [char]
    elif is_syllable(char):
        yield _syllable_keys(layout, char)
    elif layout == "cheonjiin" and char in PUNCTUATION:
        yield [PUNCTUATION[0]] * (PUNCTUATION.index(char) + 1)
    elif layout == "qwerty" and char in ",.":
        yield [char]


def _syllable_keys(layout: Layout, char: str) -> list[str]:
    initial, medial, final = jamo(char)
    if layout == "qwerty":
        return [
            *_dubeolsik_key(initial),
            *(key for vowel in split_medial(medial) for key in _dubeolsik_key(vowel)),
            *(key for consonant in split_final(final) for key in _dubeolsik_key(consonant)),
        ]
    consonants = [initial, *split_final(final)]
    presses = [_cheonjiin_presses(c) for c in consonants]
    return [*presses[0], *STROKES[medial], *(k for p in presses[1:] for k in p)]


def _dubeolsik_key(letter: str) -> list[str]:
    """두벌식 keys for one letter: shift first for the tensed ones and ㅒ ㅖ."""
    return [SHIFT, letter] if letter in SHIFTED.values() else [letter]


def _cheonjiin_presses(consonant: str) -> list[str]:
    """천지인 presses for one consonant: its key, as many times as its place in the cycle."""
    for key, cycle in CYCLES.items():
        if consonant in cycle:
            return [key] * (cycle.index(consonant) + 1)
    raise ValueError(f"not a consonant: {consonant!r}")
