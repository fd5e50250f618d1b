"""Synthesised speech cached on disk by (engine, voice, rate, text): replay is instant."""

from __future__ import annotations

import hashlib
import logging
import threading
from concurrent.futures import Future
from pathlib import Path

from kiosk_app.voice.synth import SpeechSynth

log = logging.getLogger(__name__)


def done(path: Path) -> Future[Path]:
    """A future that already holds `path`."""
    future: Future[Path] = Future()
    future.set_result(path)
    return future


class SpeechCache:
    """WAV files under `root`, one per (engine, voice, rate, text), made on first request."""

    def __init__(self, root: Path, synth: SpeechSynth) -> None:
        self.root = root
        self.synth = synth
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._pending: dict[Path, tuple[bool, Future[Path]]] = {}

    def path_for(self, text: str, voice: str, rate_wpm: int) -> Path:
        return self.file_for("speech", self.synth.name, voice, str(rate_wpm), text)

    def file_for(self, kind: str, *parts: str) -> Path:
        """A cache file for `parts`; the name is a hash, so any text makes a safe name."""
        digest = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
        return self.root / kind / digest[:2] / f"{digest}.wav"

    def fetch(self, text: str, voice: str, rate_wpm: int, urgent: bool = False) -> Future[Path]:
        """The WAV of `text`: at once from disk, else synthesised (urgent jobs go first)."""
        path = self.path_for(text, voice, rate_wpm)
        with self._lock:
            if path.exists():
                self.hits += 1
                return done(path)
            pending = self._pending.get(path)
            # A background job already queued is not good enough for a learner who is
            # waiting: queue it again at the front (the second write is a harmless rename).
            if pending is not None and (pending[0] or not urgent):
                return pending[1]
            self.misses += 1
            future = self.synth.synthesise(text, voice, rate_wpm, path, urgent)
            self._pending[path] = (urgent, future)
        future.add_done_callback(lambda _: self._forget(path, future))
        return future

    def _forget(self, path: Path, future: Future[Path]) -> None:
        with self._lock:
            if self._pending.get(path, (False, None))[1] is future:
                del self._pending[path]
