"""The kiosk's own words: one table, Korean and English for every key, and no key the
screens ask for that the table does not have."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest

from kiosk_app.look import ui_text
from kiosk_app.look.ui_text import SIDE_BAR, UI_TEXT, tr

KIOSK_APP = Path(ui_text.__file__).parents[1]  # kiosk_app/, ui_text being in look/


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(UI_TEXT))
def test_every_key_has_korean_and_english_with_the_same_fields(key: str) -> None:
    words = UI_TEXT[key]
    assert set(words) == {"ko", "en"}
    assert words["ko"].strip() and words["en"].strip()
    assert fields(words["ko"]) == fields(words["en"])
    assert not re.search("[\uac00-\ud7a3]", words["en"]), "Hangul in the English text"


def test_lookup_fills_fields_and_falls_back_to_korean(monkeypatch: pytest.MonkeyPatch) -> None:
    assert tr("home.hello", "ko", name="김영희") == "김영희 님, 안녕하세요."
    assert tr("home.hello", "en", name="Kim") == "Hello, Kim!"
    assert tr("welcome.start") == "시작하기"
    monkeypatch.setitem(UI_TEXT, "only.korean", {"ko": "한국어만"})
    assert tr("only.korean", "en") == "한국어만"
    with pytest.raises(KeyError):
        tr("no.such.key", "en")


def sources() -> str:
    files = [*KIOSK_APP.rglob("*.py"), *KIOSK_APP.rglob("*.kv")]
    return "\n".join(f.read_text() for f in files if f.name != "ui_text.py")


def test_every_key_the_kiosk_names_is_in_the_table_and_every_entry_is_used() -> None:
    text = sources()
    asked = set(re.findall(r"""\btr\(\s*["']([a-z_]+\.[a-z_]+)["']""", text))
    assert asked and asked - set(UI_TEXT) == set(), "keys used but not in UI_TEXT"
    unused = [key for key in UI_TEXT if f'"{key}"' not in text and f"'{key}'" not in text]
    unused = [key for key in unused if key not in SIDE_BAR]
    assert unused == [], "entries nothing shows"
