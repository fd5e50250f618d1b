"""The kiosk set to `language = "en"`: every screen shows and says English (only the
learners' own names stay as they are), and the side bar holds its longest English label on
one line."""

from __future__ import annotations

import re
from typing import Any

from tests.kiosk_app.driver import labels
from tests.kiosk_app.test_accessibility import states

HANGUL = re.compile("[\uac00-\ud7a3]")


def korean(texts: list[str], names: set[str]) -> list[str]:
    """The texts with Hangul in them once the learners' names are taken out."""
    found = []
    for text in texts:
        plain = text
        for name in names:
            plain = plain.replace(name, "")
        if HANGUL.search(plain):
            found.append(text)
    return found


def test_every_screen_shows_and_says_english(kiosk: Any) -> None:
    app = kiosk.app
    names = {learner.name for learner in app.kiosk.roster(include_hidden=True)}
    kiosk.use_language("en")
    said_before = len(app.speaker.history)
    try:
        for name in states(kiosk):
            kiosk.frames(3)
            shown = [label.text for label in labels(kiosk.screen)]
            assert not korean(shown, names), f"{name} shows Korean"
            if name == "lesson-narration":
                bar = kiosk.screen.ids.bar.children
                buttons = [b for b in bar if getattr(b, "text", "")]
                assert all(b.texture_size[1] < b.font_size * 2 for b in buttons), "wraps"
        said = app.speaker.history[said_before:]
        assert said and not korean(said, names), "the kiosk spoke Korean"
    finally:
        app.sign_out()
        kiosk.use_language("ko")
