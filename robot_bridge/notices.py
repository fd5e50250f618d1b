"""Notices for the instructor: a key, and the words for it in Korean and English."""

from __future__ import annotations

from robot_bridge.class_messages import Lang, Notice, NoticeKey

TEXTS: dict[NoticeKey, dict[Lang, str]] = {
    NoticeKey.HELP: {
        "ko": "{kiosk} 키오스크에서 도움을 요청했어요.",
        "en": "Kiosk {kiosk} is asking for help.",
    },
    NoticeKey.ROBOT_DROPPED: {
        "ko": "로봇 {robot}이(가) 응답하지 않아요. 키오스크가 대신 말해요.",
        "en": "Robot {robot} is not answering. The kiosks speak its lines.",
    },
    NoticeKey.ROBOT_BACK: {
        "ko": "로봇 {robot}이(가) 돌아왔어요. 다음 단계부터 다시 수업해요.",
        "en": "Robot {robot} is back. It teaches again from the next step.",
    },
    NoticeKey.CLASS_FINISHED: {
        "ko": "{class_id} 수업이 끝났어요.",
        "en": "Class {class_id} has finished.",
    },
}


def notice(
    key: NoticeKey,
    at: float,
    *,
    class_id: str | None = None,
    kiosk: str | None = None,
    robot: str | None = None,
) -> Notice:
    """A notice with its words filled in."""
    fill = {"class_id": class_id or "-", "kiosk": kiosk or "-", "robot": robot or "-"}
    text: dict[Lang, str] = {lang: words.format(**fill) for lang, words in TEXTS[key].items()}
    return Notice(key=key, text=text, class_id=class_id, kiosk=kiosk, robot=robot, at=at)
