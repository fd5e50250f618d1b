"""The Whisper backend: the real model (from the `voice` extra's two part packages) on
espeak-ng utterances, through the same `listen()` path as vosk; and how the model is found,
checked and chosen."""

from __future__ import annotations

import subprocess
import wave
from array import array
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import pytest

from kiosk_app.voice.audio_source import WavFileSource
from kiosk_app.voice.commands import HeardWord, interpret
from kiosk_app.voice.errors import ModelUnavailable
from kiosk_app.voice.listener import listen
from kiosk_app.voice.recognizer import (
    BACKEND_ENV,
    ModelLoader,
    default_model_path,
    voice_backend,
)
from kiosk_app.voice.whisper_model import WHISPER_MODEL_ENV, model_folder, part_paths
from kiosk_app.voice.whisper_recognizer import (
    WhisperCommandRecognizer,
    WhisperSession,
    command_of,
    spellings,
)
from tests.kiosk_app.voice.utterances import COMMAND_SAYINGS, LABEL_SAYINGS, VOICES, utterance

# Said by espeak-ng's plain `ko` voice; measured right (the bench has all voices and rooms)
HEARD_RIGHT = {"넘겨": "next", "두 번째": "answer:2", "다시 듣기": "again", "도와주세요": "help"}
NOT_COMMANDS = ("음", "오늘 날씨가 참 좋네요", "고맙습니다")


@pytest.fixture(scope="module")
def recognizer() -> WhisperCommandRecognizer:
    """Loaded once (a few seconds): from the two part packages, as a kiosk does."""
    return WhisperCommandRecognizer()


@pytest.fixture(scope="module")
def utterances(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("whisper-utterances")


@pytest.fixture(autouse=True)
def _no_model_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(WHISPER_MODEL_ENV, raising=False)
    monkeypatch.delenv(BACKEND_ENV, raising=False)


def test_every_spelling_is_a_phrase_the_grammar_reads_as_its_command() -> None:
    for said, phrase in spellings().items():
        heard = interpret([HeardWord(word, 1.0) for word in phrase.split()])
        expected = command_of(phrase)
        assert (str(heard.command) if heard.accepted else None) == expected, said


def test_every_saying_the_tests_take_as_a_command_has_a_spelling() -> None:
    sayings = {*COMMAND_SAYINGS, *LABEL_SAYINGS} - {"일 번", "이 번"}  # not answers
    assert sayings <= set(spellings())


def test_commands_are_heard_and_other_speech_is_not(
    recognizer: WhisperCommandRecognizer, utterances: Path
) -> None:
    for text, command in HEARD_RIGHT.items():
        heard = listen(recognizer, WavFileSource(utterance(utterances, text, VOICES[0])))
        assert str(heard.interpretation.command) == command, text
        assert heard.decided_at - heard.ended_at < 2.0  # the decision, on a busy machine
    for text in NOT_COMMANDS:
        heard = listen(recognizer, WavFileSource(utterance(utterances, text, VOICES[0])))
        assert not heard.interpretation.accepted, text


def test_a_microphone_at_48_khz_is_heard_as_at_16(
    recognizer: WhisperCommandRecognizer, utterances: Path
) -> None:
    wav = utterance(utterances, "넘겨", VOICES[0])
    faster = utterances / "48k.wav"
    subprocess.run(["sox", "-R", str(wav), "-r", "48000", str(faster)], check=True)
    heard = listen(recognizer, WavFileSource(faster))
    assert str(heard.interpretation.command) == "next"


def test_over_30_s_the_last_30_are_heard(
    recognizer: WhisperCommandRecognizer, utterances: Path
) -> None:
    """The encoder takes at most 30 s (review: 40 s raised ValueError from CTranslate2);
    a command ends what was heard, so the end is kept."""
    wav = utterance(utterances, "넘겨", VOICES[0])
    longer = utterances / "after-40-s.wav"
    subprocess.run(["sox", str(wav), str(longer), "pad", "40", "0"], check=True)
    session = recognizer.session(16000)
    with wave.open(str(longer)) as read:
        assert read.getframerate() == 16000 and read.getnframes() > 40 * 16000
        session.feed(read.readframes(read.getnframes()))
    assert " ".join(w.word for w in session.finish()) == "넘겨"


def test_too_little_audio_is_nothing(recognizer: WhisperCommandRecognizer) -> None:
    session = recognizer.session(16000)
    assert session.feed(b"\0\0" * 1600) is False  # no end-of-speech rule of its own
    assert session.finish() == []


def test_the_model_is_read_from_its_parts_without_joining_them_on_disk(
    recognizer: WhisperCommandRecognizer,
) -> None:
    folder = model_folder()
    assert folder is not None
    assert not (folder / "model.bin").exists()
    assert [path.name for path in part_paths()] == ["model.bin.part1", "model.bin.part2"]


def test_a_part_of_the_wrong_size_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk_app.voice.whisper_model as whisper

    monkeypatch.setattr(whisper, "PARTS", (("model.bin.part1", 1), whisper.PARTS[1]))
    with pytest.raises(ModelUnavailable, match="not 1 bytes"):
        WhisperCommandRecognizer()


def test_parts_that_are_not_the_model_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctranslate2  # type: ignore[import-untyped]

    import kiosk_app.voice.whisper_model as whisper

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("parsed before the hash was checked")

    monkeypatch.setattr(whisper, "MODEL_SHA256", "0" * 64)
    monkeypatch.setattr(ctranslate2.models, "Whisper", never)
    with pytest.raises(ModelUnavailable, match="not the expected model"):
        WhisperCommandRecognizer()


def test_without_the_packages_there_is_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk_app.voice.whisper_model as whisper

    monkeypatch.setattr(whisper, "PART_PACKAGES", ("no_such_part_1", "no_such_part_2"))
    assert model_folder() is None
    with pytest.raises(ModelUnavailable, match="no Whisper model installed"):
        WhisperCommandRecognizer()
    with pytest.raises(ModelUnavailable, match="no_such_part_1 is not installed"):
        part_paths()


def test_the_backend_is_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert voice_backend() == "vosk+whisper"  # the default
    monkeypatch.setenv(BACKEND_ENV, "whisper")
    assert voice_backend() == "whisper"
    assert default_model_path() == model_folder()
    assert ModelLoader(default_model_path()).backend == "whisper"
    monkeypatch.setenv(BACKEND_ENV, " VOSK ")
    assert voice_backend() == "vosk"
    monkeypatch.setenv(BACKEND_ENV, "kaldi")
    assert voice_backend() == "vosk+whisper"


def test_the_loader_loads_whisper_in_the_background(monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk_app.voice.whisper_model as whisper

    monkeypatch.setattr(whisper, "PART_PACKAGES", ("no_such_part_1", "no_such_part_2"))
    loader = ModelLoader(Path("/nowhere"), backend="whisper")
    loader._load()  # what the background thread runs
    assert loader.state == "failed"
    assert "no_such_part_1 is not installed" in loader.error


class CountingDecider:
    """Stands in for the model: records the audio each decision was made on."""

    def __init__(self, early: bool = True) -> None:
        self.early = ThreadPoolExecutor(max_workers=1) if early else None
        self.decided: list[int] = []

    def decide(self, pcm: bytes, sample_rate: int, step: object = None) -> list[HeardWord]:
        self.decided.append(len(pcm) // 2)
        return [HeardWord("넘겨", 1.0)]


def _chunks(level: int, seconds: float) -> list[bytes]:
    chunk = array("h", [level, -level] * 256).tobytes()  # 32 ms at 16 kHz
    return [chunk] * round(seconds / 0.032)


def test_by_default_the_decision_is_made_at_the_end_on_all_the_audio() -> None:
    decider = CountingDecider(early=False)
    session = WhisperSession(cast(Any, decider), 16000)
    chunks = _chunks(8000, 0.5) + _chunks(30, 0.3)
    for chunk in chunks:
        session.feed(chunk)
    session.finish()
    assert decider.decided == [512 * len(chunks)]


def test_the_decision_starts_in_the_speech_tail_and_is_taken_at_the_end() -> None:
    decider = CountingDecider()
    session = WhisperSession(cast(Any, decider), 16000)
    for chunk in _chunks(8000, 0.5) + _chunks(30, 0.3):
        session.feed(chunk)
    assert session.finish() == [HeardWord("넘겨", 1.0)]
    assert len(decider.decided) == 1  # the early one, made 64 ms into the tail (taken twice)
    assert decider.decided[0] == 512 * (16 + 2 + 2)


def test_speech_after_the_tail_is_decided_again_on_all_of_it() -> None:
    decider = CountingDecider()
    session = WhisperSession(cast(Any, decider), 16000)
    chunks = _chunks(8000, 0.5) + _chunks(30, 0.2) + _chunks(8000, 0.3)
    for chunk in chunks:
        session.feed(chunk)
    assert decider.early is not None
    decider.early.shutdown(wait=True)  # the early decision, now stale, has run
    session.finish()
    assert decider.decided[-1] == 512 * len(chunks)


def test_the_silent_room_is_scored_in_two_decoder_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every phrase once per level of hiss, in one batch each (review: a call per phrase made
    54 calls and a 12 s load)."""
    calls: list[int] = []
    scored = WhisperCommandRecognizer.score_ids

    def counting(self: WhisperCommandRecognizer, encoded: Any, phrases: Any) -> list[float]:
        calls.append(len(phrases))
        return scored(self, encoded, phrases)

    monkeypatch.setattr(WhisperCommandRecognizer, "score_ids", counting)
    loaded = WhisperCommandRecognizer()
    assert calls == [len(spellings())] * 2
    assert len(loaded.spellings) == len(spellings())


def test_a_model_that_loads_but_does_not_run_is_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("No position encodings are defined")

    monkeypatch.setattr(WhisperCommandRecognizer, "encode", broken)
    with pytest.raises(ModelUnavailable, match="does not run: No position encodings"):
        WhisperCommandRecognizer()
    monkeypatch.setattr("kiosk_app.voice.recognizer.load_recognizer", broken)
    loader = ModelLoader(Path("/nowhere"), backend="whisper")
    loader._load()  # the background thread's work, on any error: failed, never left loading
    assert loader.state == "failed" and "No position encodings" in loader.error
