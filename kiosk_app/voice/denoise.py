"""Noise suppression for what the recogniser hears: WebRTC's (PyPI `webrtc-noise-gain`).

Off in the kiosk: measured on the bench it did not help the recogniser (docs/voice.md);
kept switchable (`Listening(denoise=True)`) so that the measurement can be repeated, e.g.
with another model. The package is not in the `voice` extra; without it this does nothing.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

NOISE_SUPPRESSION_LEVEL = 2  # 0..4; 2 is WebRTC's "high" without its harshest setting
RATE = 16000  # the only rate it takes in 10 ms frames here
FRAME_BYTES = 2 * RATE // 100


class Denoiser:
    """`apply` chunks in order; it sees the room before the voice, to learn the noise."""

    def __init__(self, sample_rate: int) -> None:
        self._processor: Any = None
        self._pending = b""
        if sample_rate != RATE:
            return
        try:
            from webrtc_noise_gain import AudioProcessor  # type: ignore[import-untyped,import-not-found,unused-ignore]
        except ImportError:
            log.warning("webrtc-noise-gain is not installed: no noise suppression")
            return
        self._processor = AudioProcessor(0, NOISE_SUPPRESSION_LEVEL)  # 0: its own gain off

    def apply(self, pcm: bytes) -> bytes:
        """The chunk with noise suppressed (up to 10 ms later: whole frames only)."""
        if self._processor is None:
            return pcm
        data = self._pending + pcm
        whole = len(data) - len(data) % FRAME_BYTES
        self._pending = data[whole:]
        out = [
            bytes(self._processor.Process10ms(data[i : i + FRAME_BYTES]).audio)
            for i in range(0, whole, FRAME_BYTES)
        ]
        return b"".join(out)
