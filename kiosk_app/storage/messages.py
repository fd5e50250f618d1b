"""What the instructor reads when something goes wrong: message keys turned into words."""

from __future__ import annotations

from kiosk_app.voice.status import MESSAGES as VOICE_MESSAGES
from lessons.model import Language

MESSAGES: dict[str, dict[Language, str]] = {
    "store.disk_full": {
        "ko": "저장 공간이 가득 찼어요. 수업은 계속되지만 기록이 저장되지 않고 있어요.",
        "en": "The disk is full. Teaching goes on, but progress is not being saved.",
    },
    "store.read_only": {
        "ko": "데이터 폴더에 쓸 수 없어요(읽기 전용). 기록이 저장되지 않고 있어요.",
        "en": "The data folder is read-only. Progress is not being saved.",
    },
    "store.cannot_open": {
        "ko": "기록 파일을 열 수 없어요. 기록은 이 화면이 켜진 동안만 보관돼요.",
        "en": "The store cannot be opened. Progress is kept only while the kiosk runs.",
    },
    "store.corrupt": {
        "ko": "기록 파일이 손상되었어요. 관리자에게 알려 주세요.",
        "en": "The store file is damaged. Please tell the administrator.",
    },
    "store.other": {
        "ko": "기록을 저장하지 못했어요. 잠시 후 다시 시도해요.",
        "en": "Progress could not be saved. It will be tried again.",
    },
}


_EVERY_MESSAGE = {**MESSAGES, **VOICE_MESSAGES}


def message(key: str, language: Language = "ko") -> str:
    """The words for message `key` (store or voice), or the key itself when it has none."""
    words = _EVERY_MESSAGE.get(key)
    return words[language] if words else key
