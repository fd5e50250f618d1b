from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lessons.cues import (
    DEFAULT_PAUSE_SECONDS,
    GESTURES,
    POINT_TARGETS,
    Cue,
    CueError,
    Pause,
    Words,
    parse_line,
)


def test_line_splits_into_words_cues_and_pauses() -> None:
    line = parse_line("안녕하세요 [wave] 오늘은 [pause:1.5] 영상통화를 배워요 [point:screen]")
    assert line.segments == (
        Words("안녕하세요"),
        Cue("wave"),
        Words("오늘은"),
        Pause(1.5),
        Words("영상통화를 배워요"),
        Cue("point", "screen"),
    )
    assert line.spoken_text == "안녕하세요 오늘은 영상통화를 배워요"
    assert line.pause_seconds == 1.5


def test_cues_are_placed_at_their_word() -> None:
    line = parse_line("[bow] 안녕하세요. 화면을 [point:screen] 보세요.")
    assert line.cues == ((0, Cue("bow")), (len("안녕하세요. 화면을"), Cue("point", "screen")))


def test_bare_pause_has_the_default_length() -> None:
    assert parse_line("네 [pause] 좋아요").segments[1] == Pause(DEFAULT_PAUSE_SECONDS)


@pytest.mark.parametrize(
    ("line", "message", "column"),
    [
        ("안녕 [dance]", "unknown cue '[dance]'", 3),
        ("안녕 [point:moon]", "unknown point target 'moon'", 3),
        ("안녕 [wave:left]", "gesture 'wave' takes no argument", 3),
        ("안녕 [pause:long]", "pause length 'long' is not a number", 3),
        ("안녕 [pause:9]", "outside 0–5 s", 3),
        ("안녕 [wave", "unmatched '['", 3),
        ("안녕 wave]", "unmatched ']'", 7),
    ],
)
def test_bad_cues_name_what_and_where(line: str, message: str, column: int) -> None:
    with pytest.raises(CueError, match=re.escape(message)) as caught:
        parse_line(line)
    assert caught.value.column == column


cue_text = st.one_of(
    st.sampled_from(sorted(GESTURES)),
    st.sampled_from(sorted(POINT_TARGETS)).map(lambda t: f"point:{t}"),
    st.floats(0.1, 5).map(lambda s: f"pause:{s:.1f}"),
)
words = st.text(
    st.characters(blacklist_characters="[]", blacklist_categories=("Cs",)), min_size=1
).filter(str.strip)


@given(st.lists(st.one_of(words, cue_text.map(lambda c: f"[{c}]")), max_size=12))
def test_well_formed_lines_round_trip(parts: list[str]) -> None:
    line = parse_line(" ".join(parts))
    assert "[" not in line.spoken_text and "]" not in line.spoken_text
    expected_cues = [p[1:-1] for p in parts if p.startswith("[") and not p.startswith("[pause")]
    assert [str(cue) for _, cue in line.cues] == expected_cues
    assert all(0 <= offset <= len(line.spoken_text) for offset, _ in line.cues)


@given(st.text())
def test_any_text_parses_or_raises_cue_error(text: str) -> None:
    try:
        line = parse_line(text)
    except CueError as exc:
        assert 0 <= exc.column < len(text)
    else:
        assert "[" not in line.spoken_text


def test_doubled_brackets_are_shown_as_brackets_and_not_said() -> None:
    line = parse_line("[[보내기]]를 누르세요 [point:screen]")
    assert line.shown_text == "[보내기]를 누르세요"
    assert line.spoken_text == "보내기를 누르세요"
    assert line.cues == ((len("보내기를 누르세요"), Cue("point", "screen")),)


def test_a_lone_bracket_says_how_to_write_one() -> None:
    with pytest.raises(CueError, match=r"written twice, as in \[\[보내기\]\]"):
        parse_line("[보내기를 누르세요")
    with pytest.raises(CueError, match="unknown cue"):
        parse_line("[보내기]를 누르세요")


@given(st.text(alphabet="가나 []wave", max_size=30))
def test_any_text_parses_or_raises_a_cue_error(text: str) -> None:
    try:
        line = parse_line(text)
    except CueError:
        return
    assert "[" not in line.spoken_text and "]" not in line.spoken_text


@given(st.text(alphabet="가나다 abc.,!?", max_size=20))
def test_doubled_brackets_round_the_text_show_it_in_brackets(words: str) -> None:
    line = parse_line(f"[[{words}]]")
    assert line.shown_text == " ".join(f"[{words}]".split())
