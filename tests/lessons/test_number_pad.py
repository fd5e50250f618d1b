"""The number pad: digits, delete, and phone numbers shown with hyphens while typed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lessons.hangul_composer import BACKSPACE
from lessons.number_pad import NumberPad, format_phone


def test_a_mobile_number_is_shown_3_4_4_as_it_is_typed() -> None:
    pad = NumberPad(phone_number=True)
    shown = []
    for digit in "01012345678":
        pad.press(digit)
        shown.append(pad.text)
    assert shown == [
        "0", "01", "010", "010-1", "010-12", "010-123", "010-1234", "010-1234-5",
        "010-1234-56", "010-1234-567", "010-1234-5678",
    ]  # fmt: skip


def test_area_codes_and_service_numbers() -> None:
    assert format_phone("021234567") == "02-123-4567"
    assert format_phone("0212345678") == "02-1234-5678"
    assert format_phone("0311234567") == "031-123-4567"
    assert format_phone("03112345678") == "031-1234-5678"
    assert format_phone("15881234") == "1588-1234"
    assert format_phone("112") == "112"
    assert format_phone("*123#") == "*123#"


def test_delete_takes_back_a_digit_not_a_hyphen() -> None:
    pad = NumberPad(phone_number=True)
    for key in "0101":
        pad.press(key)
    assert pad.text == "010-1"
    pad.press(BACKSPACE)
    assert pad.text == "010"
    pad.press(BACKSPACE)
    assert pad.digits == "01"


def test_without_phone_formatting_digits_are_shown_as_typed() -> None:
    pad = NumberPad()
    for key in "01012345678":
        pad.press(key)
    assert pad.text == "01012345678"


@given(st.text(st.sampled_from("0123456789"), max_size=14))
def test_formatting_only_adds_hyphens(digits: str) -> None:
    shown = format_phone(digits)
    assert shown.replace("-", "") == digits
    assert "--" not in shown and not shown.startswith("-") and not shown.endswith("-")
