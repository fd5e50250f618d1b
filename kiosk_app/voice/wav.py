"""WAV files: read the format, measure length, join chunks with silence between them."""

from __future__ import annotations

import os
import tempfile
import wave
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WavFormat:
    channels: int
    sample_width: int
    frame_rate: int

    @property
    def bytes_per_second(self) -> int:
        return self.channels * self.sample_width * self.frame_rate

    def silence(self, seconds: float) -> bytes:
        """`seconds` of digital silence in this format."""
        frames = round(seconds * self.frame_rate)
        return b"\0" * (frames * self.channels * self.sample_width)


def wav_format(path: Path) -> WavFormat:
    with wave.open(str(path), "rb") as reader:
        return WavFormat(reader.getnchannels(), reader.getsampwidth(), reader.getframerate())


def duration(path: Path) -> float:
    """Length of the WAV file at `path` in seconds."""
    with wave.open(str(path), "rb") as reader:
        return reader.getnframes() / reader.getframerate()


def has_audio(path: Path) -> bool:
    """True when `path` is a PCM WAV file holding at least one whole frame of sound.

    SDL_mixer 2.8 (Kivy's audio) corrupts the heap when it converts a WAV without one (an
    empty or cut-off data chunk): it frees the converted buffer twice. Check before playing.
    """
    try:
        with wave.open(str(path), "rb") as reader:
            if not 1 <= reader.getnchannels() <= 2 or reader.getsampwidth() not in (1, 2):
                return False
            return len(reader.readframes(1)) == reader.getnchannels() * reader.getsampwidth()
    except (OSError, EOFError, wave.Error):
        return False


def read_frames(path: Path) -> tuple[WavFormat, bytes]:
    with wave.open(str(path), "rb") as reader:
        fmt = WavFormat(reader.getnchannels(), reader.getsampwidth(), reader.getframerate())
        return fmt, reader.readframes(reader.getnframes())


def join(parts: Iterable[Path | float], out: Path) -> Path:
    """Write `parts` (WAV files, or seconds of silence) one after another into `out`.

    Every file must share one format. The result appears atomically: a reader never sees a
    half-written file.
    """
    fmt: WavFormat | None = None
    pending_silence = 0.0
    chunks: list[bytes] = []
    for part in parts:
        if isinstance(part, float | int):
            if fmt is None:
                pending_silence += float(part)
            else:
                chunks.append(fmt.silence(float(part)))
            continue
        part_fmt, frames = read_frames(part)
        if fmt is None:
            fmt = part_fmt
            chunks.append(fmt.silence(pending_silence))
        elif part_fmt != fmt:
            raise ValueError(f"{part} is {part_fmt}, expected {fmt}")
        chunks.append(frames)
    if fmt is None:
        raise ValueError("nothing to join: no WAV file among the parts")
    write_atomically(out, fmt, b"".join(chunks))
    return out


def write_atomically(out: Path, fmt: WavFormat, frames: bytes) -> None:
    """Write a WAV file through a temporary file in the same folder and a rename."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as raw, wave.open(raw, "wb") as writer:
            writer.setnchannels(fmt.channels)
            writer.setsampwidth(fmt.sample_width)
            writer.setframerate(fmt.frame_rate)
            writer.writeframes(frames)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
