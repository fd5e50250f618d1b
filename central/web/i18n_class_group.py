"""The dashboard's words for classes across centers (central/web/routes/class_group.py).
Merged into `central.web.i18n.MESSAGES`."""

from __future__ import annotations

CLASS_GROUP: dict[str, tuple[str, str]] = {
    "class_group_start": (
        "여러 경로당에서 함께 수업 시작하기",
        "Start one class at several centers",
    ),
    "class_group_start_centers": (
        "함께 할 경로당 (이 화면에 보이는 경로당)",
        "Centers to teach it (those on this page)",
    ),
    "class_group_start_robots": (
        "경로당마다 지금 연결된 로봇이 가르쳐요. 로봇이 없으면 키오스크가 읽어 줘요.",
        "Each center's robots online now teach it; where there are none, the kiosks read it.",
    ),
    "class_group_bad_centers": (
        "함께 할 경로당을 2곳에서 {most}곳까지 골라 주세요.",
        "Choose 2 to {most} centers.",
    ),
    "class_group_sent": (
        "'{action}'을(를) 경로당 {centers}곳 중 {sent}곳에 보냈어요.",
        "Sent '{action}' to {sent} of {centers} centers.",
    ),
    "class_group_resume_held": (
        "경로당 {centers}곳 중 {sent}곳에 '계속'을 보냈어요. 비상 정지로 멈춘 곳({held})은 "
        "그 경로당 화면에서 확인한 뒤 '계속'을 눌러 주세요.",
        "Sent 'resume' to {sent} of {centers} centers. Where an emergency stop holds the "
        "class ({held}), check there and resume from that center's console.",
    ),
    "class_group_no_lead": (
        "15초 넘게 소식이 온 경로당이 없어서 단계를 맞출 수 없어요. '이 단계로 가기'로 "
        "단계를 골라 주세요.",
        "No center has been heard from for 15 s, so there is no step to count from. Choose "
        "a step with 'Go to this step'.",
    ),
    "class_group_sent_to": ("{n}곳 중 {sent}곳에 보냄", "sent to {sent} of {n}"),
    "class_in_group": (
        "여러 경로당이 함께 하는 수업이에요 ({n}곳). 여기서 누르는 조작은 이 경로당에만 가요.",
        "A class across {n} centers. Controls pressed here go to this center only.",
    ),
    "class_group_open": ("모든 경로당 함께 보기", "See every center"),
    "class_group_centers_n": ("경로당 {n}곳", "{n} centers"),
    "class_group_note": (
        "조작은 모든 경로당에 함께 가요. 다음·이전·다시는 가장 앞선 경로당의 단계를 "
        "기준으로 모두 같은 단계로 맞춰요. 이 화면은 1초 안에 바뀌어요.",
        "Each control goes to every center. Next, back and repeat bring every center to one "
        "step, counted from the center furthest on. This page updates within a second.",
    ),
    "class_group_lead": ("가장 앞선 곳 {n} / {total}단계", "Furthest on: step {n} of {total}"),
    "class_group_centers": ("경로당별 진행", "Centers"),
    "class_group_state": ("상태", "State"),
    "class_group_step": ("단계", "Step"),
    "class_group_waiting": ("시작을 기다리는 중", "Waiting to start"),
    "class_silent_since": (
        "{when} 이후로 이 경로당에서 소식이 없어요. 연결이 끊긴 것 같아요.",
        "Nothing heard from this center since {when}: its link may be down.",
    ),
    "class_group_on_its_own": ("연결 끊김, 자체 진행 중", "Link down, teaching on its own"),
    "class_group_behind": ("{n}단계 뒤처짐", "{n} step(s) behind"),
    "class_group_kiosks": ("{n}대 중 {done}대 연습 마침", "{done} of {n} done"),
    "class_group_kiosks_n": ("{n}대", "{n}"),
    "class_estop_robot_at": (
        "{center} 로봇 {robot} 비상 정지",
        "Emergency stop robot {robot} at {center}",
    ),
}
