"""The dashboard's words for the live class console (central/web/routes/classes.py). Merged
into `central.web.i18n.MESSAGES`."""

from __future__ import annotations

CONSOLE: dict[str, tuple[str, str]] = {
    "class_console": ("수업 진행", "Class console"),
    "class_open_console": ("진행 화면", "Console"),
    "classes_now": ("지금 진행 중인 수업", "Classes now"),
    "class_controls": ("수업 조작", "Controls"),
    "class_action_start": ("지금 시작", "Start now"),
    "class_action_pause": ("잠시 멈춤", "Pause"),
    "class_action_resume": ("계속", "Resume"),
    "class_action_next": ("다음 단계", "Next step"),
    "class_action_stop": ("수업 끝내기", "End class"),
    "class_action_estop": ("비상 정지 (로봇 모두)", "Emergency stop (every robot)"),
    "class_action_back": ("이전 단계", "Previous step"),
    "class_action_repeat": ("이 단계 다시", "Repeat this step"),
    "class_action_goto": ("이 단계로 가기", "Go to this step"),
    "class_action_announce": ("안내 말하기", "Announce"),
    "class_goto_label": ("단계 고르기", "Step"),
    "class_announce_label": (
        "안내 말 (로봇이나 키오스크가 말해요)",
        "Announcement (said by the robots or kiosks)",
    ),
    "class_announce_example": ("예: 5분 쉬었다 할게요.", "e.g. A 5-minute break now."),
    "class_bad_goto": (
        "이 수업에 없는 단계예요. 목록에서 골라 주세요.",
        "That step is not in this class. Choose one from the list.",
    ),
    "class_bad_announce": (
        "안내 말을 120자 안으로 써 주세요.",
        "Write the announcement in 120 characters or fewer.",
    ),
    "class_estop_one": ("정지", "Stop"),
    "class_hint": ("힌트 {n}단계", "hint {n}"),
    "class_answer": ("{n}번 답", "answer {n}"),
    "class_help_calls": ("도움 요청 {n}건", "{n} help calls"),
    "class_help_list": ("도움 요청 목록에서 처리하기", "Handle them in the help list"),
    "class_estop_robot": ("로봇 {robot} 비상 정지", "Emergency stop robot {robot}"),
    "class_controls_note": (
        "누른 조작은 경로당의 수업 진행기로 바로 보내지고 기록에 남아요.",
        "Each control goes straight to the center's class runner and is logged.",
    ),
    "class_no_link": (
        "대시보드가 지금 경로당들과 연결되어 있지 않아 조작을 보낼 수 없어요.",
        "The dashboard is not connected to the centers: controls cannot be sent now.",
    ),
    "class_sent": ("'{action}'을(를) 보냈어요.", "Sent '{action}'."),
    "class_unconfirmed": (
        "'{action}'을(를) 보냈지만 전달을 확인하지 못했어요. 화면의 상태를 확인해 주세요.",
        "Sent '{action}', but its delivery was not confirmed. Check the state shown.",
    ),
    "class_not_connected": (
        "'{action}'을(를) 보내지 못했어요: 경로당들과 연결되어 있지 않아요.",
        "Could not send '{action}': not connected to the centers.",
    ),
    "class_not_startable": (
        "일정에 없는 수업은 여기서 시작할 수 없어요.",
        "A class that is not on the schedule cannot be started here.",
    ),
    "class_status_none": (
        "아직 경로당에서 이 수업 소식이 없어요 (시작 전).",
        "No word of this class from the center yet (not started).",
    ),
    "class_status_running": ("진행 중", "Running"),
    "class_status_paused": ("잠시 멈춤", "Paused"),
    "class_status_estop": (
        "비상 정지로 멈춤: 확인 후 '계속'을 눌러 주세요",
        "Stopped by an emergency stop: check, then resume",
    ),
    "class_status_finished": ("끝남", "Finished"),
    "class_status_stopped": ("강사가 끝냄", "Ended by the instructor"),
    "class_heard_at": ("{when}에 받은 상태", "state received {when}"),
    "class_step": ("{n} / {total}단계", "Step {n} of {total}"),
    "class_step_unknown": (
        "이 대시보드의 수업 자료에 없는 단계예요 ({step}).",
        "A step this dashboard's lessons do not have ({step}).",
    ),
    "class_saying_robot": ("로봇 {robot}이(가) 말하는 중", "Robot {robot} is saying"),
    "class_saying_kiosks": ("키오스크가 직접 말하는 중", "The kiosks are saying"),
    "class_kiosks": ("수업 중인 키오스크", "Kiosks in class"),
    "class_practice_done": ("연습 마침", "Practice done"),
    "class_practice_doing": ("연습 중", "Practising"),
    "class_no_kiosks": ("아직 수업에 들어온 키오스크가 없어요.", "No kiosk has joined yet."),
    "class_robots": ("로봇", "Robots"),
    "class_robot_speaking": ("말하는 중", "speaking"),
    "class_robot_ready": ("대기", "idle"),
    "class_robot_offline": ("연결 끊김", "offline"),
    "class_no_robots": (
        "로봇 없이 키오스크가 말해요.",
        "No robot: the kiosks speak.",
    ),
    "class_actions": ("최근 조작", "Recent controls"),
    "class_no_actions": ("아직 조작한 적이 없어요.", "No control sent yet."),
    "class_outcome_sent": ("보냄", "sent"),
    "class_outcome_unconfirmed": ("확인 못 함", "not confirmed"),
    "class_outcome_not_connected": ("못 보냄 (연결 없음)", "not sent (no connection)"),
    "class_outcome_not_startable": ("못 보냄 (일정에 없음)", "not sent (not scheduled)"),
    "class_signed_out": (
        "로그인이 끝났어요. 다시 로그인하면 화면이 다시 바뀌어요.",
        "You were signed out. Sign in again to see the class live.",
    ),
    "class_live_note": (
        "이 화면은 새로 고치지 않아도 1초 안에 바뀌어요.",
        "This page updates within a second, without reloading.",
    ),
}
