"""Hangul syllables from jamo, by Unicode's algorithm, and the jamo a learner has typed put
together into text the way a phone's keyboard shows them.

Letters here are Hangul Compatibility Jamo (ㄱ U+3131 … ㅣ U+3163), the characters a
keyboard's keys show and a lone consonant is written with. A precomposed syllable is
0xAC00 + (initial × 21 + medial) × 28 + final (The Unicode Standard, ch. 3.12, "Conjoining
Jamo Behavior"); tests/lessons/test_hangul.py checks `syllable` against Python's own NFC
composition of conjoining jamo for all 11,172 syllables.

No library does this part for us: the PyPI Hangul libraries (jamo 0.4.1 from 2017, hgtk
0.2.1, hangul-utils 0.4.5 from 2020) split and join whole syllables but have no typing
automaton, and the algorithm itself is the two lines below (see docs/keyboard.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

SYLLABLE_FIRST = 0xAC00
SYLLABLE_LAST = 0xD7A3

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"  # 19, in Unicode's order
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"  # 21
FINALS = (
    "",
    *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ",
)  # 28, the first being "no final"

# Two consonants that end one syllable together (겹받침), and two vowels typed one after the
# other that make one (두벌식: ㅗ then ㅏ is ㅘ). 천지인 builds its vowels from strokes instead.
DOUBLE_FINALS: Mapping[tuple[str, str], str] = {
    ("ㄱ", "ㅅ"): "ㄳ",
    ("ㄴ", "ㅈ"): "ㄵ",
    ("ㄴ", "ㅎ"): "ㄶ",
    ("ㄹ", "ㄱ"): "ㄺ",
    ("ㄹ", "ㅁ"): "ㄻ",
    ("ㄹ", "ㅂ"): "ㄼ",
    ("ㄹ", "ㅅ"): "ㄽ",
    ("ㄹ", "ㅌ"): "ㄾ",
    ("ㄹ", "ㅍ"): "ㄿ",
    ("ㄹ", "ㅎ"): "ㅀ",
    ("ㅂ", "ㅅ"): "ㅄ",
}
COMPOUND_VOWELS: Mapping[tuple[str, str], str] = {
    ("ㅗ", "ㅏ"): "ㅘ",
    ("ㅗ", "ㅐ"): "ㅙ",
    ("ㅗ", "ㅣ"): "ㅚ",
    ("ㅜ", "ㅓ"): "ㅝ",
    ("ㅜ", "ㅔ"): "ㅞ",
    ("ㅜ", "ㅣ"): "ㅟ",
    ("ㅡ", "ㅣ"): "ㅢ",
}
NO_COMPOUNDS: Mapping[tuple[str, str], str] = {}


def syllable(initial: str, medial: str, final: str = "") -> str:
    """The precomposed syllable of three jamo: syllable('ㄱ', 'ㅏ', 'ㄱ') == '각'."""
    index = (INITIALS.index(initial) * 21 + MEDIALS.index(medial)) * 28 + FINALS.index(final)
    return chr(SYLLABLE_FIRST + index)


def with_topic(word: str) -> str:
    """`word` with the topic particle its last syllable takes: 요약은, 안내는."""
    last = word[-1:]
    return word + ("은" if is_syllable(last) and jamo(last)[2] else "는")


def is_syllable(char: str) -> bool:
    return len(char) == 1 and SYLLABLE_FIRST <= ord(char) <= SYLLABLE_LAST


def jamo(char: str) -> tuple[str, str, str]:
    """The initial, medial and final ('' for none) of a precomposed syllable."""
    if not is_syllable(char):
        raise ValueError(f"not a Hangul syllable: {char!r}")
    index = ord(char) - SYLLABLE_FIRST
    return INITIALS[index // 588], MEDIALS[index // 28 % 21], FINALS[index % 28]


def split_final(final: str) -> tuple[str, ...]:
    """A final as the consonants typed for it: 'ㄺ' → ('ㄹ', 'ㄱ'), 'ㄱ' → ('ㄱ',)."""
    for pair, double in DOUBLE_FINALS.items():
        if double == final:
            return pair
    return (final,) if final else ()


def split_medial(medial: str) -> tuple[str, ...]:
    """A vowel as the 두벌식 vowel keys typed for it: 'ㅘ' → ('ㅗ', 'ㅏ')."""
    for pair, compound in COMPOUND_VOWELS.items():
        if compound == medial:
            return pair
    return (medial,)


def _vowel(letter: str | None) -> bool:
    return letter is not None and letter in MEDIALS


def _consonant(letter: str | None) -> bool:
    return letter is not None and letter in INITIALS


def blocks(
    letters: Sequence[str], compounds: Mapping[tuple[str, str], str] = COMPOUND_VOWELS
) -> list[tuple[str, int]]:
    """The typed `letters` as the characters a phone shows, each with how many letters it
    took: a consonant and a vowel make a syllable, which takes the consonants after it as its
    final (one, or two that make a double final) unless a vowel follows them, in which case
    the last of them begins the next syllable. Anything else (a lone consonant or vowel, the
    천지인 dots on their way to a vowel) is shown as it is."""
    shown: list[tuple[str, int]] = []
    at = 0

    def letter(i: int) -> str | None:
        return letters[i] if i < len(letters) else None

    while at < len(letters):
        first = letters[at]
        if not (_consonant(first) and _vowel(letter(at + 1))):
            vowel = compounds.get((first, letter(at + 1) or ""))
            shown.append((vowel, 2) if vowel else (first, 1))
            at += shown[-1][1]
            continue
        medial, used = letters[at + 1], 2
        compound = compounds.get((medial, letter(at + 2) or ""))
        if compound:
            medial, used = compound, 3
        final, taken = _final(letter(at + used), letter(at + used + 1), letter(at + used + 2))
        shown.append((syllable(first, medial, final), used + taken))
        at += used + taken
    return shown


def _final(one: str | None, two: str | None, three: str | None) -> tuple[str, int]:
    """The final a syllable takes from the next three letters, and how many it takes."""
    if one is None or one not in FINALS or _vowel(two):
        return "", 0  # no consonant that can end a syllable, or it begins the next one
    double = DOUBLE_FINALS.get((one, two or ""))
    if double and not _vowel(three):
        return double, 2
    return one, 1


def assemble(
    letters: Sequence[str], compounds: Mapping[tuple[str, str], str] = COMPOUND_VOWELS
) -> str:
    """The text a phone shows for the typed `letters` (see `blocks`)."""
    return "".join(text for text, _ in blocks(letters, compounds))
