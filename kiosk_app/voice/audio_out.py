"""Playing WAV files through Kivy's audio (SDL2 mixer), and finding out if there is a device.

SDL_mixer is native code that trusts what it is given: a WAV without a whole frame of sound
makes it free memory twice (the process aborts later, e.g. `corrupted double-linked list`),
and its calls are not meant to race each other. So only a checked WAV reaches it
(`wav.has_audio`), and only from the UI thread: calls from elsewhere hop there first.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from kiosk_app.voice import wav

log = logging.getLogger(__name__)

PROBE_SECONDS = 0.05  # the silent clip played to test the device: too short to hear


class AudioOutput(Protocol):
    def available(self) -> bool:
        """True when sound can be played (checked once, then remembered)."""
        ...

    def play(self, path: Path, volume: float) -> None: ...

    def stop(self) -> None: ...

    def playing(self) -> bool: ...


class KivyAudioOutput:
    """One sound at a time through `kivy.core.audio.SoundLoader`. Call from the UI thread."""

    def __init__(self, scratch_dir: Path) -> None:
        self._scratch_dir = scratch_dir
        self._sound: Any = None
        self._available: bool | None = None

    def available(self) -> bool:
        if self._available is None:
            self._available = self._probe()
            if not self._available:
                log.warning("no sound device: the kiosk teaches with text only")
        return self._available

    def _probe(self) -> bool:
        """Load a silent clip: without a device Kivy still returns a sound, of length 0."""
        probe = self._scratch_dir / "probe-silence.wav"
        if not probe.exists():
            fmt = wav.WavFormat(channels=1, sample_width=2, frame_rate=22050)
            wav.write_atomically(probe, fmt, fmt.silence(PROBE_SECONDS))
        try:
            from kivy.core.audio import SoundLoader

            sound = SoundLoader.load(str(probe))
        except Exception as exc:  # no audio provider at all
            log.warning("Kivy audio is not available: %s", exc)
            return False
        ok = sound is not None and sound.length > 0
        if sound is not None:
            sound.unload()
        return ok

    def play(self, path: Path, volume: float) -> None:
        if not _on_ui_thread(lambda: self.play(path, volume)):
            return
        from kivy.core.audio import SoundLoader

        self.stop()
        if not wav.has_audio(path):
            log.warning("not playing %s: not a WAV file with sound in it", path)
            return
        sound = SoundLoader.load(str(path))
        if sound is None:
            log.warning("could not load %s for playback", path)
            return
        sound.volume = volume
        sound.play()
        self._sound = sound

    def stop(self) -> None:
        if not _on_ui_thread(self.stop):
            return
        sound, self._sound = self._sound, None
        if sound is not None:
            sound.stop()
            sound.unload()

    def playing(self) -> bool:
        return self._sound is not None and self._sound.state == "play"


def _on_ui_thread(call: Callable[[], None]) -> bool:
    """True on the UI thread (go on); elsewhere, run `call` there at the next frame."""
    if threading.current_thread() is threading.main_thread():
        return True
    from kivy.clock import Clock

    Clock.schedule_once(lambda _dt: call(), 0)
    return False
