"""Typing on a number pad: digits, * and #, delete, and a phone number shown with hyphens
while it is typed, as Korean phones show it (010-1234-5678, 02-123-4567, 1588-1234)."""

from __future__ import annotations

from lessons.hangul_composer import BACKSPACE

PAD_KEYS = "0123456789*#"
MOBILE = ("010",)  # 11 digits since 2004: always 3-4-4, so no jump while typing
SERVICE = ("15", "16", "18")  # nationwide service numbers: 1588-1234


def format_phone(digits: str) -> str:
    """`digits` with hyphens where a Korean phone puts them as they are typed: the area or
    mobile code, then the exchange, then the last four. Anything else (112, a number with
    * or #, too many digits) is left as typed."""
    if not digits.isdigit():
        return digits
    if digits.startswith(SERVICE) and len(digits) <= 8:
        return _groups(digits, (4,))
    if not digits.startswith("0") or len(digits) > 11:
        return digits
    area = 2 if digits.startswith("02") else 3
    rest = digits[area:]
    # a three-digit exchange (031-123-4567) until an eighth digit says it has four
    middle = 4 if digits.startswith(MOBILE) or len(rest) >= 8 else 3
    return _groups(digits, (area, area + middle))


def _groups(digits: str, cuts: tuple[int, ...]) -> str:
    parts, start = [], 0
    for cut in (*cuts, len(digits)):
        if start < len(digits):
            parts.append(digits[start:cut])
        start = cut
    return "-".join(part for part in parts if part)


class NumberPad:
    """The digits typed so far; `text` is what the phone shows."""

    def __init__(self, phone_number: bool = False) -> None:
        self.digits = ""
        self.phone_number = phone_number

    @property
    def text(self) -> str:
        return format_phone(self.digits) if self.phone_number else self.digits

    def press(self, key: str) -> None:
        if key == BACKSPACE:
            self.digits = self.digits[:-1]
        elif key in PAD_KEYS and len(key) == 1:
            self.digits += key
