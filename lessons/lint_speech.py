"""How the linter suggests a written form be said (rule L4): phone numbers and emergency
numbers digit by digit, prices and dates in Sino-Korean numbers, hours in native ones,
letters by their Korean names, known words from a table (lessons/lint_words.py)."""

from __future__ import annotations

import re

from lessons.lint_words import DIGIT_NAMES, SPOKEN_FORMS, SYMBOLS

_LETTERS = (
    "에이 비 씨 디 이 에프 지 에이치 아이 제이 케이 엘 엠 엔 오 피 큐 알 에스 티 유 브이 "
    "더블유 엑스 와이 제트"
)

LETTER_NAMES = dict(zip("abcdefghijklmnopqrstuvwxyz", _LETTERS.split(), strict=True))
_NATIVE = "한 두 세 네 다섯 여섯 일곱 여덟 아홉 열 열한 열두".split()  # noqa: SIM905
_SINO_COUNTERS = ("원", "분", "일", "월", "층", "년", "초", "개월", "호", "동", "퍼센트")
_NATIVE_COUNTERS = ("시", "개", "명", "장", "대", "잔", "살", "자리", "정거장", "번째")
_COUNTERS = "|".join(sorted((*_SINO_COUNTERS, *_NATIVE_COUNTERS, "번"), key=len, reverse=True))

# one written thing the voice cannot say as written, in the order they are tried
UNSPOKEN = re.compile(
    r"(?P<phone>\d{2,4}-\d{3,4}-\d{4})"
    r"|(?P<time>\d{1,2}:\d{2})"
    rf"|(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<counter>\s?(?:{_COUNTERS}))?"
    r"|(?P<latin>[A-Za-z][A-Za-z0-9-]*)"
    rf"|(?P<symbol>[{re.escape(SYMBOLS)}])"
)


def digit_by_digit(number: str) -> str:
    """'010-1234-5678' → '공일공, 일이삼사, 오육칠팔'; '119' → '일일구'."""
    parts = [p for p in re.split(r"\D+", number) if p]
    return ", ".join("".join(DIGIT_NAMES[int(d)] for d in part) for part in parts)


def sino(number: int) -> str:
    """A number in Sino-Korean words: 3500 → '삼천오백', 12 → '십이', 0 → '영'."""
    if number == 0:
        return "영"
    words = ""
    for unit, name in ((10**8, "억"), (10**4, "만")):
        if number >= unit:
            head, number = divmod(number, unit)
            words += ("" if head == 1 and unit == 10**4 else sino(head)) + name
    for unit, name in ((1000, "천"), (100, "백"), (10, "십"), (1, "")):
        digit, number = divmod(number, unit)
        if digit:
            words += ("" if digit == 1 and name else DIGIT_NAMES[digit]) + name
    return words


def native(number: int) -> str:
    """A count in native Korean (한, 두, 세 … 열두); larger numbers in Sino-Korean."""
    return _NATIVE[number - 1] if 1 <= number <= 12 else sino(number)


def hour(number: int) -> str:
    return f"{native(number)} 시"


def read_number(written: str, counter: str) -> str:
    """How a number with its counter is said: 3,500원 → '삼천오백 원', 10시 → '열 시',
    8일 → '팔 일', 4자리 → '네 자리', 119 → '일일구', 273번 → '이칠삼 번' (a bus, a
    line or an emergency number is read digit by digit)."""
    value = int(written.replace(",", ""))
    counter = counter.strip()
    if counter in _NATIVE_COUNTERS and "," not in written:
        return f"{native(value)} {counter}"
    if "," in written or counter in _SINO_COUNTERS:
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
    """How the written thing an UNSPOKEN match found should be said."""
    if match.group("phone"):
        return digit_by_digit(match.group("phone"))
    if match.group("time"):
        hours, minutes = (int(p) for p in match.group("time").split(":"))
        return hour(hours) + (f" {sino(minutes)} 분" if minutes else "")
    if match.group("number"):
        return read_number(match.group("number"), match.group("counter") or "")
    if match.group("latin"):
        return say_latin(match.group("latin"))
    return SPOKEN_FORMS.get(match.group(), "말하는 대로 한글로")
