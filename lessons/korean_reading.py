"""How Korean reads what is written with digits, Latin letters and symbols, so that the voice
says it as a person would: 119 → 일일구, 010-1234-5678 → 공일공, 일이삼사, 오육칠팔,
10시 → 열 시, 오전 10:30 → 오전 열 시 삼십 분, 14:30 → 십사 시 삼십 분, 3,500원 → 삼천오백 원,
20명 → 스무 명, 1번 → 일 번, 100% → 백 퍼센트, 10km → 십 킬로미터, 3.5 → 삼 점 오,
Wi-Fi → 와이파이, QR → 큐알, E5 → 이오, + → 더하기; and the particle after what it rewrote
in the form that follows what is said ('10:00'을 → '열 시'를).

`read_aloud(text)` is applied to every Korean line before it is spoken (by the kiosk's voice
and, with the cues placed in the read text, by a robot), unless the writer gave the line's
spoken form (`speak:`), which is taken as written. The linter (lessons/lint_speech.py)
uses the same readers to suggest a spoken form. espeak-ng reads digits as one Sino-Korean
number (119 → 백십구) and Latin words with an English voice; this is what it gets instead.
"""

from __future__ import annotations

import re

from lessons.hangul import is_syllable, jamo

DIGIT_NAMES = "공일이삼사오육칠팔구"  # a number read digit by digit: 119 → 일일구, 0 → 공
_LETTERS = (
    "에이 비 씨 디 이 에프 지 에이치 아이 제이 케이 엘 엠 엔 오 피 큐 알 에스 티 유 브이 "
    "더블유 엑스 와이 제트"
)
LETTER_NAMES = dict(zip("abcdefghijklmnopqrstuvwxyz", _LETTERS.split(), strict=True))
_NATIVE = "한 두 세 네 다섯 여섯 일곱 여덟 아홉".split()  # noqa: SIM905
_NATIVE_TENS = "열 스물 서른 마흔 쉰 예순 일흔 여든 아흔".split()  # noqa: SIM905
SINO_COUNTERS = ("원", "분", "일", "월", "층", "년", "초", "개월", "호", "동", "퍼센트", "단계")
NATIVE_COUNTERS = ("시", "개", "명", "장", "대", "잔", "살", "자리", "정거장", "번째", "마리")
COUNTERS = "|".join(sorted((*SINO_COUNTERS, *NATIVE_COUNTERS, "번", "%"), key=len, reverse=True))
# a particle that has one form after a final consonant and another after a vowel: written
# for the digits (10:00을), it must follow what is said (열 시를)
# (longest first: 이라고 before 이)
PARTICLES = {
    "이라고": "라고",
    "이에요": "예요",
    "이랑": "랑",
    "이나": "나",
    "으로": "로",
    "을": "를",
    "은": "는",
    "이": "가",
    "과": "와",
}
# units after a number, said as a Korean reader says them (case matters: 5G is a network)
UNITS = {
    "km": "킬로미터",
    "m": "미터",
    "cm": "센티미터",
    "mm": "밀리미터",
    "kg": "킬로그램",
    "g": "그램",
    "ml": "밀리리터",
    "L": "리터",
    "GB": "기가바이트",
    "MB": "메가바이트",
    "KB": "킬로바이트",
}
# Latin words and symbols as a Korean voice should say them (what a writer would write out)
SAY_AS = {
    "wi-fi": "와이파이",
    "wifi": "와이파이",
    "qr": "큐알",
    "sms": "에스엠에스",
    "id": "아이디",
    "ok": "오케이",
    "atm": "에이티엠",
    "tv": "티브이",
    "pc": "피시",
    "usb": "유에스비",
    "app": "앱",
    "ktx": "케이티엑스",
    "srt": "에스알티",
    "lte": "엘티이",
    "5g": "파이브지",
    "a4": "에이포",
    "3d": "쓰리디",
    "seoul": "서울",  # 서울시 공공 와이파이의 이름 (SEOUL_Secure, seoul)
    "secure": "시큐어",
    "_": " ",  # SEOUL_Secure → 서울 시큐어
    "sos": "에스오에스",
    "+": " 더하기 ",
    "→": ", ",
    "#": " 샵 ",
    "*": " 별표 ",
    "@": " 골뱅이 ",
    "%": " 퍼센트",
    "&": " 그리고 ",
    "·": ", ",  # 장소·시간: a short pause, as a person reads it
}
_SYMBOLS = "".join(k for k in SAY_AS if len(k) == 1)

# one written thing the voice cannot say as written, in the order they are tried
UNSPOKEN = re.compile(
    r"(?P<phone>\d{2,4}-\d{3,4}-\d{4}|1\d{3}-\d{4})"  # 1588-1234: a service number
    r"|(?P<time>\d{1,2}:\d{2})"
    r"|(?P<decimal>\d+\.\d+)"
    r"|(?P<code>\d+[A-Za-z][A-Za-z0-9]*)"  # 5G, 3D: a Latin code that starts with digits
    rf"|(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<counter>\s?(?:{COUNTERS}))?"
    r"|(?P<latin>[A-Za-z](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*)"
    rf"|(?P<symbol>[{re.escape(_SYMBOLS)}])"
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
    """A count in native Korean before its counter (한, 두, 세 … 열두, 스무, 스물다섯 …
    아흔아홉); 100 and more in Sino-Korean, as they are said."""
    if not 1 <= number <= 99:
        return sino(number)
    tens, ones = divmod(number, 10)
    if number == 20:
        return "스무"
    return (_NATIVE_TENS[tens - 1] if tens else "") + (_NATIVE[ones - 1] if ones else "")


def hour(number: int) -> str:
    """An hour as said: 10 → 열 시, 14 → 십사 시 (past twelve, a 24-hour clock's number)."""
    return f"{native(number) if number <= 12 else sino(number)} 시"


def spoken_number(written: str, counter: str) -> str:
    """A number with its counter as said: 3,500원 → 삼천오백 원, 10시 → 열 시, 4자리 →
    네 자리, 1번 → 일 번 (a number's name, as quiz choices are read), 119 → 일일구 (three
    digits or more with no counter, or a leading 0: a phone, bus or emergency number)."""
    value = int(written.replace(",", ""))
    counter = "퍼센트" if counter.strip() == "%" else counter.strip()
    if counter == "시":
        return hour(value)
    if counter in NATIVE_COUNTERS and "," not in written:
        return f"{native(value)} {counter}"
    if "," in written or counter in SINO_COUNTERS or (counter == "번" and len(written) < 3):
        return f"{sino(value)} {counter}".strip()
    if len(written) >= 3 or written.startswith("0"):
        return f"{digit_by_digit(written)} {counter}".strip()
    return f"{sino(value)} {counter}".strip()


def read_match(match: re.Match[str]) -> str:
    """How one thing `UNSPOKEN` found is said."""
    if match.group("phone"):
        return digit_by_digit(match.group("phone"))
    if match.group("time"):
        hours, minutes = (int(p) for p in match.group("time").split(":"))
        return hour(hours) + (f" {sino(minutes)} 분" if minutes else "")
    if match.group("decimal"):  # 3.5 → 삼 점 오
        whole, fraction = match.group("decimal").split(".")
        return f"{sino(int(whole))} 점 {digit_by_digit(fraction)}"
    if match.group("number"):
        return spoken_number(match.group("number"), match.group("counter") or "")
    word = match.group()
    known = SAY_AS.get(word.lower())
    if known:
        return known
    if match.group("code"):  # 10km, 16GB: a number and its unit; 5G, 3D: a code
        digits = re.match(r"\d+", word).group()  # type: ignore[union-attr]
        letters = word[len(digits) :]
        if letters in UNITS:
            return f"{sino(int(digits))} {UNITS[letters]}"
        if len(digits) > 1 or not letters.isupper():  # 10G: 십 지
            return f"{sino(int(digits))} {_spell(letters)}"
    if _spelled(word):  # QR, E5 (a seat), A-1: letter by letter
        return _spell(word)
    return word  # a Latin word we do not know: the voice tries it (the linter reports it)


def _spell(word: str) -> str:
    """Letters and digits one by one: 'E5' → '이오', 'A-1' → '에이 일'."""
    said = (
        LETTER_NAMES.get(c.lower()) or (DIGIT_NAMES[int(c)] if c.isdigit() else " ") for c in word
    )
    return re.sub(r"\s+", " ", "".join(said)).strip()


def _spelled(word: str) -> bool:
    """A Latin word said letter by letter: one letter, or a short capitalised code of
    letters and digits (QR, ATM, E5, B12)."""
    letters = word.replace("-", "")
    return len(word) == 1 or (
        letters.isalnum() and letters.upper() == letters and len(letters) <= 4
    )


def _with_particle(said: str, rest: str) -> str:
    """`rest` with the particle at its start (after a closing quote) in the form that
    follows `said`'s last syllable: '열 시' + '을 누르세요' → '를 누르세요'."""
    last = said.rstrip()[-1:]
    if not is_syllable(last):
        return rest
    final = jamo(last)[2]
    quote = re.match(r"[\'\"’”」』)]*", rest)
    opening = quote.group() if quote else ""
    after = rest[len(opening) :]
    for consonant, vowel in PARTICLES.items():
        for written in (consonant, vowel):
            if not after.startswith(written) or re.match(r"[가-힣]", after[len(written) :]):
                continue
            right = consonant if final else vowel
            if vowel == "로" and final == "ㄹ":  # after ㄹ (일, 팔): 로
                right = vowel
            return opening + right + after[len(written) :]
    return rest


def read_aloud(text: str) -> str:
    """`text` (Korean) with digits, Latin abbreviations and symbols written as said, and
    a particle after them in the form that follows what is said."""
    matches = list(UNSPOKEN.finditer(text))
    if not matches:
        return text
    parts = [text[: matches[0].start()]]
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        said = read_match(match)
        between = text[match.end() : following.start() if following else len(text)]
        if not "가" <= match.group()[-1] <= "힣":  # a counter was written as it is said
            between = _with_particle(said, between)
        parts += [said, between]
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def reads_well(written: str, counter: str = "") -> bool:
    """Whether `read_aloud` says this written thing (a number with its counter, a Latin word
    or a symbol) the way it is meant. Not: an unknown Latin word (Galaxy: the writer must
    say 갤럭시), an unknown symbol, or 1–12 with 번, which may be a count (2번 누르세요 → 두 번)
    or a number's name (2번 → 이 번): the writer says which."""
    if written[:1].isdigit():
        value = written.replace(",", "").replace("-", "").replace(":", "")
        return not (counter.strip() == "번" and value.isdigit() and 1 <= int(value) <= 12)
    if written.lower() in SAY_AS:
        return True
    if written[:1].isalpha():
        return len(written) == 1 or (written.isupper() and len(written) <= 4)
    return False
