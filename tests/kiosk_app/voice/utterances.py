"""Test utterances made at test time: espeak-ng at several voices, speeds and pitches, with
sox adding pink noise and the silence a real push of the speak button has around speech.

Synthetic speech is a floor, not a stand-in for seniors' voices: see docs/voice.md.
"""

from __future__ import annotations

import hashlib
import math
import subprocess
import wave
from array import array
from collections.abc import Sequence
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
# The lesson screen's buttons, said as their labels read (ui_text lesson.*).
LABEL_SAYINGS: dict[str, VoiceCommand] = {
    "이전": _say(Command.BACK),
    "다시 듣기": _say(Command.AGAIN),
    "다음": _say(Command.NEXT),
    "도와주세요": _say(Command.HELP),
    "처음으로": _say(Command.HOME),
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
        _sox("-n", "-r", "16000", "-c", "1", "-b", "16", noise, "synth", length, "pinknoise")
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
    """sox with -R: its random numbers (the noise it makes, the dither it adds when it
    resamples to 16 bits) the same every run, so that an utterance is the same file every
    time (with dither drawn afresh, Whisper's score of one saying moved by ~0.8 nats
    from one run to the next, and a test on it failed one run in seven)."""
    subprocess.run(["sox", "-R", *map(str, args)], check=True, capture_output=True)


# --- Rooms: the same speech at a set level over a set background (bench/voice.py) ---

# An unrelated line another espeak-ng voice reads behind the learner, as a TV would.
TV_TEXT = (
    "오늘 저녁 뉴스입니다. 전국에 비가 내리겠고 바람도 강하게 불겠습니다. "
    "서울의 낮 기온은 십팔 도로 어제보다 조금 낮겠습니다. 다음 소식입니다. "
    "지하철 요금이 다음 달부터 조정됩니다. 시민들의 의견을 들어 보았습니다."
)
BABBLE_TEXTS = (
    ("ko+m2", "아침에 시장에 갔더니 사과가 아주 싸더라고요 그래서 두 봉지나 샀어요"),
    ("ko+f3", "우리 며느리가 이번 주말에 손주들을 데리고 온다고 했어요"),
    ("ko+m4", "요즘 무릎이 아파서 병원에 다니는데 좀 나아진 것 같아요"),
    ("ko+f1", "노래 교실은 화요일이고 체조는 목요일 오전에 한대요"),
)
SPEECH_DBFS = -23.0  # the learner's active speech level at the microphone
FULL_SCALE = 32767


@dataclass(frozen=True)
class Room:
    """Where an utterance is said: speech level, a background and how far below it is."""

    name: str
    speech_dbfs: float = SPEECH_DBFS
    background: str = ""  # "", "pink", "tv", "babble" or "hiss" (a microphone's own)
    snr_db: float = 0.0  # speech level over the background's level


def read_wav(path: Path) -> tuple[int, array[int]]:
    """A 16-bit mono WAV's rate and samples."""
    with wave.open(str(path)) as w:
        return w.getframerate(), array("h", w.readframes(w.getnframes()))


def write_wav(path: Path, samples: array[int], rate: int = 16000) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return path


def active_rms(samples: array[int], rate: int = 16000) -> float:
    """RMS of the 20 ms frames within 25 dB of the loudest (speech, not its pauses)."""
    frame = rate // 50
    energies = [rms(samples[i : i + frame]) for i in range(0, len(samples) - frame + 1, frame)]
    loud = [e for e in energies if e > max(energies, default=0) * 10 ** (-25 / 20)]
    return math.sqrt(sum(e * e for e in loud) / len(loud)) if loud else 0.0


def scaled(samples: Sequence[float], gain: float) -> array[int]:
    return array("h", (max(-FULL_SCALE, min(FULL_SCALE, round(s * gain))) for s in samples))


def _clean_speech(folder: Path, text: str, voice: Voice, rate: int = 16000) -> array[int]:
    name = hashlib.sha1(f"clean|{text}|{voice}".encode()).hexdigest()[:16]
    raw, out = folder / f"{name}.raw.wav", folder / f"{name}.16k.wav"
    if not out.exists():
        cmd = ["espeak-ng", "-v", voice.name, "-s", str(voice.speed), "-p", str(voice.pitch)]
        subprocess.run([*cmd, "-w", str(raw), text], check=True, capture_output=True)
        _sox(raw, "-r", str(rate), "-c", "1", "-b", "16", out)
    return read_wav(out)[1]


def _trimmed(samples: array[int], rate: int = 16000) -> array[int]:
    """Without espeak-ng's own leading and trailing silence (10 ms frames under 3 %)."""
    frame = rate // 100
    energies = [rms(samples[i : i + frame]) for i in range(0, len(samples), frame)]
    loud = [i for i, e in enumerate(energies) if e > 0.03 * max(energies)]
    return samples[loud[0] * frame : (loud[-1] + 1) * frame]


def background(folder: Path, kind: str, seconds: float, seed: int) -> tuple[array[int], float]:
    """`seconds` of a background sound from a seeded place in it, and its level (RMS; for
    talkers, of their speech)."""
    rate = 16000
    count = round(seconds * rate)
    name = folder / f"bg-{kind}.wav"
    if not name.exists():
        if kind in ("pink", "hiss"):
            noise = "pinknoise" if kind == "pink" else "whitenoise"
            _sox(
                "-R", "-n", "-r", rate, "-c", "1", "-b", "16", name, "synth", 40, noise, "vol", 0.3
            )
        elif kind == "tv":
            tv = _clean_speech(folder, TV_TEXT, Voice("ko+m7", 150, 40, 0.0))
            write_wav(name, tv)
        elif kind == "babble":
            voices = [_clean_speech(folder, t, Voice(v, 160, 50, 0.0)) for v, t in BABBLE_TEXTS]
            length = max(len(v) for v in voices)
            mixed = [0.0] * length
            for talker in voices:
                norm = 1.0 / max(active_rms(talker), 1.0)
                for i in range(length):
                    mixed[i] += talker[(i + 3001 * len(talker)) % len(talker)] * norm * 3000
            write_wav(name, scaled(mixed, 1.0))
        else:
            raise ValueError(f"no background {kind!r}")
    sound = read_wav(name)[1]
    level = active_rms(sound) if kind in ("tv", "babble") else rms(sound)
    start = (seed * 7919) % len(sound)
    return array("h", (sound[(start + i) % len(sound)] for i in range(count))), level


def room_utterance(
    folder: Path, text: str, voice: Voice, room: Room, lead: float = LEAD_SILENCE
) -> tuple[Path, float, float]:
    """`text` said by `voice` in `room` after `lead` s: the WAV, and where speech starts and
    ends in it (seconds). The background runs from the first sample to the last."""
    key = hashlib.sha1(f"{text}|{voice}|{room}|{lead}".encode()).hexdigest()[:16]
    out = folder / f"room-{key}.wav"
    speech = _trimmed(_clean_speech(folder, text, voice))
    rate = 16000
    start, end = lead, lead + len(speech) / rate
    if out.exists():
        return out, start, end
    gain = 10 ** (room.speech_dbfs / 20) * FULL_SCALE / active_rms(speech)
    total = round((end + TRAIL_SILENCE) * rate)
    mixed = [0.0] * total
    first = round(start * rate)
    for i, s in enumerate(speech):
        mixed[first + i] = s * gain
    if room.background:
        seed = int(key[:6], 16)
        noise, level = background(folder, room.background, total / rate, seed)
        want = 10 ** ((room.speech_dbfs - room.snr_db) / 20) * FULL_SCALE
        for i, s in enumerate(noise):
            mixed[i] += s * want / level
    write_wav(out, scaled(mixed, 1.0))
    return out, start, end
