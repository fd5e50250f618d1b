"""Test utterances made at test time: espeak-ng at several voices, speeds and pitches, with
sox adding pink noise and the silence a real push of the speak button has around speech.

Synthetic speech is a floor, not a stand-in for seniors' voices: see docs/voice.md.
"""

from __future__ import annotations

import hashlib
import subprocess
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

from kiosk_app.voice.commands import Command, VoiceCommand
from kiosk_app.voice.endpointer import rms

LEAD_SILENCE = 0.3  # the learner starts talking a moment after tapping
TRAIL_SILENCE = 1.0  # and then stops: long enough for the recogniser's end-of-speech rule


@dataclass(frozen=True)
class Voice:
    name: str  # espeak-ng voice and variant
    speed: int  # words a minute
    pitch: int  # 0..99
    noise: float  # pink-noise amplitude mixed in (0 = clean)

    def __str__(self) -> str:
        return f"{self.name}/s{self.speed}/p{self.pitch}/n{self.noise:g}"


VOICES = (
    Voice("ko", 140, 50, 0.0),
    Voice("ko+f2", 120, 70, 0.02),
    Voice("ko+m3", 180, 35, 0.03),
    Voice("ko+f4", 110, 60, 0.0),
    Voice("ko", 160, 45, 0.05),
    Voice("ko+m1", 130, 55, 0.01),
)


def _say(command: Command, choice: int | None = None) -> VoiceCommand:
    return VoiceCommand(command, choice)


COMMAND_SAYINGS: dict[str, VoiceCommand] = {
    "다음": _say(Command.NEXT),
    "넘겨": _say(Command.NEXT),
    "넘어가": _say(Command.NEXT),
    "다시": _say(Command.AGAIN),
    "이전": _say(Command.BACK),
    "처음": _say(Command.HOME),
    "홈": _say(Command.HOME),
    "도와줘": _say(Command.HELP),
    "네": _say(Command.YES),
    "예": _say(Command.YES),
    "아니요": _say(Command.NO),
    "일 번": _say(Command.ANSWER, 1),
    "이 번": _say(Command.ANSWER, 2),
    "삼 번": _say(Command.ANSWER, 3),
    "사 번": _say(Command.ANSWER, 4),
    "첫 번째": _say(Command.ANSWER, 1),
    "두 번째": _say(Command.ANSWER, 2),
    "세 번째": _say(Command.ANSWER, 3),
    "네 번째": _say(Command.ANSWER, 4),
}
# Speech that is not a command. The first two are filler words of the grammar; the rest
# are not in it at all, which is the harder and more honest case.
NON_COMMANDS = (
    "고맙습니다",
    "안녕하세요",
    "버스가 언제 와요",
    "손녀 사진을 보고 싶어요",
    "이 버튼이 뭐예요",
    "잘 모르겠어요",
    "우리 손자가 다음 주에 온대요",
    "이것 좀 천천히 다시 보여 주시겠어요",
)


def utterance(folder: Path, text: str, voice: Voice) -> Path:
    """A 16 kHz mono 16-bit WAV of `text` spoken by `voice` (made once per folder)."""
    name = hashlib.sha1(f"{text}|{voice}".encode()).hexdigest()[:16]
    out = folder / f"{name}.wav"
    if out.exists():
        return out
    raw = folder / f"{name}.raw.wav"
    cmd = ["espeak-ng", "-v", voice.name, "-s", str(voice.speed), "-p", str(voice.pitch)]
    subprocess.run([*cmd, "-w", str(raw), text], check=True, capture_output=True)
    padded = folder / f"{name}.pad.wav"
    _sox(raw, "-r", "16000", "-c", "1", "-b", "16", padded, "pad", LEAD_SILENCE, TRAIL_SILENCE)
    if voice.noise:
        noise = folder / f"{name}.noise.wav"
        length = LEAD_SILENCE + speech_seconds(raw) + TRAIL_SILENCE
        # -R: the same noise every run (sox seeds its generator), so the floors are stable
        _sox("-R", "-n", "-r", "16000", "-c", "1", "-b", "16", noise, "synth", length, "pinknoise")
        _sox("-m", padded, "-v", voice.noise, noise, "-b", "16", out)
    else:
        padded.rename(out)
    return out


def speech_ends_at(folder: Path, text: str, voice: Voice) -> float:
    """Seconds into `utterance(folder, text, voice)` at which the speech itself ends.

    Read from espeak-ng's clean output (before padding and noise): its last 10 ms frame
    louder than 3 % of the loudest. espeak-ng ends its files with silence of its own, so
    the file's length is not the end of speech.
    """
    name = hashlib.sha1(f"{text}|{voice}".encode()).hexdigest()[:16]
    utterance(folder, text, voice)
    with wave.open(str(folder / f"{name}.raw.wav")) as raw:
        rate, samples = raw.getframerate(), array("h", raw.readframes(raw.getnframes()))
    frame = rate // 100
    energies = [rms(samples[i : i + frame]) for i in range(0, len(samples), frame)]
    loud = [i for i, energy in enumerate(energies) if energy > 0.03 * max(energies)]
    return LEAD_SILENCE + (loud[-1] + 1) * frame / rate


def speech_seconds(path: Path) -> float:
    """Length of a WAV file as sox reports it."""
    return float(
        subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True).stdout
    )


def _sox(*args: object) -> None:
    subprocess.run(["sox", *map(str, args)], check=True, capture_output=True)
