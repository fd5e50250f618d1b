"""Speech synthesis behind a small interface, and its pyttsx3-over-espeak-ng engine.

pyttsx3 engines are not thread-safe, and `runAndWait()` can return before the WAV is on
disk, so one worker thread owns the one engine and a job is done only when the engine's
`finished-utterance` event has fired and the file is there. pyttsx3 also hands every
caller in a process the *same* espeak engine (`pyttsx3.init` keeps one per driver, and
libespeak-ng is process-wide), so two `Pyttsx3Synth` in one process (a kiosk's and a
test's) take `ENGINE_LOCK` for each line: at once, one refused the other's line with "run
loop already started".
"""

from __future__ import annotations

import itertools
import logging
import os
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kiosk_app.voice import wav
from kiosk_app.voice.errors import EmptyOutput, SynthesisError
from lessons.model import Language

log = logging.getLogger(__name__)

# espeak-ng voice ids as pyttsx3 lists them. Matched exactly: a substring search for "ko"
# would also find e.g. "sit/kok" (Konkani).
ESPEAK_VOICES: dict[Language, str] = {"ko": "ko", "en": "gmw/en"}
# A 40-word line takes espeak-ng well under a second; far beyond that the engine is stuck.
SYNTH_TIMEOUT_SECONDS = 30.0
ENGINE_LOCK = threading.Lock()  # the process's one espeak engine, one line at a time
URGENT, BACKGROUND = 0, 1  # job priorities: what the learner waits for goes first
# espeak-ng's in-band command "set the rate to N words a minute" (Ctrl-A, N, "S"). Measured
# on pyttsx3 2.99: a rate set with setProperty() is sometimes not yet applied to the next
# utterance after a voice change; a command inside the text cannot fall behind its text.
RATE_COMMAND = "\x01{wpm}S "


class SpeechSynth(Protocol):
    """Turns text into a WAV file. Another engine can be plugged in behind this."""

    name: str  # part of the cache key, so two engines never share cached audio

    def voice_for(self, language: Language) -> str:
        """The engine's voice id for `language`."""
        ...

    def synthesise(
        self, text: str, voice: str, rate_wpm: int, out: Path, urgent: bool
    ) -> Future[Path]:
        """Write `text` spoken by `voice` at `rate_wpm` words a minute to `out` (atomically)."""
        ...

    def close(self) -> None: ...


@dataclass(order=True)
class _Job:
    priority: int
    seq: int
    text: str = field(compare=False)
    voice: str = field(compare=False)
    rate_wpm: int = field(compare=False)
    out: Path = field(compare=False)
    future: Future[Path] = field(compare=False)


class Pyttsx3Synth:
    """pyttsx3 over espeak-ng, on one worker thread that owns the engine."""

    name = "espeak-ng"

    def __init__(self) -> None:
        self._jobs: queue.PriorityQueue[_Job] = queue.PriorityQueue()
        self._seq = itertools.count()
        self._finished = threading.Event()
        self._start_error: SynthesisError | None = None
        self._closed = False
        self._voices: set[str] = set()
        self.engine: Any = None  # pyttsx3's, once started (a test puts it in a failed state)
        self._thread = threading.Thread(target=self._run, name="speech-synth", daemon=True)
        self._thread.start()

    def voice_for(self, language: Language) -> str:
        return ESPEAK_VOICES[language]

    def synthesise(
        self, text: str, voice: str, rate_wpm: int, out: Path, urgent: bool = False
    ) -> Future[Path]:
        future: Future[Path] = Future()
        if self._closed:
            future.set_exception(SynthesisError("the speech engine is closed"))
            return future
        priority = URGENT if urgent else BACKGROUND
        self._jobs.put(_Job(priority, next(self._seq), text, voice, rate_wpm, out, future))
        return future

    def close(self) -> None:
        """Finish the queued jobs' futures with an error and stop the worker."""
        self._closed = True
        self._jobs.put(_Job(-1, -1, "", "", 0, Path(), Future()))  # sentinel jumps the queue
        self._thread.join(timeout=SYNTH_TIMEOUT_SECONDS)

    def _run(self) -> None:
        engine = self._start_engine()
        while True:
            job = self._jobs.get()
            if job.seq < 0:
                break
            if engine is None:
                job.future.set_exception(self._start_error or SynthesisError("no engine"))
                continue
            try:
                job.future.set_result(self._speak_with_retry(engine, job))
            except Exception as exc:  # an engine failure fails this job, never the worker
                log.warning("speech synthesis failed for %r: %s", job.text[:40], exc)
                job.future.set_exception(SynthesisError(str(exc)))
        self._drain()

    def _drain(self) -> None:
        while not self._jobs.empty():
            job = self._jobs.get_nowait()
            if job.seq >= 0:
                job.future.set_exception(SynthesisError("the speech engine is closed"))

    def _start_engine(self) -> Any:
        try:
            import pyttsx3

            with ENGINE_LOCK:  # another synth in this process may be using it
                engine = pyttsx3.init("espeak")
                _silence_driver_prints()
                found = {voice.id for voice in engine.getProperty("voices")}
        except Exception as exc:  # missing library, missing libespeak-ng, broken driver
            self._start_error = SynthesisError(f"cannot start pyttsx3/espeak-ng: {exc}")
            log.error("%s", self._start_error)
            return None
        missing = set(ESPEAK_VOICES.values()) - found
        if missing:
            log.warning("espeak-ng has no voice %s; lines in it will fail", sorted(missing))
        with ENGINE_LOCK:
            engine.connect("finished-utterance", self._on_finished)
        self._voices = found
        self.engine = engine
        return engine

    def _on_finished(self, name: object = None, completed: bool = True) -> None:
        self._finished.set()

    def _speak_with_retry(self, engine: Any, job: _Job) -> Path:
        """espeak-ng now and then writes a file with no sound or none at all (seen under a
        loaded machine, about once in a few thousand lines): the line is said again once
        before it fails."""
        try:
            return self._speak_to_file(engine, job)
        except EmptyOutput as exc:
            log.info("speech synthesis of %r again: %s", job.text[:40], exc)
            return self._speak_to_file(engine, job)

    def _speak_to_file(self, engine: Any, job: _Job) -> Path:
        with ENGINE_LOCK:  # the process's one engine: one line at a time
            return self._speak_locked(engine, job)

    def _speak_locked(self, engine: Any, job: _Job) -> Path:
        job.out.parent.mkdir(parents=True, exist_ok=True)
        if job.voice not in self._voices:
            raise SynthesisError(f"espeak-ng has no voice {job.voice!r}")
        temporary = job.out.with_name(f"{job.out.stem}.{os.getpid()}.{job.seq}.part.wav")
        engine.setProperty("voice", job.voice)
        self._finished.clear()
        engine.save_to_file(RATE_COMMAND.format(wpm=job.rate_wpm) + job.text, str(temporary))
        _run_and_wait(engine)
        if not self._finished.wait(SYNTH_TIMEOUT_SECONDS):
            raise SynthesisError(f"no finished-utterance within {SYNTH_TIMEOUT_SECONDS:g} s")
        if not temporary.exists() or temporary.stat().st_size == 0:
            raise EmptyOutput("the engine finished without writing the file")
        if not wav.has_audio(temporary):  # never cache a file that cannot be played
            temporary.unlink(missing_ok=True)
            raise EmptyOutput("the engine wrote a WAV file without sound")
        os.replace(temporary, job.out)
        return job.out


def _run_and_wait(engine: Any) -> None:
    """`engine.runAndWait()` (under `ENGINE_LOCK`), never leaving pyttsx3's run loop marked
    as running: when its loop raises, pyttsx3 keeps `_inLoop` set and refuses every later
    line with "run loop already started", which on a kiosk would silence it until restart."""
    if getattr(engine, "_inLoop", False):
        log.warning("the speech engine's run loop was left running: ending it")
        _end_loop(engine)
    try:
        engine.runAndWait()
    except Exception:
        _end_loop(engine)
        raise


def _end_loop(engine: Any) -> None:
    try:
        engine.endLoop()
    except Exception as exc:  # "run loop not started", or a driver that cannot
        log.warning("cannot end the speech engine's run loop: %s", exc)
        engine._inLoop = False


def _silence_driver_prints() -> None:
    """pyttsx3 2.99's espeak driver prints "Audio saved to …" on stdout for every file; the
    kiosk's stdout is its log (and a test's pipe), so that one module's `print` is muted."""
    try:
        from pyttsx3.drivers import espeak as driver
    except ImportError:
        return
    driver.print = lambda *args, **kwargs: None
