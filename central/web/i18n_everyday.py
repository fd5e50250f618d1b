"""The dashboard's words for the instructor's everyday tools: cancelling one class of a
weekly series, changing a series that has met, your own password, disabling accounts,
finding learners in the roster, naming stuck steps. Merged into `central.web.i18n.MESSAGES`
(kept apart so that table stays a size one can read)."""

from __future__ import annotations

EVERYDAY: dict[str, tuple[str, str]] = {
    # schedule: cancelling and changing classes
    "cancel_which": ("어떤 수업을 취소할까요?", "Which classes do you cancel?"),
    "cancel_this_one": ("{when} 수업만 취소해요.", "Only the class on {when}."),
    "cancel_this_and_later": (
        "{when} 수업과 그 뒤의 수업을 모두 취소해요.",
        "The class on {when} and every later one.",
    ),
    "cancel_one_off": ("{when} 수업을 취소할까요?", "Cancel the class on {when}?"),
    "cancel_history_note": (
        "지난 수업은 기록에 그대로 남아요.",
        "Past classes stay in the history.",
    ),
    "cancel_confirm": ("네, 취소할게요", "Yes, cancel"),
    "cancel_keep": ("취소하지 않고 돌아가기", "Keep it and go back"),
    "class_cancelled_one": ("{when} 수업을 취소했어요.", "The class on {when} is cancelled."),
    "class_cancelled_later": (
        "{when} 수업부터 모두 취소했어요.",
        "Cancelled from {when} on.",
    ),
    "no_class_to_cancel": (
        "취소할 수 있는 다음 수업이 없어요.",
        "There is no coming class to cancel.",
    ),
    "not_an_occurrence": (
        "그 시간에는 이 수업이 없어요. 다시 골라 주세요.",
        "The class does not meet at that time. Please choose again.",
    ),
    "class_already_started": (
        "이미 시작한 수업은 취소할 수 없어요.",
        "A class that has started cannot be cancelled.",
    ),
    "series_from_next": (
        "이미 진행한 매주 수업이에요. 고치면 {when} 수업부터 바뀌어요. 지난 수업 기록은 "
        "그대로 남아요.",
        "This weekly class has met already. Changes apply from {when} on. Past classes stay "
        "in the history.",
    ),
    "class_over": (
        "이미 끝난 수업이에요. 고치거나 취소할 수 없어요.",
        "This class is over. It cannot be changed or cancelled.",
    ),
    # roster: search, order, pages
    "search_name": ("이름으로 찾기", "Find by name"),
    "sort_by": ("순서", "Order"),
    "sort_name": ("이름순(가나다)", "By name"),
    "sort_newest": ("최근 추가순", "Newest first"),
    "show_all": ("모두 보기", "Show all"),
    "roster_shown": ("{count}명 중 {first}–{last}", "{first}–{last} of {count}"),
    "roster_found": (
        "‘{q}’ 찾은 {n}명 중 {first}–{last}",
        "“{q}”: {first}–{last} of {n} found",
    ),
    "roster_none_found": (
        "‘{q}’이(가) 들어간 이름이 없어요.",
        "No name contains “{q}”.",
    ),
    # who is stuck: a step by its number and first sentence
    "step_title": ("{n}단계: {text}", "Step {n}: {text}"),
    # your own account, and disabling accounts
    "my_password": ("내 비밀번호 바꾸기", "Change my password"),
    "change_password": ("비밀번호 바꾸기", "Change the password"),
    "current_password": ("지금 비밀번호", "Current password"),
    "new_password": ("새 비밀번호", "New password"),
    "new_password_again": ("새 비밀번호 한 번 더", "New password again"),
    "password_rules": (
        "12자 이상으로 적어 주세요. 바꾸면 다른 기기의 로그인은 모두 끝나요.",
        "At least 12 characters. Changing it signs out every other device.",
    ),
    "current_password_wrong": (
        "지금 비밀번호가 맞지 않아요.",
        "The current password is not right.",
    ),
    "password_wait": (
        "비밀번호를 여러 번 틀렸어요. {n}분 뒤에 다시 해 주세요.",
        "Too many wrong tries. Please try again in {n} min.",
    ),
    "password_mismatch": (
        "새 비밀번호 두 칸이 서로 달라요. 다시 적어 주세요.",
        "The two new passwords differ. Please type them again.",
    ),
    "password_unchanged": (
        "지금과 다른 비밀번호를 적어 주세요.",
        "Choose a password other than the current one.",
    ),
    "password_changed": (
        "비밀번호를 바꿨어요. 다른 기기의 로그인은 끝났어요.",
        "Your password is changed. Other devices are signed out.",
    ),
    "account_status": ("상태", "Status"),
    "account_enabled": ("사용 중", "Active"),
    "account_disabled": ("사용 중지됨", "Disabled"),
    "disable_account": ("사용 중지", "Disable"),
    "enable_account": ("다시 사용", "Enable again"),
    "account_disabled_done": (
        "{user} 계정을 사용 중지했어요. 열려 있던 로그인도 끝났어요.",
        "{user} is disabled. Their open sessions have ended.",
    ),
    "account_enabled_done": (
        "{user} 계정을 다시 쓸 수 있어요.",
        "{user} can sign in again.",
    ),
    "cannot_disable_self": (
        "자기 계정은 사용 중지할 수 없어요.",
        "You cannot disable your own account.",
    ),
    "last_admin": (
        "마지막 관리자 계정은 사용 중지할 수 없어요.",
        "The last admin cannot be disabled.",
    ),
    "no_such_user": ("없는 계정이에요.", "No such account."),
    # what the centers' programs told the instructor (central/site_notices.py)
    "site_notices": ("경로당에서 온 알림", "Notices from the center"),
    "no_site_notices": ("아직 온 알림이 없어요.", "No notices yet."),
    # help calls arriving while the list is open (central/web/static/help.js)
    "help_new_calls": ("새 요청 {n}건", "{n} new"),
    "help_sound_on": ("알림음 켜짐 · 끄기", "Sound on · turn off"),
    "help_sound_off": ("알림음 꺼짐 · 켜기", "Sound off · turn on"),
    "help_signed_out": (
        "로그인 시간이 끝나서 새 도움 요청을 받을 수 없어요.",
        "Your session has ended, so new help calls cannot arrive.",
    ),
    "help_signed_out_title": ("다시 로그인해 주세요", "Please sign in again"),
    "sign_in_again": ("다시 로그인하기", "Sign in again"),
}
