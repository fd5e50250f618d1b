from __future__ import annotations

from lessons.cues import parse_line
from lessons.texts import Line
from robot_bridge.protocol.robot_messages import Mark, SayArgs
from robot_bridge.robots.say_plan import Act, acts_of, marks_of
from robot_bridge.robots.speech_timing import speech_seconds

LINE = parse_line("안녕하세요 [bow] 오늘은 [pause:1] 전화를 배워요. [point:screen]")


def test_marks_sit_where_the_cues_are_in_the_spoken_text() -> None:
    text = LINE.spoken_text
    marks = marks_of(LINE)
    assert [m.at for m in marks] == [LINE.cues[0][0], 9, len(text)]
    assert text[: marks[0].at] == "안녕하세요"
    assert text[: marks[1].at] == "안녕하세요 오늘은" and marks[1].pause == 1.0
    assert marks[2].point == "screen"


def test_cues_the_robot_cannot_do_are_left_out_but_pauses_stay() -> None:
    marks = marks_of(LINE, capabilities={"say", "point:screen"})
    assert [(m.gesture, m.point, m.pause) for m in marks] == [
        (None, None, 1.0),
        (None, "screen", None),
    ]


def test_a_robot_acts_the_marks_between_pieces_of_speech() -> None:
    args = SayArgs(text=LINE.spoken_text, marks=marks_of(LINE))
    assert acts_of(args) == [
        Act("speak", "안녕하세요"),
        Act("gesture", "bow"),
        Act("speak", "오늘은"),
        Act("pause", seconds=1.0),
        Act("speak", "전화를 배워요."),
        Act("point", "screen"),
    ]


def test_a_line_without_marks_is_one_piece_of_speech() -> None:
    assert acts_of(SayArgs(text="안녕", marks=[Mark(at=0, gesture="wave")])) == [
        Act("gesture", "wave"),
        Act("speak", "안녕"),
    ]


def test_speech_takes_longer_when_slower_and_ignores_spaces_in_korean() -> None:
    assert speech_seconds("가나다 라마", "ko", 1.0) == speech_seconds("가나다라마", "ko", 1.0)
    assert speech_seconds("가나다", "ko", 0.5) == 2 * speech_seconds("가나다", "ko", 1.0)
    assert 0.5 < speech_seconds("안녕하세요", "ko") < 1.5


def test_a_line_said_otherwise_reaches_the_robot_in_its_spoken_form_without_brackets() -> None:
    line = Line.model_validate(
        {"ko": "[[통화]]: 010-1234-5678", "speak": {"ko": "[[통화]], 공일공 [nod] 일이삼사"}}
    )
    parsed = line.parsed("ko")
    args = SayArgs(text=parsed.spoken_text, marks=marks_of(parsed))
    assert args.text == "통화, 공일공 일이삼사" and "[" not in args.text
    assert [m.gesture for m in args.marks] == ["nod"]
    assert args.marks[0].at == len("통화, 공일공")
