"""Lines said otherwise than shown (`speak:`), and bracket text in lines."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from lessons.cues import Cue
from lessons.texts import Line

PHONE = {
    "ko": "010-1234-5678로 걸어요",
    "en": "Call 010-1234-5678",
    "speak": {"ko": "공일공, 일이삼사, 오육칠팔로 [pause] 걸어요 [nod]"},
}


def test_a_line_is_shown_as_written_and_said_as_its_speak_form() -> None:
    line = Line.model_validate(PHONE)
    assert line.shown("ko") == "010-1234-5678로 걸어요"
    assert line.spoken("ko") == "공일공, 일이삼사, 오육칠팔로 걸어요"
    assert line.parsed("ko").cues == ((len(line.spoken("ko")), Cue("nod")),)
    assert line.speech("ko") == PHONE["speak"]["ko"]  # type: ignore[index]


def test_a_language_without_its_own_speak_form_is_read_as_written() -> None:
    """English as written (the English voice reads it); Korean as a person reads what is
    written (lessons/korean_reading.py)."""
    line = Line.model_validate(PHONE)
    assert line.spoken("en") == line.shown("en") == "Call 010-1234-5678"
    english = Line.model_validate({**PHONE, "speak": {"en": "Call zero one zero"}})
    assert english.spoken("en") == "Call zero one zero"
    assert english.spoken("ko") == "공일공, 일이삼사, 오육칠팔로 걸어요"


def test_a_line_without_english_is_said_in_korean_in_english_too() -> None:
    line = Line.model_validate({"ko": "서울 12가 3456", "speak": {"ko": "서울 십이가 삼사오육"}})
    assert line.spoken("en") == "서울 십이가 삼사오육"
    assert line.shown("en") == "서울 12가 3456"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ko": "걸어요 [nod]", "speak": {"ko": "걸어요"}}, "put the robot cues and pauses"),
        ({"ko": "걸어요", "speak": {"en": "call"}}, "'speak.en' needs 'en'"),
        ({"ko": "걸어요", "speak": {}}, "give 'ko' or 'en'"),
        ({"ko": "걸어요", "speak": {"ko": "[dance]"}}, "unknown cue"),
    ],
)
def test_speak_mistakes_are_named(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Line.model_validate(data)


def test_doubled_brackets_show_a_button_name_and_are_not_said() -> None:
    line = Line.model_validate("[[보내기]]를 누르세요 [point:screen]")
    assert line.shown("ko") == "[보내기]를 누르세요"
    assert line.spoken("ko") == "보내기를 누르세요"
