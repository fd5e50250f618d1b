"""The voice package's errors: foreign exceptions are turned into these at the boundary."""

from __future__ import annotations


class VoiceError(Exception):
    """Something in speech out or voice commands failed."""


class SynthesisError(VoiceError):
    """The speech engine could not turn a text into audio."""


class ModelUnavailable(VoiceError):
    """The speech-recognition model (or vosk itself) is not installed or cannot load."""


class MicrophoneUnavailable(VoiceError):
    """There is no microphone ("device"), or no audio library to read one ("library")."""

    def __init__(self, message: str, kind: str = "device") -> None:
        super().__init__(message)
        self.kind = kind


class EmptyOutput(SynthesisError):
    """The speech engine finished a line but wrote no sound (a passing glitch: tried again)."""
