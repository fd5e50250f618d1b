"""The dashboard's words for published lesson libraries: the admins' library page and each
kiosk's version on a center's page (central/web/library_view.py). Merged into
`central.web.i18n.MESSAGES` (kept apart so that table stays a size one can read)."""

from __future__ import annotations

LIBRARY: dict[str, tuple[str, str]] = {
    "nav_library": ("수업 배포", "Lesson library"),
    "library_title": ("수업 배포 현황", "Published lessons"),
    "library_versions": ("배포한 버전", "Published versions"),
    "library_none": (
        "아직 배포한 버전이 없어요. 키오스크는 처음 설치된 수업으로 가르쳐요.",
        "Nothing is published yet. The kiosks teach the lessons they came with.",
    ),
    "library_version": ("버전", "Version"),
    "library_when": ("배포 시각", "Published"),
    "library_note": ("설명", "Note"),
    "library_lessons": ("수업 수", "Lessons"),
    "library_files": ("파일 수", "Files"),
    "library_size": ("크기", "Size"),
    "library_offered_now": ("지금 보내는 버전", "Offered now"),
    "library_current_mark": ("지금 보내는 중", "offered now"),
    "library_publish_how": (
        "새 버전은 중앙 서버에서 이 명령으로 배포해요.",
        "Publish a new version on the central server with this command.",
    ),
    "library_rollback_how": (
        "이전 버전으로 되돌리려면 중앙 서버에서 이 명령을 실행하세요. 몇 초 안에 모든 "
        "경로당에 전해져요.",
        "To offer an earlier version again, run this on the central server. Every center "
        "is offered it within seconds.",
    ),
    "library_arrived": ("버전 {n} 도착 현황", "Where version {n} has arrived"),
    "library_totals": (
        "경로당 {centers}곳 중 {keepers}곳, 키오스크 {kiosks}대 중 {on}대가 이 버전을 가지고 "
        "있어요.",
        "{keepers} of {centers} centers and {on} of {kiosks} kiosks have it.",
    ),
    "library_warned_title": (
        "두 버전 이상 뒤처진 지 하루가 넘은 키오스크 {n}대",
        "{n} kiosks more than one version behind for over a day",
    ),
    "library_warned_more": ("처음 {shown}대만 보여요.", "The first {shown} are shown."),
    "library_warned_none": (
        "하루 넘게 뒤처진 키오스크는 없어요.",
        "No kiosk has been more than one version behind for a day.",
    ),
    "library_far_behind": (
        "두 버전 이상 뒤처졌어요({since}부터). 경로당 연결을 확인해 주세요.",
        "More than one version behind since {since}. Check the center's link.",
    ),
    "library_reach": ("경로당별 도착 현황", "Where it has arrived, by center"),
    "library_keeper": ("경로당 중계기", "Center keeper"),
    "keeper_not_heard": ("아직 소식이 없어요", "not heard from"),
    "keeper_refused": ("받지 않았어요: {why}", "refused: {why}"),
    "keeper_fetching": ("버전 {n} 받는 중, {size} 남음", "fetching version {n}, {size} to go"),
    "keeper_no_version": ("아직 받은 버전이 없어요", "no version yet"),
    "keeper_has": ("버전 {n} 있음", "has version {n}"),
    "library_reported": ("{when} 보고", "reported {when}"),
    "library_bundled": ("처음 설치된 수업", "the lessons it came with"),
    "library_version_n": ("버전 {n}", "version {n}"),
    "library_installed_next": (
        "버전 {n} 받아 둠(아무도 로그인하지 않았을 때 바꿔요)",
        "version {n} ready (switches when nobody is signed in)",
    ),
    "library_problem": ("문제: {why}", "problem: {why}"),
    "library_kiosk_col": ("수업 버전", "Lessons"),
    "library_no_kiosks": ("키오스크가 아직 없어요.", "No kiosks yet."),
}
