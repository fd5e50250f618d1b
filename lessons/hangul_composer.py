"""Typing Hangul as a phone's keyboard does: 두벌식 (one key a letter) and 천지인 (consonant
keys pressed again to cycle, vowels built from the strokes ㅣ ㆍ ㅡ).

A composer holds the text already settled (`committed`) and the letters of the syllable
being written (`letters`), which `lessons.hangul.assemble` turns into what is shown. Once a
new syllable has its vowel, everything before it is settled: backspace then takes back
one letter of the syllable being written, and a whole character of settled text (as
libhangul, the engine of Linux's ibus-hangul, and Samsung's keyboard do: 가가 typed as
ㄱㅏㄱㅏ goes back to 가ㄱ, not to 각).

천지인 follows the national standard (2011, from the Samsung feature-phone layout) as
described in namu.wiki's "천지인 자판" (a consonant key pressed again gives the key's second
consonant, then its tensed one: ㄱ→ㅋ→ㄲ, ㄴ→ㄹ, ㅇ→ㅁ) and the open-source MIT-licensed
kys-zeda/chunjiin (2014), read for the details: ㆍ pressed a third time goes back to ㆍ;
backspace takes back a whole vowel; the space key first ends the syllable being written
(so that 학교 is not 하쿄: ㅅㅅㅣㆍㄱ, space, ㄱㅛ…) and types a space only when nothing is
being written.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from lessons.hangul import COMPOUND_VOWELS, MEDIALS, NO_COMPOUNDS, blocks

SPACE = "space"
BACKSPACE = "backspace"

# 천지인's consonant keys, named by their first consonant, and what pressing again gives
CYCLES = {
    "ㄱ": "ㄱㅋㄲ",
    "ㄴ": "ㄴㄹ",
    "ㄷ": "ㄷㅌㄸ",
    "ㅂ": "ㅂㅍㅃ",
    "ㅅ": "ㅅㅎㅆ",
    "ㅈ": "ㅈㅊㅉ",
    "ㅇ": "ㅇㅁ",
}
STROKE_KEYS = "ㅣㆍㅡ"
DOT, DOTS = "ㆍ", "‥"  # one or two ㆍ strokes not yet a vowel (shown as kys-zeda/chunjiin does)
# every vowel as its 천지인 strokes (천 ㆍ the sky, 지 ㅡ the earth, 인 ㅣ a person)
STROKES = {
    "ㅣ": "ㅣ",
    "ㅏ": "ㅣㆍ",
    "ㅑ": "ㅣㆍㆍ",
    "ㅐ": "ㅣㆍㅣ",
    "ㅒ": "ㅣㆍㆍㅣ",
    "ㅓ": "ㆍㅣ",
    "ㅕ": "ㆍㆍㅣ",
    "ㅔ": "ㆍㅣㅣ",
    "ㅖ": "ㆍㆍㅣㅣ",
    "ㅗ": "ㆍㅡ",
    "ㅛ": "ㆍㆍㅡ",
    "ㅚ": "ㆍㅡㅣ",
    "ㅘ": "ㆍㅡㅣㆍ",
    "ㅙ": "ㆍㅡㅣㆍㅣ",
    "ㅡ": "ㅡ",
    "ㅜ": "ㅡㆍ",
    "ㅠ": "ㅡㆍㆍ",
    "ㅟ": "ㅡㆍㅣ",
    "ㅝ": "ㅡㆍㆍㅣ",
    "ㅞ": "ㅡㆍㆍㅣㅣ",
    "ㅢ": "ㅡㅣ",
    DOT: "ㆍ",
    DOTS: "ㆍㆍ",
}
_BY_STROKES = {strokes: vowel for vowel, strokes in STROKES.items()}
PUNCTUATION = ".,?!"  # 천지인's punctuation key, cycling like a consonant key


class Composer(ABC):
    """Text typed key by key; `text` is what the phone shows."""

    compounds = COMPOUND_VOWELS

    def __init__(self) -> None:
        self.committed = ""
        self.letters: list[str] = []
        self.last_key: str | None = None

    @property
    def text(self) -> str:
        return self.committed + "".join(shown for shown, _ in blocks(self.letters, self.compounds))

    @property
    def composing(self) -> bool:
        """True while a syllable is being written (backspace takes back one letter)."""
        return bool(self.letters)

    def press(self, key: str) -> None:
        if key == BACKSPACE:
            self.backspace()
        elif key == SPACE:
            self.space()
        elif not self.type_letter(key):
            self.commit()
            self.committed += key  # a digit, a Latin letter, punctuation: as it is
        self.last_key = key
        self._settle()

    @abstractmethod
    def type_letter(self, key: str) -> bool:
        """Take a jamo key; False when `key` is not one of this keyboard's letter keys."""

    def space(self) -> None:
        self.commit()
        self.committed += " "

    def backspace(self) -> None:
        if self.letters:
            self.letters.pop()
        else:
            self.committed = self.committed[:-1]

    def commit(self) -> None:
        """Settle the syllable being written (the phone's composing underline goes)."""
        self.committed = self.text
        self.letters = []

    def _settle(self) -> None:
        """Once the last syllable has its vowel, nothing before it can change: settle it."""
        shown = blocks(self.letters, self.compounds)
        if len(shown) < 2 or not any(ch in MEDIALS for ch in self.letters[-shown[-1][1] :]):
            return
        before = len(self.letters) - shown[-1][1]
        self.committed += "".join(text for text, _ in shown[:-1])
        self.letters = self.letters[before:]


class Dubeolsik(Composer):
    """두벌식: every key is one letter (shift gives ㄲ ㄸ ㅃ ㅆ ㅉ ㅒ ㅖ)."""

    def type_letter(self, key: str) -> bool:
        if len(key) == 1 and 0x3131 <= ord(key) <= 0x3163:
            self.letters.append(key)
            return True
        return False


class Cheonjiin(Composer):
    """천지인: seven consonant keys that cycle, and the three vowel strokes ㅣ ㆍ ㅡ."""

    compounds = NO_COMPOUNDS  # its vowels are whole units, built from strokes

    def type_letter(self, key: str) -> bool:
        if key in CYCLES:
            self._consonant(CYCLES[key], again=self.last_key == key)
        elif key in STROKE_KEYS:
            self._stroke(key)
        elif key == PUNCTUATION[0]:
            self._punctuation(again=self.last_key == key)
        else:
            return False
        return True

    def _consonant(self, cycle: str, again: bool) -> None:
        if again and self.letters and self.letters[-1] in cycle:
            now = cycle.index(self.letters[-1])
            self.letters[-1] = cycle[(now + 1) % len(cycle)]
        else:
            self.letters.append(cycle[0])

    def _stroke(self, stroke: str) -> None:
        last = self.letters[-1] if self.letters else ""
        longer = _BY_STROKES.get(STROKES.get(last, "-") + stroke)
        if last == DOTS and stroke == DOT:
            self.letters[-1] = DOT  # a third ㆍ goes round to one
        elif longer:
            self.letters[-1] = longer
        else:
            self.letters.append(_BY_STROKES[stroke])

    def _punctuation(self, again: bool) -> None:
        if again and not self.letters and self.committed[-1:] in PUNCTUATION:
            now = PUNCTUATION.index(self.committed[-1])
            self.committed = self.committed[:-1] + PUNCTUATION[(now + 1) % len(PUNCTUATION)]
        else:
            self.commit()
            self.committed += PUNCTUATION[0]

    def space(self) -> None:
        if self.letters:
            self.commit()  # the first press only ends the syllable (학, space, 교)
        else:
            self.committed += " "
