"""Playing WAV files through Kivy's audio (SDL2 mixer), and finding out if there is a device."""

from __future__ import annotations

import logging
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
        from kivy.core.audio import SoundLoader

        self.stop()
        sound = SoundLoader.load(str(path))
        if sound is None:
            log.warning("could not load %s for playback", path)
            return
        sound.volume = volume
        sound.play()
        self._sound = sound

    def stop(self) -> None:
        sound, self._sound = self._sound, None
        if sound is not None:
            sound.stop()
            sound.unload()

    def playing(self) -> bool:
        return self._sound is not None and self._sound.state == "play"
