"""Small stateful screens for the mock engine's and the practice run's tests: a phone (home,
dialer, call, settings) and a restaurant kiosk (menu, cart, done)."""

from __future__ import annotations

from typing import Any

from lessons.model import Practice, Screen


def _key(digit: str) -> dict[str, Any]:
    return {
        "id": f"key-{digit}",
        "kind": "keypad_key",
        "label": digit,
        "on_tap": {"type": digit, "into": "number"},
    }


SCREENS: list[dict[str, Any]] = [
    {
        "id": "home",
        "title": "홈",
        "app": "phone",
        "elements": [
            {"id": "phone-app", "kind": "app_icon", "label": "전화", "on_tap": {"go": "dialer"}},
            {
                "id": "settings-app",
                "kind": "app_icon",
                "label": "설정",
                "on_tap": {"go": "settings"},
            },
            {"id": "clock", "kind": "label", "label": "10:30"},
        ],
    },
    {
        "id": "dialer",
        "title": "전화",
        "app": "phone",
        "fields": {"number": ""},
        "elements": [
            {"id": "number", "kind": "text_field", "label": "번호", "shows": "number"},
            *(_key(d) for d in "019"),
            {"id": "delete", "kind": "button", "label": "지우기", "on_tap": {"erase": "number"}},
            {"id": "video", "kind": "button", "label": "영상", "disabled": True},
            {"id": "call", "kind": "button", "label": "통화", "on_tap": {"go": "calling"}},
        ],
    },
    {
        "id": "calling",
        "title": "통화 중",
        "app": "phone",
        "fields": {"speaker": False},
        "elements": [
            {"id": "who", "kind": "label", "label": "{number}"},
            {"id": "speaker", "kind": "toggle", "label": "스피커", "on_tap": {"toggle": "speaker"}},
            {"id": "louder", "kind": "button", "label": "크게", "when": {"speaker": True}},
            {"id": "end", "kind": "button", "label": "종료", "on_tap": "back"},
        ],
    },
    {
        "id": "settings",
        "title": "설정",
        "app": "settings",
        "fields": {"wifi": False},
        "elements": [
            {"id": "wifi", "kind": "toggle", "label": "Wi-Fi", "on_tap": {"toggle": "wifi"}},
            {"id": "photo", "kind": "photo", "label": "사진", "on_hold": {"set": {"wifi": True}}},
        ],
    },
    {
        "id": "menu",
        "title": "메뉴",
        "app": "kiosk",
        "fields": {"count": 0, "total": 0},
        "elements": [
            {
                "id": "burger",
                "kind": "menu_item",
                "label": "버거",
                "on_tap": {"add": {"count": 1, "total": 5500}},
            },
            {"id": "cart", "kind": "button", "label": "장바구니", "on_tap": {"go": "cart"}},
        ],
    },
    {
        "id": "cart",
        "title": "장바구니",
        "app": "kiosk",
        "elements": [
            {"id": "sum", "kind": "label", "label": "{total}원"},
            {"id": "previous", "kind": "button", "label": "이전", "on_tap": "back"},
            {"id": "pay", "kind": "button", "label": "결제", "on_tap": {"go": "done"}},
        ],
    },
    {
        "id": "done",
        "title": "완료",
        "app": "kiosk",
        "elements": [{"id": "ticket", "kind": "label", "label": "주문번호 17"}],
    },
]

PRACTICES: list[dict[str, Any]] = [
    {
        "screen": "home",
        "instruction": "119에 거세요.",
        "do": [{"tap": "phone-app"}, {"type": "119", "into": "number"}, {"tap": "call"}],
    },
    {
        "screen": "home",
        "instruction": "전화를 걸고 스피커를 켜세요.",
        "do": [
            {"tap": "phone-app"},
            {"tap": "key-1"},
            {"tap": "call"},
            {"tap": "speaker"},
            {"tap": "louder"},
        ],
    },
    {
        "screen": "home",
        "instruction": "설정에서 와이파이를 켜고 돌아오세요.",
        "do": [{"tap": "settings-app"}, {"tap": "wifi"}, {"swipe": "up"}, "back"],
    },
    {"screen": "settings", "instruction": "사진을 길게 누르세요.", "do": [{"hold": "photo"}]},
    {
        "screen": "menu",
        "instruction": "버거 두 개를 담고 결제하세요.",
        "targets": ["burger", "burger", "cart", "pay"],
        "start": {"fields": {"count": 0}},
    },
]


def screens() -> dict[str, Screen]:
    return {s["id"]: Screen.model_validate(s) for s in SCREENS}


def practices() -> list[Practice]:
    return [Practice.model_validate(p) for p in PRACTICES]


ELEMENT_IDS = sorted({e["id"] for s in SCREENS for e in s["elements"]} | {"nothing"})
