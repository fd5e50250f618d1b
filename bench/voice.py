"""Voice latency: step change → narration audio start (cached), and end of speech → command.

Each against its floor measured in the same run: raw espeak-ng synthesis of the same line,
and raw vosk decoding of the same utterance. Run: .venv/bin/python bench/voice.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SCRATCH = Path(tempfile.mkdtemp(prefix="sarangbang-bench-voice-"))
os.environ.setdefault("SDL_AUDIODRIVER", "disk")  # real SDL playback, into a file
os.environ.setdefault("SDL_DISKAUDIOFILE", str(SCRATCH / "disk-audio.raw"))
os.environ.update(KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1", KIVY_NO_CONSOLELOG="1")
os.environ.setdefault("KIVY_HOME", str(SCRATCH / "kivy"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kivy.clock import Clock  # noqa: E402

from kiosk_app.voice.audio_out import KivyAudioOutput  # noqa: E402
from kiosk_app.voice.audio_source import WavFileSource  # noqa: E402
from kiosk_app.voice.listener import listen  # noqa: E402
from kiosk_app.voice.narration import Narrator  # noqa: E402
from kiosk_app.voice.prefetch import lesson_lines, prefetch_lesson  # noqa: E402
from kiosk_app.voice.recognizer import CommandRecognizer, default_model_path  # noqa: E402
from kiosk_app.voice.speech_cache import SpeechCache  # noqa: E402
from kiosk_app.voice.synth import Pyttsx3Synth  # noqa: E402
from kiosk_app.voice.voice_speaker import VoiceSpeaker, kivy_call_soon  # noqa: E402
from lessons.library import load_library  # noqa: E402
from tests.kiosk_app.voice.utterances import (  # noqa: E402
    VOICES,
    speech_ends_at,
    utterance,
)

RUNS = 20
RATE = 0.75  # the learners' default speech rate


def ms(seconds: list[float]) -> str:
    return f"median {1000 * statistics.median(seconds):6.1f} ms, max {1000 * max(seconds):6.1f} ms"


def narration_start(speaker: VoiceSpeaker, lines: list[str]) -> float:
    """Seconds from say() (what a step change does) to the sound playing, via Kivy's clock."""
    started = time.perf_counter()
    speaker.say(lines, RATE)
    while not speaker.output.playing():
        Clock.tick()
    return time.perf_counter() - started


def bench_speech(synth: Pyttsx3Synth) -> None:
    cache = SpeechCache(SCRATCH / "speech", synth)
    narrator = Narrator(cache)
    speaker = VoiceSpeaker(narrator, KivyAudioOutput(SCRATCH), call_soon=kivy_call_soon)
    assert speaker.output.available(), "no audio device, not even SDL's disk driver"
    lesson = load_library().lessons["phone-call"]
    started = time.perf_counter()
    pending = prefetch_lesson(narrator, lesson, "ko", RATE)
    for future in pending:
        future.result()
    print(
        f"pre-synthesis of '{lesson.id}' ({len(pending)} lines): "
        f"{time.perf_counter() - started:.2f} s"
    )
    texts = lesson_lines(lesson, "ko")[: len(lesson.steps)]
    raw = []
    for index, text in enumerate(texts[:RUNS]):
        begun = time.perf_counter()
        synth.synthesise(text, "ko", 120, SCRATCH / f"raw-{index}.wav").result()
        raw.append(time.perf_counter() - begun)
    cached = [narration_start(speaker, [text]) for text in (texts * RUNS)[:RUNS]]
    speaker.stop()
    print(f"floor, raw espeak-ng synthesis of a step's line: {ms(raw)}")
    print(f"step change → narration playing (cached):       {ms(cached)}  (target ≤ 150 ms)")
    print(f"ratio to floor (median): {statistics.median(cached) / statistics.median(raw):.2f}")


def bench_commands() -> None:
    path = default_model_path()
    if path is None:
        print("voice commands: no model installed, skipped")
        return
    started = time.perf_counter()
    recognizer = CommandRecognizer(path)
    print(f"model load: {time.perf_counter() - started:.1f} s")
    folder = SCRATCH / "utterances"
    folder.mkdir()
    sayings = [(word, voice) for word in ("넘어가", "도와줘", "아니요", "넘겨") for voice in VOICES]
    raw, after_endpoint, after_speech, wrong = [], [], [], 0
    for word, voice in (sayings * RUNS)[: max(RUNS, len(sayings))]:
        wav = utterance(folder, word, voice)
        session = recognizer.session(16000)
        data = wav.read_bytes()[44:]
        begun = time.perf_counter()
        session.feed(data)
        session.finish()
        raw.append(time.perf_counter() - begun)
        # Real time, as from a microphone; the speech itself ends this far into the file
        # (espeak-ng's own trailing silence excluded: see speech_ends_at).
        heard = listen(recognizer, WavFileSource(wav, realtime=True))
        speech_end = heard.started_at + speech_ends_at(folder, word, voice)
        after_endpoint.append(heard.decided_at - heard.ended_at)
        after_speech.append(heard.decided_at - speech_end)
        wrong += heard.interpretation.accepted and str(heard.interpretation.command) not in (
            "next",
            "help",
            "no",
        )
    print(f"floor, raw vosk decode of a whole utterance:    {ms(raw)}")
    print(f"end of listening → command (tap or endpoint):   {ms(after_endpoint)}")
    print(f"end of speech → command, hands-free endpoint:   {ms(after_speech)}  (target ≤ 300 ms)")
    print(f"  ({len(after_speech)} utterances, {len(VOICES)} voices; wrong commands: {wrong})")


def main() -> None:
    synth = Pyttsx3Synth()
    try:
        bench_speech(synth)
    finally:
        synth.close()
    bench_commands()


if __name__ == "__main__":
    main()
