from __future__ import annotations

from kiosk_app.storage.store import StoreStatus
from kiosk_app.teaching.status_report import StatusInputs, status_lines, stepped_volume, waited

NOW = 1_800_000_000.0


def inputs(**changes: object) -> StatusInputs:
    values: dict[str, object] = dict(
        center_id="gangnam-1",
        kiosk_id="kiosk-2",
        store=StoreStatus("kiosk.db", 120, 120, 100, NOW - 720),
        waiting_writes=0,
        problem_key=None,
        broker="127.0.0.1:1883",
        broker_connected=True,
        speaker_status="voice.speaking_ready",
        voice_status="voice.no_microphone",
        voice_ready=False,
        volume=0.8,
        now=NOW,
    )
    values.update(changes)
    return StatusInputs(**values)  # type: ignore[arg-type]


def test_status_names_backlog_lag_broker_and_voice() -> None:
    assert status_lines(inputs()) == [
        "센터 gangnam-1 · 키오스크 kiosk-2",
        "기록 120개 · 보내지 않은 기록 20개",
        "가장 오래 기다린 기록: 12분 전",
        "브로커 127.0.0.1:1883: 연결됨",
        "소리 크기 80% · 소리 안내가 켜져 있어요.",
        "마이크를 찾지 못했어요. 음성 명령을 쓸 수 없어요. 그래서 '말하기' 버튼을 숨겼어요.",
    ]


def test_in_english_every_line_is_english() -> None:
    lines = status_lines(inputs(waiting_writes=2, problem_key="store.read_only"), "en")
    assert lines == [
        "Center gangnam-1 · kiosk kiosk-2",
        "120 events · 20 not sent yet",
        "Oldest unsent event: 12 min ago",
        "Broker 127.0.0.1:1883: connected",
        "Volume 80% · Spoken guidance is on.",
        "No microphone found. Voice commands are off. So the speak button is hidden.",
        "2 events waiting to be saved",
        "The data folder is read-only. Progress is not being saved.",
    ]
    assert [waited(s, "en") for s in (5, 3_599, 7_200)] == ["just now", "59 min ago", "2 h ago"]


def test_all_synced_and_a_problem_last() -> None:
    synced = StoreStatus("kiosk.db", 120, 120, 120, None)
    lines = status_lines(
        inputs(
            store=synced, broker_connected=False, waiting_writes=3, problem_key="store.disk_full"
        )
    )
    assert not any("기다린" in line for line in lines)
    assert "연결 안 됨" in lines[2]
    assert lines[-2] == "저장을 기다리는 기록 3개"
    assert lines[-1].startswith("저장 공간이 가득 찼어요.")


def test_waited_reads_naturally() -> None:
    assert [waited(s) for s in (5, 60, 3_599, 7_200, 3 * 86_400)] == [
        "방금",
        "1분 전",
        "59분 전",
        "2시간 전",
        "3일 전",
    ]


def test_volume_steps_stay_on_the_grid_and_in_range() -> None:
    assert stepped_volume(0.8, 1) == 0.9
    assert stepped_volume(0.95, 1) == 1.0
    assert stepped_volume(0.1, -3) == 0.0
    assert stepped_volume(0.33, 0) == 0.3
