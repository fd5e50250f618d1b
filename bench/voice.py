"""Voice latency: step change → narration audio start (cached), and end of speech → command.

Each against its floor measured in the same run: raw espeak-ng synthesis of the same line,
and raw vosk decoding of the same utterance. Run: .venv/bin/python bench/voice.py

The rooms (`now`, `before`, …) run with vosk unless `--backend whisper`, `vosk+whisper`
(the two together), `both` (the same rooms with vosk, then Whisper) or `all` is given.
`--realtime` reads the files at the microphone's pace, `--every N` says every Nth only
(`--start K` from the Kth: `--every 2 --start 1` is the other half), `--evidence FILE`
keeps what vosk and Whisper each heard (vosk+whisper; bench/voice_rules.py reads it). The
rooms themselves are in bench/voice_rooms.py.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))  # voice_rooms, beside this file

from kivy.clock import Clock  # noqa: E402
from voice_rooms import EVIDENCE, LISTENINGS, REALTIME, bench_rooms  # noqa: E402

from kiosk_app.voice.audio_out import KivyAudioOutput  # noqa: E402
from kiosk_app.voice.audio_source import WavFileSource  # noqa: E402
from kiosk_app.voice.commands import (  # noqa: E402
    HESITATIONS,
    grammar,
)
from kiosk_app.voice.listener import listen  # noqa: E402
from kiosk_app.voice.narration import Narrator  # noqa: E402
from kiosk_app.voice.prefetch import lesson_lines, prefetch_lesson  # noqa: E402
from kiosk_app.voice.recognizer import (  # noqa: E402
    BACKENDS,
    CommandRecognizer,
    default_model_path,
    load_recognizer,
)
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


def backends(args: list[str]) -> tuple[list[str], list[str]]:
    """`--backend NAME` taken out of `args`: (the backends, the other args). NAME is a
    backend (`recognizer.BACKENDS`), `both` (vosk, then Whisper) or `all` (each in turn)."""
    if "--backend" not in args:
        return ["vosk"], args
    at = args.index("--backend")
    name = args[at + 1] if at + 1 < len(args) else ""
    groups = {"both": ["vosk", "whisper"], "all": list(BACKENDS)}
    chosen = groups.get(name, [name])
    if not set(chosen) <= set(BACKENDS):
        raise SystemExit(f"--backend {', '.join(BACKENDS)}, both or all, not {name!r}")
    return chosen, args[:at] + args[at + 2 :]


def main() -> None:
    chosen, args = backends(sys.argv[1:])
    if "--realtime" in args:
        args.remove("--realtime")
        REALTIME["on"] = True
    if "--every" in args:
        at = args.index("--every")
        REALTIME["every"] = int(args[at + 1])
        del args[at : at + 2]
    if "--evidence" in args:
        at = args.index("--evidence")
        EVIDENCE["file"] = open(args[at + 1], "w", encoding="utf-8")  # noqa: SIM115
        del args[at : at + 2]
    if "--start" in args:  # with --every 2, --start 1 says the other half
        at = args.index("--start")
        REALTIME["start"] = int(args[at + 1])
        del args[at : at + 2]
    which = args or ["speech", "commands", *LISTENINGS]
    if "speech" in which:
        synth = Pyttsx3Synth()
        try:
            bench_speech(synth)
        finally:
            synth.close()
    if "commands" in which:
        bench_commands()
    rooms = [name for name in which if name in LISTENINGS]
    for backend in chosen:
        path = default_model_path(backend)
        if not rooms or path is None:
            continue
        started = time.perf_counter()
        recognizer = load_recognizer(backend, path)
        print(f"\n{backend}: model load {time.perf_counter() - started:.1f} s")
        # before: also the grammar before hesitations had somewhere to go (vosk's grammar)
        old_grammar = [w for w in grammar() if w not in HESITATIONS]
        for name in rooms:
            used = recognizer
            if name == "before" and backend == "vosk":
                used = CommandRecognizer(path, old_grammar)
            bench_rooms(used, LISTENINGS[name], f"{backend}, listening {name}")
    if EVIDENCE["file"] is not None:
        EVIDENCE["file"].close()


if __name__ == "__main__":
    main()
