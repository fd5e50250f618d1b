"""The dashboard's words: message keys to Korean (first) and English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from central.web.i18n_class_group import CLASS_GROUP
from central.web.i18n_console import CONSOLE
from central.web.i18n_everyday import EVERYDAY
from central.web.i18n_library import LIBRARY

Lang = Literal["ko", "en"]
LANGS: tuple[Lang, ...] = ("ko", "en")
DEFAULT_LANG: Lang = "ko"

MESSAGES: dict[str, tuple[str, str]] = {
    # frame
    "app_name": ("사랑방 강사 대시보드", "Sarangbang instructor dashboard"),
    "nav_overview": ("경로당 현황", "Centers"),
    "nav_help": ("도움 요청", "Help calls"),
    "nav_admin_users": ("강사 관리", "Instructors"),
    "nav_admin_centers": ("경로당 관리", "Manage centers"),
    "nav_api": ("API 문서", "API docs"),
    "sign_out": ("로그아웃", "Sign out"),
    "switch_lang": ("English", "한국어"),
    "save": ("저장", "Save"),
    "add": ("추가", "Add"),
    "cancel": ("취소", "Cancel"),
    "back": ("돌아가기", "Back"),
    "none_yet": ("아직 없어요.", "Nothing yet."),
    "previous": ("이전", "Previous"),
    "next": ("다음", "Next"),
    "search": ("찾기", "Search"),
    # sign-in
    "sign_in": ("로그인", "Sign in"),
    "username": ("아이디", "User name"),
    "password": ("비밀번호", "Password"),
    "login_wrong": (
        "아이디 또는 비밀번호가 맞지 않아요.",
        "The user name or password is not right.",
    ),
    "login_wait": (
        "로그인을 여러 번 실패했어요. {wait} 뒤에 다시 해 보시거나 관리자에게 비밀번호 "
        "초기화를 부탁하세요.",
        "Too many failed sign-ins. Try again in {wait}, or ask an admin to reset the password.",
    ),
    "login_busy": (
        "지금 로그인하는 사람이 많아요. 잠시 후 다시 해 주세요.",
        "Many people are signing in right now. Please try again in a moment.",
    ),
    "wait_seconds": ("{n}초", "{n} seconds"),
    "wait_minutes": ("{n}분", "{n} minutes"),
    "login_required": ("먼저 로그인해 주세요.", "Please sign in first."),
    # errors
    "error_title": ("문제가 생겼어요", "Something went wrong"),
    "error_404": (
        "찾는 페이지가 없거나 볼 수 있는 권한이 없어요.",
        "That page does not exist, or it is not yours to see.",
    ),
    "error_403": ("이 페이지는 관리자만 볼 수 있어요.", "Only an admin can see this page."),
    "error_422": (
        "주소나 입력값이 올바르지 않아요. 다시 확인해 주세요.",
        "Something in the address or the form is not valid. Please check it.",
    ),
    "error_csrf": (
        "페이지가 오래되어 보안 확인에 실패했어요. 페이지를 새로 고친 뒤 다시 해 주세요.",
        "This page is too old to send safely. Reload it and try again.",
    ),
    "error_500": (
        "서버에서 문제가 생겼어요. 잠시 후 다시 해 주세요.",
        "The server ran into a problem. Please try again shortly.",
    ),
    "error_400": (
        "주소에 있는 날짜나 값이 올바르지 않아요. 다시 확인해 주세요.",
        "A date or value in the address is not valid. Please check it.",
    ),
    "too_large": (
        "보낸 내용이 너무 커요.",
        "What was sent is too large.",
    ),
    "text_invisible": (
        "보이지 않는 글자나 제어 문자는 쓸 수 없어요. 글자를 다시 입력해 주세요.",
        "Invisible or control characters cannot be used. Please type the text again.",
    ),
    "unknown_learner": ("명단에 없는 학습자", "not on the roster"),
    "error_home": ("처음 화면으로", "Back to the start"),
    # overview
    "centers": ("경로당", "Centers"),
    "center": ("경로당", "Center"),
    "kiosks": ("키오스크", "Kiosks"),
    "robots": ("로봇", "Robots"),
    "online": ("연결됨", "online"),
    "offline": ("끊김", "offline"),
    "last_seen": ("마지막 연결", "Last seen"),
    "never_seen": ("아직 연결된 적 없음", "never seen"),
    "sync_backlog": ("보낼 기록", "Backlog"),
    "sync_lag": ("지연", "Lag"),
    "todays_classes": ("오늘 수업", "Today's classes"),
    "open_help": ("도움 요청", "Open help calls"),
    "learners": ("학습자", "Learners"),
    "centers_shown": ("{count}곳 중 {first}–{last}", "{first}–{last} of {count}"),
    "roster": ("학습자 명단", "Roster"),
    "schedule": ("수업 일정", "Schedule"),
    "progress": ("학습 현황", "Progress"),
    "devices": ("기기", "Devices"),
    "device": ("기기", "Device"),
    "seconds_ago": ("{n}초 전", "{n} s ago"),
    "minutes_ago": ("{n}분 전", "{n} min ago"),
    "hours_ago": ("{n}시간 전", "{n} h ago"),
    "days_ago": ("{n}일 전", "{n} days ago"),
    # progress set aside (central/set_aside_notice.py)
    "set_aside": ("보류된 기록", "Set aside"),
    "set_aside_title": ("보류된 학습 기록", "Progress set aside"),
    "set_aside_central": (
        "중앙 서버가 받지 않고 따로 보관한 기록 {n}건 · 마지막 {when}",
        "{n} records central set aside · latest {when}",
    ),
    "set_aside_kiosks": (
        "키오스크가 보내지 못하고 따로 보관한 기록 {n}건",
        "{n} events the kiosks set aside and could not send",
    ),
    "set_aside_kiosk": (
        "보내지 못하고 보관한 기록 {n}건",
        "{n} events set aside, not sent",
    ),
    "set_aside_central_kiosk": (
        "중앙 서버가 보류한 기록 {n}건 · {when}",
        "{n} records set aside at central · {when}",
    ),
    "set_aside_latest": ("가장 최근 이유: {reason}", "Latest reason: {reason}"),
    "set_aside_safe": (
        "기록은 지워지지 않았어요. 키오스크와 중앙 서버에 그대로 남아 있어요. 원인을 고친 뒤 "
        "관리자에게 알려 주세요.",
        "Nothing is lost: the records are kept at the kiosk and at central. Once the cause is "
        "fixed, tell an admin.",
    ),
    "set_aside_details": ("자세히 보기", "Details"),
    "set_aside_none": ("보류된 기록이 없어요.", "Nothing was set aside."),
    "set_aside_shown": ("최근 {shown}건 (모두 {total}건)", "Latest {shown} of {total}"),
    "set_aside_when": ("시각", "When"),
    "set_aside_what": ("무엇", "What"),
    "set_aside_reason": ("이유", "Reason"),
    "set_aside_times": ("받은 횟수", "Times received"),
    "set_aside_event": ("학습 기록 {id}", "Event {id}"),
    "set_aside_run": ("기록 묶음 {first}–{last}번", "Batch of records {first}–{last}"),
    "set_aside_message": (
        "읽을 수 없는 메시지 ({size}바이트)",
        "Unreadable message ({size} bytes)",
    ),
    "set_aside_at_central": ("중앙 서버에서", "At central"),
    "set_aside_at_kiosks": ("키오스크에서", "At the kiosks"),
    "unknown_kiosk": ("알 수 없는 키오스크", "unknown kiosk"),
    "reported": ("보고 시각", "Reported"),
    "ignored_acks_warning": (
        "{kiosk} 키오스크가 자기가 보내지 않은 확인 메시지 {n}건을 무시했어요. 경로당 "
        "네트워크에서 누군가 확인 메시지를 위조하고 있을 수 있어요. 관리자에게 알려 주세요.",
        "Kiosk {kiosk} ignored {n} acknowledgements for batches it never sent. Someone may be "
        "forging them on the center's network: tell an admin.",
    ),
    "ignored_acks_center": (
        "무시한 가짜 확인 메시지 {n}건: 위조 가능성",
        "{n} stray acknowledgements ignored: possible forgery",
    ),
    "aside_clock_behind": (
        "키오스크 시계가 2024년보다 이전으로 되어 있어요(시계를 맞춰 주세요).",
        "The kiosk's clock was set before 2024 (set its clock).",
    ),
    "aside_clock_ahead": (
        "키오스크 시계가 하루 넘게 빨라요(시계를 맞춰 주세요).",
        "The kiosk's clock is more than a day fast (set its clock).",
    ),
    "aside_unknown_lesson": (
        "중앙 서버에 없는 수업의 기록이에요(수업 목록을 다시 보내 주세요).",
        "A lesson central does not have (publish the lessons again).",
    ),
    "aside_other_center": (
        "다른 경로당 명단에 있는 학습자의 기록이에요.",
        "A learner on another center's roster.",
    ),
    "aside_too_big": ("기록이 너무 커서 보낼 수 없어요.", "Too big to send."),
    "aside_not_stored": (
        "중앙 서버가 저장하지 못했어요(서버 로그를 확인해 주세요).",
        "Central could not store it (see the server's log).",
    ),
    "aside_unreadable": (
        "중앙 서버가 읽을 수 없는 형식이에요(키오스크 소프트웨어를 확인해 주세요).",
        "Central could not read it (check the kiosk's software).",
    ),
    "aside_wrong_topic": (
        "다른 경로당이나 키오스크의 이름으로 온 메시지예요.",
        "It came in another center's or kiosk's name.",
    ),
    "aside_other_reason": ("중앙 서버가 받지 않았어요.", "Central refused it."),
    "marked_title": (
        "저장했지만 일부를 세지 않은 기록 (최근 {days}일)",
        "Stored, but not all counted (last {days} days)",
    ),
    "marked_row": ("{n}건 · 마지막 {when}", "{n} events · latest {when}"),
    "marked_not_on_roster": (
        "명단에 없는 학습자의 기록이에요(명단에 추가하면 이름이 보여요).",
        "Learners not on the roster (add them to see their names).",
    ),
    "marked_seconds": (
        "학습 시간이 이상해서 학습 시간에 넣지 않았어요(키오스크 시계가 바뀌었어요).",
        "A time spent that cannot be right was left out (the kiosk's clock jumped).",
    ),
    "marked_hint": (
        "힌트 단계가 이상해서 세지 않았어요.",
        "A hint level that cannot be right was left out.",
    ),
    "marked_other": ("다른 표시가 있는 기록이에요.", "Marked for another reason."),
    # roster
    "name": ("이름", "Name"),
    "add_learner": ("학습자 추가", "Add a learner"),
    "rename": ("이름 바꾸기", "Rename"),
    "hide": ("숨기기", "Hide"),
    "show": ("다시 보이기", "Show again"),
    "hidden": ("숨김", "hidden"),
    "learner_added": ("{name} 님을 추가했어요.", "Added {name}."),
    "learner_renamed": ("이름을 {name}(으)로 바꿨어요.", "Renamed to {name}."),
    "learner_hidden": ("{name} 님을 숨겼어요.", "{name} is hidden."),
    "learner_shown": ("{name} 님이 다시 보여요.", "{name} is shown again."),
    "name_length": ("이름은 1–40자로 적어 주세요.", "A name has 1–40 characters."),
    "roster_note": (
        "바뀐 명단은 1초 안에 경로당 키오스크로 전해져요.",
        "Changes reach the center's kiosks within a second.",
    ),
    # schedule
    "new_class": ("수업 만들기", "New class"),
    "edit_class": ("수업 고치기", "Edit class"),
    "cancel_class": ("수업 취소", "Cancel class"),
    "class_saved": ("수업을 저장했어요.", "The class is saved."),
    "class_cancelled": ("수업을 취소했어요.", "The class is cancelled."),
    "lesson": ("수업 내용", "Lesson"),
    "starts": ("시작", "Starts"),
    "length_minutes": ("길이(분)", "Length (minutes)"),
    "room": ("교실", "Room"),
    "instructor": ("강사", "Instructor"),
    "repeat": ("반복", "Repeat"),
    "one_off": ("한 번", "Once"),
    "weekly": ("매주", "Weekly"),
    "other_robots": ("다른 로봇 ID(쉼표로 구분)", "Other robot ids (comma separated)"),
    "no_robot": ("로봇 없이(키오스크가 읽어 줘요)", "no robot (the kiosks read aloud)"),
    "week_of": ("{date} 주", "Week of {date}"),
    "this_week": ("이번 주", "This week"),
    "lang_of_class": ("수업 언어", "Class language"),
    "required": ("꼭 적어 주세요.", "Please fill this in."),
    "bad_lesson": ("목록에서 수업 내용을 골라 주세요.", "Choose a lesson from the list."),
    "bad_start": (
        "시작 날짜와 시간을 골라 주세요(예: 2025-03-04 10:00).",
        "Choose a start date and time (e.g. 2025-03-04 10:00).",
    ),
    "start_too_far": (
        "수업은 2년 안의 날짜로 정해 주세요.",
        "A class starts within the next two years.",
    ),
    "start_in_past": ("지난 시간에는 수업을 만들 수 없어요.", "A class cannot start in the past."),
    "bad_length": ("길이는 10분에서 240분 사이로 적어 주세요.", "Length is 10–240 minutes."),
    "bad_room": ("교실 이름은 1–40자로 적어 주세요.", "A room name has 1–40 characters."),
    "bad_robot": (
        "로봇 ID는 영문 소문자, 숫자, 하이픈(-)만 써요: {robot}",
        "A robot id has a-z, 0-9 and dashes only: {robot}",
    ),
    "too_many_robots": ("로봇은 8대까지 고를 수 있어요.", "At most 8 robots per class."),
    "bad_instructor": ("이 경로당의 강사를 골라 주세요.", "Choose an instructor of this center."),
    "robot_busy": (
        "로봇 {robot}은(는) {when}에 다른 수업({lesson})이 있어요.",
        "Robot {robot} already teaches {lesson} at {when}.",
    ),
    "room_busy": (
        "{room}에는 {when}에 다른 수업({lesson})이 있어요.",
        "{room} already has {lesson} at {when}.",
    ),
    "form_has_errors": ("빨간 글씨로 표시한 곳을 고쳐 주세요.", "Please fix the fields in red."),
    "cancelled": ("취소됨", "cancelled"),
    # progress
    "started": ("시작", "Started"),
    "completed": ("마침", "Completed"),
    "mastered": ("익힘", "Mastered"),
    "by_track": ("트랙별 진도", "Progress by track"),
    "track": ("트랙", "Track"),
    "track_lessons": ("수업 수", "Lessons"),
    "track_learners": ("학습자 수", "Learners"),
    "no_track": ("트랙 없음", "No track"),
    "learners_by_track": (
        "학습자별 트랙 (완료 · 익힘 / 수업 수)",
        "Learners by track (completed · mastered / lessons)",
    ),
    "time_spent": ("학습 시간", "Time spent"),
    "wrong_taps": ("잘못 누름", "Wrong taps"),
    "hint_level": ("최고 힌트 단계", "Highest hint"),
    "help_calls": ("도움 요청", "Help calls"),
    "all_lessons": ("모든 수업", "All lessons"),
    "who_is_stuck": ("어려워하는 분", "Who is stuck"),
    "step": ("단계", "Step"),
    "export_csv": ("CSV로 내려받기", "Export CSV"),
    "last_activity": ("마지막 학습", "Last activity"),
    "chart_title": ("수업별 시작·마침·익힘 인원", "Learners who started, completed, mastered"),
    "minutes_short": ("{n}분", "{n} min"),
    # help calls
    "help_from": ("{kiosk} 키오스크", "Kiosk {kiosk}"),
    "mark_handled": ("처리했어요", "Mark handled"),
    "help_handled": ("도움 요청을 처리했어요.", "The help call is marked handled."),
    "no_open_help": ("지금 기다리는 도움 요청이 없어요.", "No open help calls."),
    "help_live_note": (
        "이 목록은 5초마다 저절로 새로 고쳐져요.",
        "This list refreshes itself every 5 seconds.",
    ),
    "at_step": ("{n}단계", "step {n}"),
    "received": ("받은 시각", "Received"),
    # admin
    "display_name": ("표시 이름", "Display name"),
    "role": ("역할", "Role"),
    "role_admin": ("관리자", "Admin"),
    "role_instructor": ("강사", "Instructor"),
    "assigned_centers": ("맡은 경로당", "Assigned centers"),
    "add_instructor": ("강사 추가", "Add an instructor"),
    "reset_password": ("비밀번호 새로 만들기", "Reset password"),
    "new_password_once": (
        "{user}의 새 비밀번호: {password} — 지금 한 번만 보여요. 전해 주세요.",
        "New password for {user}: {password} — shown only now; pass it on.",
    ),
    "username_format": (
        "아이디는 영문 소문자·숫자·.-_ 로 2–40자예요.",
        "A user name is 2–40 of a-z, 0-9, . - _.",
    ),
    "username_taken": ("이미 쓰는 아이디예요.", "That user name is taken."),
    "password_length": (
        "비밀번호는 12자 이상이어야 해요.",
        "A password has at least 12 characters.",
    ),
    "no_such_center": ("없는 경로당이에요.", "No such center."),
    "centers_saved": ("맡은 경로당을 저장했어요.", "Assigned centers saved."),
    "add_center": ("경로당 추가", "Add a center"),
    "center_id": ("경로당 ID(영문)", "Center id"),
    "center_id_format": (
        "ID는 영문 소문자, 숫자, 하이픈(-)으로 적어요(예: gangnam-1).",
        "An id has a-z, 0-9 and dashes (e.g. gangnam-1).",
    ),
    "center_id_taken": ("이미 있는 경로당 ID예요.", "That center id exists already."),
    "center_id_reserved": (
        "sarangbang- 이나 central- 로 시작하는 ID는 쓸 수 없어요.",
        "A center id cannot begin with sarangbang- or central-.",
    ),
    "center_added": ("경로당 {name}을(를) 추가했어요.", "Added the center {name}."),
}

MESSAGES |= EVERYDAY  # the instructor's everyday tools, kept apart (central/web/i18n_everyday.py)
MESSAGES |= LIBRARY  # published lesson libraries (central/web/i18n_library.py)
MESSAGES |= CONSOLE  # the live class console (central/web/i18n_console.py)
MESSAGES |= CLASS_GROUP  # classes across centers (central/web/i18n_class_group.py)


def translate(key: str, lang: Lang, **values: object) -> str:
    """The words for `key` in `lang`, with `{names}` filled in; an unknown key shows as is."""
    words = MESSAGES.get(key)
    if words is None:
        return key
    text = words[LANGS.index(lang)]
    return text.format(**values) if values else text


def translator(lang: Lang) -> Callable[..., str]:
    return lambda key, **values: translate(key, lang, **values)


def pick_lang(value: object) -> Lang:
    return "en" if value == "en" else DEFAULT_LANG
