"""Which microphone voice commands use, and what the kiosk says when there is none: the real
PortAudio here (this machine, like CI, has no sound card), and a stand-in `sounddevice` for
the devices we cannot have (a USB microphone, an output-only HDMI device), behind the same
module interface the real one has."""

from __future__ import annotations

import re
import sys
import types
import wave
from pathlib import Path
from typing import Any, ClassVar

import pytest

from kiosk_app.cli import main
from kiosk_app.voice.audio_source import MicrophoneSource
from kiosk_app.voice.errors import MicrophoneUnavailable
from kiosk_app.voice.listener import VoiceCommands
from tests.kiosk_app.voice.utterances import VOICES, utterance

HDMI = {"name": "HDMI 0", "max_input_channels": 0, "max_output_channels": 2}
USB = {"name": "USB Audio Microphone", "max_input_channels": 1, "max_output_channels": 0}


class Stream:
    """sounddevice's RawInputStream for a device that records a rising count."""

    opened: ClassVar[list[dict[str, Any]]] = []

    def __init__(self, **settings: Any) -> None:
        Stream.opened.append(settings)
        self.count = 0

    def read(self, frames: int) -> tuple[bytes, bool]:
        self.count += 1
        return bytes([self.count]) * 2 * frames, False

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def stand_in(
    monkeypatch: pytest.MonkeyPatch, devices: list[dict[str, Any]], rates: tuple[int, ...] = ()
) -> None:
    """A `sounddevice` with these devices; `rates`: the only rates they record at (all
    where empty)."""
    module = types.ModuleType("sounddevice")

    def check_input_settings(device: Any, channels: int, dtype: str, samplerate: int) -> None:
        if rates and samplerate not in rates:
            raise ValueError(f"Invalid sample rate {samplerate}")

    module.query_devices = lambda: devices  # type: ignore[attr-defined]
    module.default = types.SimpleNamespace(device=[-1, -1])  # type: ignore[attr-defined]
    module.check_input_settings = check_input_settings  # type: ignore[attr-defined]
    module.RawInputStream = Stream  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sounddevice", module)


def test_no_sound_device_says_there_is_no_input_device(monkeypatch: pytest.MonkeyPatch) -> None:
    stand_in(monkeypatch, [])
    with pytest.raises(MicrophoneUnavailable, match=r"no input device \(sound devices here: none"):
        MicrophoneSource().check()


def test_the_real_portaudio_answers_in_words() -> None:
    """This machine's own PortAudio (CI has no sound card): a reason, never a crash."""
    try:
        MicrophoneSource().check()
    except MicrophoneUnavailable as exc:
        assert exc.kind in ("device", "library") and str(exc)


def test_a_microphone_records_at_16_khz_or_at_its_own_rate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stand_in(monkeypatch, [USB | {"default_samplerate": 48000.0}], rates=(48000,))
    Stream.opened.clear()
    with MicrophoneSource("usb").capture() as capture:  # the name in any case
        first, second = capture.read(), capture.read()
    assert capture.sample_rate == 48000 and Stream.opened[0]["samplerate"] == 48000
    assert Stream.opened[0]["channels"] == 1 and Stream.opened[0]["dtype"] == "int16"
    assert len(first) == 2 * 512 and first != second
    stand_in(monkeypatch, [USB | {"default_samplerate": 44100.0}], rates=(8000,))
    with pytest.raises(MicrophoneUnavailable, match="cannot record mono 16-bit"):
        MicrophoneSource().check()


def test_an_output_only_device_is_not_a_microphone(monkeypatch: pytest.MonkeyPatch) -> None:
    stand_in(monkeypatch, [HDMI])
    with pytest.raises(
        MicrophoneUnavailable, match=r"no input device \(sound devices here: HDMI 0\)"
    ):
        MicrophoneSource().check()


def test_the_configured_microphone_is_found_by_number_or_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stand_in(monkeypatch, [HDMI, USB])
    MicrophoneSource().check()  # the default input is missing: the first input serves
    MicrophoneSource(1).check()
    MicrophoneSource("USB").check()
    with pytest.raises(MicrophoneUnavailable, match=r"no input device 0 \(inputs: 1: USB"):
        MicrophoneSource(0).check()  # HDMI, an output
    with pytest.raises(MicrophoneUnavailable, match="no input device 'Blue'"):
        MicrophoneSource("Blue").check()


def test_a_missing_audio_library_is_told_apart_from_a_missing_microphone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # import fails
    commands = VoiceCommands(MicrophoneSource())
    assert commands.status == "voice.no_audio_library" and "not installed" in str(
        commands.microphone_error
    )
    stand_in(monkeypatch, [HDMI])
    assert VoiceCommands(MicrophoneSource()).status == "voice.no_microphone"


def test_check_voice_says_what_is_missing_and_fails(
    tmp_path: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in(monkeypatch, [HDMI])
    assert main(["--demo", str(tmp_path / "demo"), "--check-voice"]) == 1
    out = capsys.readouterr().out
    assert "device 0: HDMI 0 (output)" in out
    assert "microphone: NOT USABLE: no input device" in out
    stand_in(monkeypatch, [HDMI, USB])
    assert main(["--demo", str(tmp_path / "demo"), "--check-voice"]) == 0
    assert "microphone: ok" in capsys.readouterr().out


def test_check_voice_records_3_s_and_says_what_it_recognised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A USB microphone (a stand-in) into which espeak-ng says 넘겨: the real recogniser, as
    the kiosk loads it, hears it through the kiosk's own listening path."""
    with wave.open(str(utterance(tmp_path, "넘겨", VOICES[0]))) as said:
        assert said.getframerate() == 16000
        pcm = said.readframes(said.getnframes())

    told_before_recording: list[str] = []

    class Saying(Stream):
        def read(self, frames: int) -> tuple[bytes, bool]:
            if not self.count:  # the cue to speak is on screen before the recording starts
                told_before_recording.append(capsys.readouterr().out)
            at = 2 * frames * self.count
            self.count += 1
            return pcm[at : at + 2 * frames].ljust(2 * frames, b"\0"), False

    stand_in(monkeypatch, [HDMI, USB])
    monkeypatch.setattr("sounddevice.RawInputStream", Saying)
    assert main(["--demo", str(tmp_path / "demo"), "--check-voice"]) == 0
    out = capsys.readouterr().out
    assert "say 「다음」 while it records 3 s" in told_before_recording[0]
    assert re.search(r"loudest -\d+ dBFS .*, room noise -\d+ dBFS over 3\.0 s", out), out
    assert "recognised: 넘겨 → the command next" in out


def test_check_voice_says_when_recognition_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the model broke")

    stand_in(monkeypatch, [HDMI, USB])
    monkeypatch.setattr("kiosk_app.voice.voice_check.listen", failing)
    assert main(["--demo", str(tmp_path / "demo"), "--check-voice"]) == 1
    assert "recognised: NOTHING, recognition failed: the model broke" in capsys.readouterr().out
