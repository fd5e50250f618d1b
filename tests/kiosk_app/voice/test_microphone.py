"""Which microphone voice commands use, and what the kiosk says when there is none: the real
PortAudio here (this machine, like CI, has no sound card), and a stand-in `sounddevice` for
the devices we cannot have (a USB microphone, an output-only HDMI device), behind the same
module interface the real one has."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from kiosk_app.cli import main
from kiosk_app.voice.audio_source import MicrophoneSource
from kiosk_app.voice.errors import MicrophoneUnavailable
from kiosk_app.voice.listener import VoiceCommands

HDMI = {"name": "HDMI 0", "max_input_channels": 0, "max_output_channels": 2}
USB = {"name": "USB Audio Microphone", "max_input_channels": 1, "max_output_channels": 0}


def stand_in(monkeypatch: pytest.MonkeyPatch, devices: list[dict[str, Any]]) -> None:
    module = types.ModuleType("sounddevice")
    module.query_devices = lambda: devices  # type: ignore[attr-defined]
    module.default = types.SimpleNamespace(device=[-1, -1])  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sounddevice", module)


def test_no_sound_card_here_says_there_is_no_input_device() -> None:
    with pytest.raises(MicrophoneUnavailable, match="no input device") as caught:
        MicrophoneSource().check()
    assert caught.value.kind == "device"


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
