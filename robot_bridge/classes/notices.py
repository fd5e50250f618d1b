"""Notices for the instructor: a key, and the words for it in Korean and English."""

from __future__ import annotations

from typing import NamedTuple

from robot_bridge.protocol.class_messages import Lang, Notice, NoticeKey


class Why(NamedTuple):
    """A notice's cause in the instructor's two languages."""

    ko: str
    en: str

    def of(self, lang: Lang) -> str:
        return self.ko if lang == "ko" else self.en


ROBOT_SAID_STOPPED = Why("로봇이 멈췄다고 알려 왔어요", "the robot reported a stop")


def stop_signal(robot: str | None, reason: str | None) -> Why:
    """A stop published on an estop topic, by anyone (a vendor's remote, an operator)."""
    ko = "이 로봇의 정지 신호" if robot else "경로당 전체 정지 신호"
    en = "a stop for this robot" if robot else "a stop for every robot of the center"
    return Why(f"{ko}: {reason or '-'}", f"{en}: {reason or '-'}")


TEXTS: dict[NoticeKey, dict[Lang, str]] = {
    NoticeKey.HELP: {
        "ko": "{kiosk} 키오스크에서 도움을 요청했어요.",
        "en": "Kiosk {kiosk} is asking for help.",
    },
    NoticeKey.HELP_UNANSWERED: {
        "ko": "로봇 {robot}이(가) {kiosk} 키오스크로 가지 못했어요. 직접 가 주세요.",
        "en": "Robot {robot} could not turn to kiosk {kiosk}. Please go there yourself.",
    },
    NoticeKey.ROBOT_DROPPED: {
        "ko": "로봇 {robot}이(가) 응답하지 않아요. 키오스크가 대신 말해요.",
        "en": "Robot {robot} is not answering. The kiosks speak its lines.",
    },
    NoticeKey.ROBOT_BACK: {
        "ko": "로봇 {robot}이(가) 돌아왔어요. 다음 문장부터 다시 말해요.",
        "en": "Robot {robot} is back. It speaks again from the next line.",
    },
    NoticeKey.ROBOT_STOPPED: {
        "ko": "로봇 {robot}이(가) 비상 정지되었어요 ({why}). 수업을 멈췄어요. "
        "확인 후 '계속'을 눌러 주세요.",
        "en": "Robot {robot} was emergency-stopped ({why}). The class is paused. "
        "Check, then resume.",
    },
    NoticeKey.ROBOT_CLOCK: {
        "ko": "로봇 {robot}의 시계가 {skew}초 어긋나 있어요. "
        "로봇의 시간 맞춤(NTP)을 확인해 주세요.",
        "en": "Robot {robot}'s clock is {skew} s off. Check the robot's time sync (NTP).",
    },
    NoticeKey.CLASS_FINISHED: {
        "ko": "{class_id} 수업이 끝났어요.",
        "en": "Class {class_id} has finished.",
    },
    NoticeKey.LIBRARY_REFUSED: {
        "ko": "새 수업 자료를 받지 않았어요 ({why}). 지금 자료로 계속 가르쳐요. "
        "중앙 관리자에게 알려 주세요.",
        "en": "A new lesson library was not taken ({why}). Teaching goes on with the "
        "current one. Please tell central's administrator.",
    },
}


def notice(
    key: NoticeKey,
    at: float,
    *,
    class_id: str | None = None,
    kiosk: str | None = None,
    robot: str | None = None,
    skew: float | None = None,
    why: Why | None = None,
) -> Notice:
    """A notice with its words filled in (`why`: the cause, in each language)."""
    fill = {
        "class_id": class_id or "-",
        "kiosk": kiosk or "-",
        "robot": robot or "-",
        "skew": f"{skew:+.1f}" if skew is not None else "-",
    }
    text: dict[Lang, str] = {
        lang: words.format(**fill, why=(why or Why("-", "-")).of(lang))
        for lang, words in TEXTS[key].items()
    }
    return Notice(key=key, text=text, class_id=class_id, kiosk=kiosk, robot=robot, at=at)
