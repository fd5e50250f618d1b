"""Voice latency: step change → narration audio start (cached), and end of speech → command.

Each against its floor measured in the same run: raw espeak-ng synthesis of the same line,
and raw vosk decoding of the same utterance. Run: .venv/bin/python bench/voice.py

The rooms (`now`, `before`, …) run with vosk unless `--backend whisper`, `vosk+whisper`
(the two together), `both` (the same rooms with vosk, then Whisper) or `all` is given.
`--realtime` reads the files at the microphone's pace, `--every N` says every Nth only
(`--start K` from the Kth: `--every 2 --start 1` is the other half).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SCRATCH = Path(tempfile.mkdtemp(prefix="sarangbang-bench-voice-"))
# The generated room set is kept between runs (a few minutes of espeak-ng and mixing).
SCRATCH_ROOMS = Path(tempfile.gettempdir()) / "sarangbang-bench-voice-rooms"
os.environ.setdefault("SDL_AUDIODRIVER", "disk")  # real SDL playback, into a file
os.environ.setdefault("SDL_DISKAUDIOFILE", str(SCRATCH / "disk-audio.raw"))
os.environ.update(KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1", KIVY_NO_CONSOLELOG="1")
os.environ.setdefault("KIVY_HOME", str(SCRATCH / "kivy"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kivy.clock import Clock  # noqa: E402

from kiosk_app.teaching.voice_actions import MOVING_WORDS  # noqa: E402
from kiosk_app.voice.audio_out import KivyAudioOutput  # noqa: E402
from kiosk_app.voice.audio_source import Capture, WavFileSource  # noqa: E402
from kiosk_app.voice.commands import (  # noqa: E402
    HESITATIONS,
    NUMBERS,
    ORDINALS,
    PHRASES,
    Command,
    VoiceCommand,
    grammar,
    said_as,
)
from kiosk_app.voice.listener import Heard, Listening, listen  # noqa: E402
from kiosk_app.voice.narration import Narrator  # noqa: E402
from kiosk_app.voice.prefetch import lesson_lines, prefetch_lesson  # noqa: E402
from kiosk_app.voice.recognizer import (  # noqa: E402
    BACKENDS,
    CommandRecognizer,
    Recognizer,
    default_model_path,
    load_recognizer,
)
from kiosk_app.voice.speech_cache import SpeechCache  # noqa: E402
from kiosk_app.voice.synth import Pyttsx3Synth  # noqa: E402
from kiosk_app.voice.voice_speaker import VoiceSpeaker, kivy_call_soon  # noqa: E402
from lessons.library import load_library  # noqa: E402
from tests.kiosk_app.voice.utterances import (  # noqa: E402
    VOICES,
    Room,
    room_utterance,
    speech_ends_at,
    speech_seconds,
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


# --- Commands in rooms: accuracy and end of speech → action by condition ---

ROOMS = (
    Room("clean", background="hiss", snr_db=47),  # a real microphone's own hiss, -70 dBFS
    Room("pink 20 dB", background="pink", snr_db=20),
    Room("pink 10 dB", background="pink", snr_db=10),
    Room("TV 20 dB below", background="tv", snr_db=20),
    Room("babble 15 dB", background="babble", snr_db=15),
    Room("quiet -45 dBFS", speech_dbfs=-45, background="hiss", snr_db=30),
)
# When the learner starts talking after the microphone opens, by voice: up to 2 s of the
# room (a TV) before the first word.
LEADS = (0.5, 2.0, 1.0, 1.5, 0.8, 1.2)
# Everyday speech that is not a command: what a senior says to a neighbour, to the kiosk,
# to herself. None may ever run a command.
EVERYDAY = (
    "오늘 날씨가 참 좋네요",
    "점심은 뭐 드셨어요",
    "이거 어떻게 하는 거예요",
    "잘 안 보여요",
    "글씨가 너무 작아요",
    "소리가 너무 커요",
    "조금만 기다려 주세요",
    "잠깐만요",
    "아이고 허리야",
    "안경을 안 가져왔어요",
    "우리 딸이 가르쳐 줬어요",
    "전화가 왔네",
    "손주가 보고 싶어요",
    "버스 정류장이 어디예요",
    "몇 시에 끝나요",
    "화장실이 어디 있어요",
    "물 한 잔 주세요",
    "선생님 이거 맞아요",
    "이건 처음 해 봐요",
    "무슨 말인지 모르겠어요",
    "천천히 말해 주세요",
    "다리가 좀 아파요",
    "어제 병원에 갔다 왔어요",
    "약을 먹어야 하는데",
    "카톡으로 사진을 보내고 싶어요",
    "아들한테 전화해야 돼요",
    "이번 주 토요일에 시간 있어요",
    "경로당에 누가 왔어요",
    "밥은 먹었어요",
    "커피 한 잔 할까요",
    "너무 어려워요",
    "이제 좀 알겠어요",
    "재미있네요",
    "기차표는 어떻게 사요",
    "은행에 가야 해요",
    "돈을 보내려고 하는데요",
    "비밀번호를 잊어버렸어요",
    "문자가 안 와요",
    "화면이 꺼졌어요",
    "배터리가 없어요",
    "충전기 어디 있어요",
    "와이파이가 뭐예요",
    "인터넷이 안 돼요",
    "사진이 어디 갔지",
    "영상 통화 해 보고 싶어요",
    "며느리한테 배웠어요",
    "눈이 침침해요",
    "귀가 잘 안 들려요",
    "오늘은 좀 피곤하네요",
    "내일 또 올게요",
    "수고 많으셨어요",
    "옆에 앉아도 돼요",
    "여기 자리 있어요",
    "창문 좀 열어 주세요",
    "에어컨이 너무 추워요",
    "텔레비전 소리 좀 줄여 주세요",
    "뉴스에서 봤어요",
    "김치찌개가 맛있었어요",
    "시장에 가야 하는데",
    "택시를 부르고 싶어요",
    "주민센터는 몇 시까지 해요",
    "우체국이 어디예요",
    "마스크를 깜빡했네",
    "손을 씻고 올게요",
    "오늘 몇 월 며칠이에요",
    "생일 축하해요",
    "건강하세요",
    "조심히 들어가세요",
    "반가워요",
    "오랜만이에요",
    "요즘 어떻게 지내요",
    "노래 교실은 언제예요",
    "체조 시간이에요",
    "바둑 두실래요",
    "산책 가실래요",
    "비가 올 것 같아요",
    "우산을 두고 왔어요",
    "집에 가고 싶어요",
    "배가 고파요",
    "이 사람이 누구예요",
    "그건 잘 모르겠는데요",
    "한 번만 더 보여 주세요",
    "할머니 여기 앉으세요",
    "딸기가 참 달아요",
    "오늘 저녁은 국수 먹을래요",
)
# Hesitations: a learner thinking before (or instead of) a command. None may run one.
HESITATION_SAYINGS = ("음", "어", "아", "음...", "음 그러니까", "저기")


@dataclass
class Tally:
    """One condition's outcomes."""

    right: int = 0
    asked_again: int = 0
    wrong: int = 0
    commands: int = 0
    false_accepts: int = 0
    hesitations_fired: int = 0
    others: int = 0
    no_endpoint: int = 0
    early_stops: int = 0  # listening stopped before the speech had ended
    latency: list[float] = field(default_factory=list)
    labels_right: int = 0  # the lesson buttons' labels said (다시 듣기, 도와주세요 …)
    labels: int = 0
    wrongs: list[str] = field(default_factory=list)  # "said → heard as"


class CountingSource:
    """A WAV file source that counts the audio read, so that the moment listening stopped
    is known in the audio's own time (decisions made faster than real time)."""

    def __init__(self, path: Path, realtime: bool = False) -> None:
        self.inner = WavFileSource(path, realtime=realtime)
        self.read_bytes = 0
        self.sample_rate = 16000

    @contextmanager
    def capture(self) -> Iterator[Capture]:
        with self.inner.capture() as capture:
            self.sample_rate = capture.sample_rate

            def read() -> bytes:
                data = capture.read()
                self.read_bytes += len(data)
                return data

            yield Capture(capture.sample_rate, read)

    @property
    def seconds(self) -> float:
        return self.read_bytes / (2 * self.sample_rate)


# --realtime: files read at the microphone's pace, so that work a recogniser does while
# the learner is still (or just no longer) talking counts as it would on a kiosk; slow, so
# with --every N only every Nth utterance is said.
REALTIME = {"on": False, "every": 1, "start": 0}


def _one(recognizer: Recognizer, path: Path, listening: Listening) -> tuple[Heard, float]:
    source = CountingSource(path, realtime=bool(REALTIME["on"]))
    heard = listen(recognizer, source, listening=listening)
    return heard, source.seconds


def bench_rooms(recognizer: Recognizer, listening: Listening, label: str) -> None:
    folder = SCRATCH_ROOMS
    folder.mkdir(parents=True, exist_ok=True)
    sayings = command_sayings()
    began = time.perf_counter()
    audio_seconds = 0.0
    print(
        f"\n{label}: {len(sayings)} commands x {len(VOICES)} voices; {len(EVERYDAY)} sentences"
        f" and {len(HESITATION_SAYINGS)} hesitations x {len(VOICES)} voices that are not commands"
    )
    print(
        f"  {'room':16} {'right':>7} {'again':>7} {'wrong':>6} {'false acc':>9}"
        f" {'(hes.)':>6} {'early':>5} {'no end':>6}  end of speech → action median / p95"
    )
    every, start = int(REALTIME["every"]), int(REALTIME["start"])
    for room in ROOMS:
        tally = Tally()
        said = [
            (v, voice, text, want)
            for v, voice in enumerate(VOICES)
            for text, want in sayings.items()
        ]
        for v, voice, text, want in said[start::every]:
            path, _start, end = room_utterance(folder, text, voice, room, LEADS[v])
            heard, stopped = _one(recognizer, path, listening)
            audio_seconds += stopped
            tally.commands += 1
            got = heard.interpretation.command
            if got is None:
                tally.asked_again += 1
            elif got == want:
                tally.right += 1
            else:
                tally.wrong += 1
                tally.wrongs.append(f"{text} → {got}")
            if text in MOVING_WORDS:  # the lesson buttons' labels
                tally.labels += 1
                tally.labels_right += got == want
            _timing(tally, heard, stopped, end, path)
        others = [(text, n % len(VOICES)) for n, text in enumerate(EVERYDAY)]
        others += [(text, v) for text in HESITATION_SAYINGS for v in range(len(VOICES))]
        for text, v in others[start::every]:
            path, _start, end = room_utterance(folder, text, VOICES[v], room, LEADS[v])
            heard, stopped = _one(recognizer, path, listening)
            audio_seconds += stopped
            tally.others += 1
            tally.false_accepts += heard.interpretation.accepted
            tally.hesitations_fired += heard.interpretation.accepted and text in HESITATION_SAYINGS
        _report(room, tally)
    spent = time.perf_counter() - began
    print(
        f"  (processing {spent / audio_seconds:.2f} s per second of audio: faster than real time)"
    )


def _timing(tally: Tally, heard: Heard, stopped: float, end: float, path: Path) -> None:
    # The file ends TRAIL_SILENCE after the speech: reaching it means no endpoint was found
    # (a microphone would have listened on, up to MAX_LISTEN_SECONDS).
    if stopped >= speech_seconds(path) - 0.04:
        tally.no_endpoint += 1
    if stopped < end:
        tally.early_stops += 1
        return
    tally.latency.append(stopped - end + (heard.decided_at - heard.ended_at))


def _report(room: Room, t: Tally) -> None:
    def pct(n: int, of: int) -> str:
        return f"{100 * n / of:5.1f}%"

    lat = sorted(t.latency)
    p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))] if lat else float("nan")
    median = statistics.median(lat) if lat else float("nan")
    print(
        f"  {room.name:16} {pct(t.right, t.commands)} {pct(t.asked_again, t.commands)}"
        f" {pct(t.wrong, t.commands):>6} {pct(t.false_accepts, t.others):>9}"
        f" {t.hesitations_fired:6d}"
        f" {t.early_stops:5d} {t.no_endpoint:6d}  {1000 * median:5.0f} / {1000 * p95:5.0f} ms"
        f"  labels {t.labels_right}/{t.labels}"
    )
    if t.wrongs:
        print(f"  {'':16} wrong: {', '.join(t.wrongs)}")


def command_sayings() -> dict[str, VoiceCommand]:
    """Every saying the grammar takes as a command, with the command it must give (a button
    label as it is said: 도와주세요, not the model's 도와줘 세요)."""
    sayings = {said_as(phrase): command for phrase, command in PHRASES.items()}
    sayings |= {f"{w} 번": VoiceCommand(Command.ANSWER, n) for w, n in NUMBERS.items()}
    sayings |= {f"{w} 번째": VoiceCommand(Command.ANSWER, n) for w, n in ORDINALS.items()}
    return sayings


LISTENINGS = {
    "before": Listening.before(),
    "now": Listening(),
    # each change alone, to see what each one brings
    "vad-only": Listening(gain=False, gate=False),
    "no-gain": Listening(gain=False),
    "denoise": Listening(denoise=True),  # needs `pip install webrtc-noise-gain`
}


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


if __name__ == "__main__":
    main()
