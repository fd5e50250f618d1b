"""Lines of a lesson turned into one WAV to play: words from the cache, pauses as silence.

A line may carry robot cues and pauses (`안녕하세요 [wave] 오늘은 [pause:1] 배워요`). Cues
are dropped; words between two pauses are synthesised as one chunk (so a line with cues but
no pause is the very same audio as its spoken text); each pause becomes silence.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path

from kiosk_app.voice import wav
from kiosk_app.voice.speech_cache import SpeechCache, done
from lessons.cues import CueError, Pause, Words, parse_line
from lessons.korean_pronunciation import pronounce
from lessons.korean_reading import read_aloud
from lessons.model import Language

log = logging.getLogger(__name__)

# espeak-ng's own default (175 words a minute) is brisk for Korean; 160 is a calm normal
# pace, and the learner's setting scales it down from there (0.75 → 120).
NORMAL_WPM = 160
MIN_WPM, MAX_WPM = 80, 260  # outside this espeak-ng is either a drone or a blur
# Between two lines said together: long enough to hear a new sentence start.
LINE_GAP_SECONDS = 0.4

Piece = str | float  # words to speak, or seconds of silence


def words_per_minute(rate_factor: float) -> int:
    """The engine rate for a learner's rate factor (1.0 = a normal pace)."""
    return max(MIN_WPM, min(MAX_WPM, round(NORMAL_WPM * rate_factor)))


def for_espeak(text: str) -> str:
    """Korean as espeak-ng must be given it: digits and symbols as read aloud (119 → 일일구,
    10시 → 열 시: lessons/korean_reading.py), then the sound changes written out (합니다 →
    함니다: lessons/korean_pronunciation.py), which espeak-ng does not apply itself."""
    return pronounce(read_aloud(text))


def pieces(
    line: str, language: Language = "ko", read: Callable[[str], str] | None = None
) -> list[Piece]:
    """Words between pauses, and the pauses; cues removed; Korean words as espeak-ng must
    be given them (`for_espeak`, unless `read` is given). The words are also the speech
    cache's key: a change in the rules makes new files, never replays an old reading."""
    read = read or (for_espeak if language == "ko" else str)
    try:
        segments = parse_line(line).segments
    except CueError:
        return [read(line)]  # not a lesson line (e.g. a message): speak it as written
    result: list[Piece] = []
    words: list[str] = []
    for segment in segments:
        if isinstance(segment, Words):
            words.append(read(segment.text))
        elif isinstance(segment, Pause):
            if words:
                result.append(" ".join(words))
                words = []
            result.append(segment.seconds)
    if words:
        result.append(" ".join(words))
    return result


class Narrator:
    """Renders what the kiosk says into a single WAV file, through the cache."""

    def __init__(self, cache: SpeechCache) -> None:
        self.cache = cache

    def render(
        self, lines: Sequence[str], language: Language, rate_factor: float, urgent: bool = True
    ) -> Future[Path]:
        """One WAV with `lines` one after another (ready at once when all are cached)."""
        voice = self.cache.synth.voice_for(language)
        rate = words_per_minute(rate_factor)
        plan: list[Piece] = []
        for index, line in enumerate(lines):
            if index:
                plan.append(LINE_GAP_SECONDS)
            plan.extend(pieces(line, language))
        chunks = {p: self.cache.fetch(p, voice, rate, urgent) for p in plan if isinstance(p, str)}
        if not chunks:
            failed: Future[Path] = Future()
            failed.set_exception(ValueError("nothing to say"))
            return failed
        if len(plan) == 1:
            return chunks[str(plan[0])]
        keys = [p if isinstance(p, str) else f"{p:.3f}" for p in plan]
        out = self.cache.file_for("joined", voice, str(rate), *keys)
        if out.exists():
            return done(out)
        return _when_all(
            list(chunks.values()),
            lambda: wav.join([chunks[p].result() if isinstance(p, str) else p for p in plan], out),
        )


def _when_all(futures: list[Future[Path]], then: Callable[[], Path]) -> Future[Path]:
    """A future of `then()`, run once every one of `futures` is done (or the first failure)."""
    result: Future[Path] = Future()
    remaining = [len(futures)]
    lock = threading.Lock()

    def one_done(future: Future[Path]) -> None:
        error = future.exception()
        with lock:
            remaining[0] -= 1
            if result.done():
                return
            if error is not None:
                result.set_exception(error)
                return
            if remaining[0]:
                return
        try:
            value = then()
        except Exception as exc:  # a bad chunk fails this narration, never the worker
            result.set_exception(exc)
            return
        result.set_result(value)

    for future in futures:
        future.add_done_callback(one_done)
    return result
