"""What instructor mode says about the kiosk: pure, from plain inputs, in Korean."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk_app.messages import message
from kiosk_app.store import StoreStatus

VOLUME_STEP = 0.1  # each press of 소리 크게/작게; ten steps from silent to full


@dataclass(frozen=True)
class StatusInputs:
    center_id: str
    kiosk_id: str
    store: StoreStatus | None
    waiting_writes: int
    problem_key: str | None
    broker: str
    broker_connected: bool
    speaker_status: str
    voice_status: str
    voice_ready: bool
    volume: float
    now: float


def status_lines(s: StatusInputs) -> list[str]:
    """One short line per fact, problems last so they stand out."""
    lines = [f"센터 {s.center_id} · 키오스크 {s.kiosk_id}"]
    if s.store is not None:
        lines.append(f"기록 {s.store.events}개 · 보내지 않은 기록 {s.store.unsynced}개")
        if s.store.oldest_unsynced_at is not None:
            lines.append(f"가장 오래 기다린 기록: {waited(s.now - s.store.oldest_unsynced_at)}")
    state = "연결됨" if s.broker_connected else "연결 안 됨 (혼자 배우기는 계속돼요)"
    lines.append(f"브로커 {s.broker}: {state}")
    lines.append(f"소리 크기 {round(s.volume * 100)}% · {message(s.speaker_status)}")
    voice = message(s.voice_status)
    if not s.voice_ready:
        voice += " " + message("voice.speak_button_hidden")
    lines.append(voice)
    if s.waiting_writes:
        lines.append(f"저장을 기다리는 기록 {s.waiting_writes}개")
    if s.problem_key is not None:
        lines.append(message(s.problem_key))
    return lines


def waited(seconds: float) -> str:
    """'방금', '12분 전', '3시간 전', '2일 전'."""
    if seconds < 60:
        return "방금"
    for unit, size in (("일", 86_400), ("시간", 3_600), ("분", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} 전"
    return "방금"


def stepped_volume(volume: float, steps: int) -> float:
    """The volume `steps` presses away, kept on the 10 % grid and within 0 … 1."""
    notches = round(volume / VOLUME_STEP) + steps
    return max(0.0, min(1.0, round(notches * VOLUME_STEP, 2)))
