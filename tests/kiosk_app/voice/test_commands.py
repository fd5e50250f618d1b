"""Heard words → command: the pure mapping, tested directly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk_app.look.ui_text import tr
from kiosk_app.voice.commands import (
    FILLERS,
    LABEL_WORDS,
    MIN_CONFIDENCE,
    PHRASES,
    Command,
    HeardWord,
    VoiceCommand,
    grammar,
    interpret,
    phrase_for,
    words,
)


def heard(*words: str, confidence: float = 1.0) -> list[HeardWord]:
    return [HeardWord(word, confidence) for word in words]


def test_each_command_word_means_its_command() -> None:
    assert interpret(heard("다음")).command == VoiceCommand(Command.NEXT)
    assert interpret(heard("넘어가")).command == VoiceCommand(Command.NEXT)
    assert interpret(heard("다시")).command == VoiceCommand(Command.AGAIN)
    assert interpret(heard("이전")).command == VoiceCommand(Command.BACK)
    assert interpret(heard("처음")).command == VoiceCommand(Command.HOME)
    assert interpret(heard("도와줘")).command == VoiceCommand(Command.HELP)
    assert interpret(heard("네")).command == VoiceCommand(Command.YES)
    assert interpret(heard("아니요")).command == VoiceCommand(Command.NO)


def test_quiz_answers_by_number_and_by_ordinal() -> None:
    assert interpret(heard("삼", "번")).command == VoiceCommand(Command.ANSWER, 3)
    assert interpret(heard("사", "번")).command == VoiceCommand(Command.ANSWER, 4)
    assert interpret(heard("첫", "번째")).command == VoiceCommand(Command.ANSWER, 1)
    assert interpret(heard("네", "번째")).command == VoiceCommand(Command.ANSWER, 4)


def test_a_number_without_its_counter_is_not_an_answer() -> None:
    assert interpret(heard("번째")).reason == "not_a_command"
    assert interpret(heard("두")).reason == "not_a_command"


def test_unsure_words_are_asked_again() -> None:
    result = interpret(heard("다음", confidence=MIN_CONFIDENCE - 0.01))
    assert result.command is None and result.reason == "unsure"


def test_filler_words_mean_it_was_not_a_command() -> None:
    assert interpret(heard("고맙습니다")).reason == "not_a_command"
    assert interpret(heard("다음", "주세요")).reason == "not_a_command"


def test_two_different_commands_at_once_are_refused() -> None:
    assert interpret(heard("다음", "이전")).reason == "mixed"


def test_nothing_heard_is_nothing() -> None:
    assert interpret([]).reason == "nothing"


def test_the_grammar_holds_every_command_phrase_once_and_no_filler_is_a_command() -> None:
    phrases = grammar()
    assert len(phrases) == len(set(phrases))
    assert set(PHRASES) <= set(phrases)
    assert not set(FILLERS) & set(PHRASES)
    assert "다시 듣기" in phrases and "첫 번째" in phrases  # phrases, not loose words


@pytest.mark.parametrize(
    ("key", "command"),
    [
        ("lesson.back", Command.BACK),
        ("lesson.again", Command.AGAIN),
        ("lesson.next", Command.NEXT),
        ("lesson.help", Command.HELP),
        ("lesson.home", Command.HOME),
    ],
)
def test_each_lesson_button_is_a_command_by_its_label(key: str, command: Command) -> None:
    """The label as the learner reads it off the button, as the model hears its words."""
    label = tr(key, "ko")
    said = heard(*phrase_for(label).split())
    assert interpret(said).command == VoiceCommand(command)


def test_a_label_outside_the_vocabulary_is_heard_as_its_nearest_phrase() -> None:
    assert LABEL_WORDS == {"도와주세요": "도와줘 세요"}
    assert interpret(heard("도와줘", "세요")).command == VoiceCommand(Command.HELP)
    assert interpret(heard("세요")).reason == "not_a_command"
    assert interpret(heard("듣기")).reason == "not_a_command"
    assert interpret(heard("다시", "듣기")).command == VoiceCommand(Command.AGAIN)


@given(st.lists(st.sampled_from(words()), max_size=6), st.floats(0, 1))
def test_any_words_give_a_command_or_a_reason_never_both(
    words: list[str], confidence: float
) -> None:
    result = interpret(heard(*words, confidence=confidence))
    assert result.accepted != bool(result.reason)
    if result.accepted:
        assert confidence >= MIN_CONFIDENCE and not set(words) & set(FILLERS)
