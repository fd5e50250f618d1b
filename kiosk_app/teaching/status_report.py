"""What instructor mode says about the kiosk: pure, from plain inputs, in the kiosk's
language."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk_app.look.ui_text import tr
from kiosk_app.storage.messages import message
from kiosk_app.storage.store import StoreStatus
from lessons import Language

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


def status_lines(s: StatusInputs, language: Language = "ko") -> list[str]:
    """One short line per fact, problems last so they stand out."""
    lines = [tr("status.kiosk", language, center=s.center_id, kiosk=s.kiosk_id)]
    if s.store is not None:
        events, unsent = s.store.events, s.store.unsynced
        lines.append(tr("status.events", language, events=events, unsent=unsent))
        if s.store.oldest_unsynced_at is not None:
            ago = waited(s.now - s.store.oldest_unsynced_at, language)
            lines.append(tr("status.oldest", language, waited=ago))
    state = tr("status.connected" if s.broker_connected else "status.disconnected", language)
    lines.append(tr("status.broker", language, broker=s.broker, state=state))
    speaker = message(s.speaker_status, language)
    lines.append(tr("status.volume", language, volume=round(s.volume * 100), speaker=speaker))
    voice = message(s.voice_status, language)
    if not s.voice_ready:
        voice += " " + message("voice.speak_button_hidden", language)
    lines.append(voice)
    if s.waiting_writes:
        lines.append(tr("status.waiting_writes", language, count=s.waiting_writes))
    if s.problem_key is not None:
        lines.append(message(s.problem_key, language))
    return lines


def waited(seconds: float, language: Language = "ko") -> str:
    """'방금', '12분 전', '3시간 전', '2일 전' (just now, 12 min ago, 3 h ago, 2 d ago)."""
    for key, size in (("ago.days", 86_400), ("ago.hours", 3_600), ("ago.minutes", 60)):
        if seconds >= size:
            return tr(key, language, count=int(seconds // size))
    return tr("ago.now", language)


def stepped_volume(volume: float, steps: int) -> float:
    """The volume `steps` presses away, kept on the 10 % grid and within 0 … 1."""
    notches = round(volume / VOLUME_STEP) + steps
    return max(0.0, min(1.0, round(notches * VOLUME_STEP, 2)))
