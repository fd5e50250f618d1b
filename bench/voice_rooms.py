"""Commands in rooms (bench/voice.py's rooms): accuracy and end of speech → action by
condition, for any recogniser; with `--evidence FILE`, what vosk and Whisper each heard in
every utterance, for bench/voice_rules.py to try the combined rule's margins on.

Imported by bench/voice.py after it has set up Kivy's and SDL's environment.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from kiosk_app.teaching.voice_actions import MOVING_WORDS
from kiosk_app.voice.audio_source import Capture, WavFileSource
from kiosk_app.voice.commands import (
    NUMBERS,
    ORDINALS,
    PHRASES,
    Command,
    VoiceCommand,
    said_as,
)
from kiosk_app.voice.listener import Heard, Listening, listen
from kiosk_app.voice.recognizer import Recognizer, StepPhrases
from tests.kiosk_app.voice.utterances import VOICES, Room, room_utterance, speech_seconds

# The generated room set is kept between runs (a few minutes of espeak-ng and mixing).
SCRATCH_ROOMS = Path(tempfile.gettempdir()) / "sarangbang-bench-voice-rooms"


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
# --evidence FILE: what each model heard, one JSON line an utterance (vosk+whisper only)
EVIDENCE: dict[str, TextIO | None] = {"file": None}


class Remembering:
    """A recogniser whose last session is kept, to read what it heard (its `evidence`)."""

    def __init__(self, inner: Recognizer) -> None:
        self.inner = inner
        self.last: Any = None

    def session(self, sample_rate: int, phrases: StepPhrases | None = None) -> Any:
        self.last = self.inner.session(sample_rate, phrases)
        return self.last


def _record(recognizer: Remembering, room: Room, text: str, want: VoiceCommand | None) -> None:
    evidence = getattr(recognizer.last, "evidence", None)
    out = EVIDENCE["file"]
    if out is None or evidence is None:
        return
    line = {
        "room": room.name,
        "text": text,
        "want": str(want) if want else None,
        "vosk": [[word.word, word.confidence] for word in evidence.vosk],
        "whisper": evidence.whisper,
    }
    out.write(json.dumps(line, ensure_ascii=False) + "\n")


def _one(recognizer: Remembering, path: Path, listening: Listening) -> tuple[Heard, float]:
    source = CountingSource(path, realtime=bool(REALTIME["on"]))
    heard = listen(recognizer, source, listening=listening)
    return heard, source.seconds


def bench_rooms(inner: Recognizer, listening: Listening, label: str) -> None:
    recognizer = Remembering(inner)
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
            _record(recognizer, room, text, want)
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
            _record(recognizer, room, text, None)
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
