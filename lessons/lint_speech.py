"""How the linter suggests a written form be said (rule L4): phone numbers and emergency
numbers digit by digit, prices and dates in Sino-Korean numbers, hours in native ones,
letters by their Korean names, known words from a table (lessons/lint_words.py)."""

from __future__ import annotations

import re

from lessons.korean_reading import (
    COUNTERS,
    LETTER_NAMES,
    NATIVE_COUNTERS,
    SINO_COUNTERS,
    digit_by_digit,
    native,
    read_match,
    sino,
)
from lessons.lint_words import SPOKEN_FORMS, SYMBOLS

# one written thing the voice cannot say as written, in the order they are tried (the
# linter knows more symbols than the voice reads: it asks the writer to write them out)
UNSPOKEN = re.compile(
    r"(?P<phone>\d{2,4}-\d{3,4}-\d{4})"
    r"|(?P<time>\d{1,2}:\d{2})"
    rf"|(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<counter>\s?(?:{COUNTERS}))?"
    r"|(?P<latin>[A-Za-z][A-Za-z0-9-]*)"
    rf"|(?P<symbol>[{re.escape(SYMBOLS)}])"
)


def read_number(written: str, counter: str) -> str:
    """How a number with its counter is said: 3,500원 → '삼천오백 원', 10시 → '열 시',
    8일 → '팔 일', 4자리 → '네 자리', 119 → '일일구', 273번 → '이칠삼 번' (a bus, a
    line or an emergency number is read digit by digit)."""
    value = int(written.replace(",", ""))
    counter = counter.strip()
    if counter in NATIVE_COUNTERS and "," not in written:
        return f"{native(value)} {counter}"
    if "," in written or counter in SINO_COUNTERS:
        return f"{sino(value)} {counter}".strip()
    if len(written) >= 3 or written.startswith("0"):
        return f"{digit_by_digit(written)} {counter}".strip()
    if counter == "번" and 1 <= value <= 12:
        return f"{native(value)} 번 (횟수) / {sino(value)} 번 (번호)"
    return f"{sino(value)} {counter}".strip()


def say_latin(word: str) -> str:
    """Latin letters: a known word from the table, a short acronym or a letter spelled out
    by the letters' Korean names (QR → 큐알, s → 에스), else a hint to write it as said."""
    known = SPOKEN_FORMS.get(word.lower())
    if known:
        return known
    if len(word) == 1 or (word.isupper() and len(word) <= 3):
        return "".join(LETTER_NAMES.get(c.lower(), c) for c in word)
    return "말하는 대로 한글로 (SEOUL → 서울)"


def suggestion(match: re.Match[str]) -> str:
    """How the written thing an UNSPOKEN match found should be said: the kiosk's reading,
    with both readings where a count and a number's name are written alike, and a hint
    where a Latin word or a symbol has to be written out."""
    if match.group("number"):
        return read_number(match.group("number"), match.group("counter") or "")
    if match.group("latin"):
        return say_latin(match.group("latin"))
    if match.group("symbol"):
        return SPOKEN_FORMS.get(match.group(), "말하는 대로 한글로")
    return read_match(match)  # a phone number or a time
