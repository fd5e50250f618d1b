"""The kiosk's voice, built once at start: the speaker and the speak button's service.

Neither waits on anything slow: the speech engine starts on its own worker, the sound
device is probed on the first line, and the recognition model loads in the background.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from kiosk_app.speaker import Speaker, TextSpeaker
from kiosk_app.voice.audio_out import KivyAudioOutput
from kiosk_app.voice.audio_source import MicrophoneSource
from kiosk_app.voice.listener import VoiceCommands
from kiosk_app.voice.narration import Narrator
from kiosk_app.voice.speech_cache import SpeechCache
from kiosk_app.voice.synth import Pyttsx3Synth
from kiosk_app.voice.voice_speaker import VoiceSpeaker
from lessons.model import Language

log = logging.getLogger(__name__)

SPEECH_FOLDER = "speech"  # under the kiosk's data folder: the cache of synthesised lines


def build_speaker(data_dir: Path, language: Language) -> Speaker:
    """pyttsx3/espeak-ng through Kivy's audio, or text only when there is nowhere to cache.

    No sound device, or an engine that fails to start, is found out by the speaker itself,
    which then teaches with text, logs it once and says so in its status.
    """
    folder = data_dir / SPEECH_FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.warning("no speech cache folder (%s): teaching with text only", exc)
        return TextSpeaker("voice.no_speech_folder")
    narrator = Narrator(SpeechCache(folder, Pyttsx3Synth()))
    return VoiceSpeaker(narrator, KivyAudioOutput(folder), language)


def close_speaker(speaker: Speaker) -> None:
    """Stop the speech engine's worker, if the speaker has one."""
    if isinstance(speaker, VoiceSpeaker):
        speaker.narrator.cache.synth.close()


def build_commands(
    on_change: Callable[[], None], microphone: int | str | None = None
) -> VoiceCommands:
    """The speak button's service on the microphone (the config's `voice.microphone`, or
    the default input); its model loads in the background."""
    return VoiceCommands(MicrophoneSource(microphone), on_change=on_change).start()
