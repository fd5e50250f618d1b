"""Every screen, rendered on a 24-inch 1920×1080 screen and a 10-inch 1280×800 tablet, at
every text size, in both themes and both languages: glyph heights (of each kind of
character a reader reads), touch targets, gaps and contrast measured on the widgets, and
no text clipped by the window or its box, broken inside a word or drawn over other text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from kiosk_app.look.theme import THEMES
from kiosk_app.teaching.settings import TEXT_SIZES
from kiosk_app.voice.audio_source import WavFileSource
from kiosk_app.voice.listener import VoiceCommands
from kiosk_app.voice.recognizer import ModelLoader
from kiosk_app.widgets.base import BigButton, TextLabel
from tests.kiosk_app.class_states import class_states
from tests.kiosk_app.driver import ARTIFACTS
from tests.kiosk_app.measure import Measures, glyph_heights
from tests.kiosk_app.test_window import open_lesson, sign_in, tap_element

SCREENS = {"24in-1920x1080": (1920, 1080, 24.0), "10in-1280x800": (1280, 800, 10.1)}


def states(kiosk: Any) -> Iterator[str]:
    """Go through every screen (and the lesson's kinds of step); yield a name at each."""
    app = kiosk.app
    app.sign_out()
    yield "welcome"
    yield from class_states(kiosk)
    kiosk.press_key("welcome.start")
    yield "who"
    sign_in(kiosk, "김영희")
    yield "home"
    open_lesson(kiosk, "phone-call")
    yield "lesson-narration"
    kiosk.screen.ids.speak.phase = "listening"  # the speak button's listening indicator
    yield "lesson-listening"
    kiosk.screen.ids.speak.phase = ""
    kiosk.press_key("lesson.next")
    kiosk.press_key("lesson.next")
    tap_element(kiosk, "messages")
    tap_element(kiosk, "messages")
    yield "lesson-practice-hint2"
    kiosk.press_key("lesson.next")
    yield "lesson-practice-dialer"
    run = app.kiosk.run
    while run.view.step.quiz is None:
        kiosk.press_key("lesson.next")
    quiz = run.view.step.quiz
    wrong = 1 if quiz.answer != 1 else 2
    kiosk.tap(kiosk.button(f"{wrong}.  {quiz.choices[wrong - 1].get(app.language)}"))
    yield "lesson-quiz-wrong"
    kiosk.press_key("lesson.help")
    yield "help"
    kiosk.press_key("help.back")
    while kiosk.screen.name == "lesson":
        kiosk.press_key("lesson.next")
    yield "complete"
    kiosk.press_key("complete.another")
    kiosk.press_key("home.settings")
    yield "settings"
    kiosk.clock.advance(app.kiosk_config.idle_seconds + 1)
    app.check_idle()
    yield "idle"
    kiosk.press_key("idle.keep_going")
    app.sign_out()
    kiosk.press_key("welcome.teacher")
    yield "pin"
    for digit in app.kiosk_config.instructor_pin:
        kiosk.press(digit)
    kiosk.press_key("pin.ok")
    yield "instructor"
    kiosk.press_key("instructor.status")
    yield "instructor-status"
    kiosk.press_key("instructor.louder")
    kiosk.press_key("instructor.learners")


@dataclass(frozen=True)
class Combo:
    """One way the kiosk can be set up: its screen, the learner's text size, the theme."""

    screen: str
    text_size: int
    theme: str

    @property
    def name(self) -> str:
        return f"{self.screen}-{self.theme}-{TEXT_SIZE_NAMES[self.text_size]}"


TEXT_SIZE_NAMES = ("normal", "large", "larger")  # 보통, 크게, 아주 크게 (settings.TEXT_SIZES)
COMBOS = [
    Combo(screen, size, theme)
    for screen in SCREENS
    for size in range(len(TEXT_SIZES))
    for theme in THEMES
]
# screens shown before anyone signs in: always at the kiosk's own text size (a learner's
# size comes with signing in, and goes with signing out)
BEFORE_SIGN_IN = {"welcome", "welcome-class", "who", "pin", "instructor", "instructor-status"}
# Not yet: English on a 10-inch tablet (text drawn at an x-height of 7 mm and more is 1.3
# times what it was, and the tablet has no room for it on several screens), and, in English,
# the simulated screen's own title bar and page arrows (widgets/practice_screen.py sizes its
# bar from the Hangul line). The most problems each set-up may still have, per language and
# screen: a ratchet, lowered as they are fixed (docs/kiosk.md, "Not yet").
# A DEFECT HELD BY A RATCHET, NOT A PASS (issue 12's closing note, 2026-12-04): with the
# stateful screens and 36 lessons, the tablet's stacked phone overflows (hints over the
# arrows, elements over each other) and English words break in the 24-inch class screen's
# column. Measured today; the numbers may only go down.
# 2026-12-05: the tablet's practice takes the whole height in Korean (the controls in the
# column, docs/kiosk.md "On a tablet"): in the mock 71 -> 8, the kiosk's own 8 -> 0.
# 2026-12-05 (later): a short phone's status line sized its header's buttons to their
# labels and gives the clock's place to a search box; English tablet in the mock 148 -> 144.
# 2026-12-05 (session 6): English on a tablet takes the compact layout too (four rows of
# controls, the folded instruction never drawn over them; a kiosk header in two rows):
# the kiosk's own 46 -> 42, in the mock 144 -> 76; Korean's in the mock 8 -> 6.
KNOWN = {("en", "10in-1280x800"): 42, ("en", "24in-1920x1080"): 5}
KNOWN_IN_MOCK = {
    ("en", "24in-1920x1080"): 6,
    ("en", "10in-1280x800"): 76,
    ("ko", "10in-1280x800"): 6,
}
ROOMY = "24in-1920x1080"
KEY_TEXT_MM = 10.0  # Seoul's senior-kiosk guideline for key text; where the room allows it
WALKING = Combo("24in-1920x1080", 0, "normal")  # the set-up the kiosk is left in


def use(kiosk: Any, combo: Combo) -> None:
    """Set the kiosk up as `combo` says, in the one window, and lay the screen out again
    (the text size as if the learner, or the kiosk before sign-in, had chosen it)."""
    app = kiosk.app
    relaid = app.px_mm, app.text_scale
    high = combo.theme != "normal"
    app.kiosk.settings = replace(app.kiosk.settings, text_size=combo.text_size, high_contrast=high)
    app.kiosk_config = replace(app.kiosk_config, theme=combo.theme)
    app.theme = THEMES[combo.theme]
    width, height, inches = SCREENS[combo.screen]
    if tuple(kiosk.window.size) != (width, height):
        kiosk.use_screen(width, height, inches)  # laid out once, at the new text size too
    else:
        app.apply_sizes()
    if kiosk.screen.name == "home" and (app.px_mm, app.text_scale) != relaid:
        kiosk.screen.enter()  # it lays its page out when entered (as after the settings)
    # measured on the widgets (a screenshot draws its own frame)
    kiosk.frames(3 if (app.px_mm, app.text_scale) != relaid else 1)  # a theme only repaints


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_screen_meets_the_numbers_at_every_size(
    kiosk: Any, language: str, screen: str
) -> None:
    """Every screen, each in every set-up of this screen size (text size × theme) in turn:
    the walk goes through the screens once, and each is laid out again and measured per
    set-up in the same window (a walk per set-up would take minutes)."""
    app = kiosk.app
    kiosk.use_language(language)
    voice_before = app.voice_commands
    app.set_voice_commands(shown_speak_button())
    measures = {combo: Measures() for combo in COMBOS if combo.screen == screen}
    # the walk taps its way through on this screen (a change of window size lays every
    # screen out again: ~0.3 s, twice a state, when the walk went back to the 24-inch)
    walking = Combo(screen, 0, "normal")
    use(kiosk, walking)
    try:
        for name in states(kiosk):
            for combo in measures:
                if combo.text_size and name in BEFORE_SIGN_IN:
                    continue
                use(kiosk, combo)
                measures[combo].check(f"{combo.name} {name}", kiosk.screen, app.px_mm)
                if combo.screen == ROOMY and name.startswith("lesson-"):
                    measures[combo].problems += key_text(kiosk, f"{combo.name} {name}")
                if combo.theme == "normal":  # pictures of one theme: a quarter of the time
                    kiosk.screenshot(f"{combo.name}-{language}-{name}")  # (both are measured)
            use(kiosk, walking)
    finally:
        app.set_voice_commands(voice_before)
        use(kiosk, WALKING)
        kiosk.use_language("ko")
        app.sign_out()
    report(f"{language}-{screen}", measures)
    counts: dict[tuple[str, str], list[int]] = {}
    for combo, found in measures.items():
        mine = [p for p in found.problems if p not in found.in_mock]
        where = (language, combo.screen)
        counts.setdefault(where, [0, 0])
        counts[where] = [
            max(counts[where][0], len(mine)),
            max(counts[where][1], len(found.in_mock)),
        ]
        print(f"{combo.name} {language}: {len(mine)} problems, {len(found.in_mock)} in the mock")
        for problem in [*mine, *found.in_mock]:
            print("   ", problem)
    for where, (mine_count, mock_count) in counts.items():
        assert mine_count <= KNOWN.get(where, 0), f"{where}: {mine_count} problems (see above)"
        assert mock_count <= KNOWN_IN_MOCK.get(where, 0), f"{where}: {mock_count} in the mock"
    for combo, found in measures.items():
        if (language, combo.screen) in KNOWN:
            continue
        assert found.body_glyph_mm >= 7.0 and found.button_glyph_mm >= 8.0
        assert found.target_mm >= 16.0 and found.gap_mm >= 4.0 and found.contrast >= 7.0


def key_text(kiosk: Any, where: str) -> list[str]:
    """On the 24-inch kiosk, the step's own text (a practice's instruction, a narration, a
    question) and the side bar's labels are at least KEY_TEXT_MM tall, every kind of
    letter of them: the room is there to use."""
    screen, px_mm = kiosk.screen, kiosk.app.px_mm
    step = [w for w in screen.ids.body.children if isinstance(w, TextLabel)]
    bar = [w for w in screen.ids.bar.children if isinstance(w, BigButton) and w.opacity]
    problems = []
    for label in [*step, *bar]:
        for kind, ink in glyph_heights(label).items():
            if ink / px_mm < KEY_TEXT_MM - 0.05:
                glyph = ink / px_mm
                problems.append(f"{where}: key text '{label.text[:20]}' {kind} {glyph:.2f} mm")
    return problems


def report(name: str, measures: dict[Combo, Measures]) -> None:
    """Print each set-up's numbers and write them beside the screenshots."""
    table = {}
    for combo, found in measures.items():
        table[combo.name] = {
            "problems": len(found.problems),
            "in_simulated_screen": len(found.in_mock),
            "body_mm": round(found.body_glyph_mm, 2),
            "button_mm": round(found.button_glyph_mm, 2),
            "kinds_mm": {k: round(v, 2) for k, v in sorted(found.kinds.items())},
            "target_mm": round(found.target_mm, 2),
            "gap_mm": round(found.gap_mm, 2),
            "contrast": round(found.contrast, 2),
        }
        print(f"\n{combo.name} {name}: {table[combo.name]}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"numbers-{name}.json").write_text(json.dumps(table, indent=1))
    (ARTIFACTS / f"problems-{name}.txt").write_text(
        "\n".join(p for found in measures.values() for p in found.problems)
    )


def shown_speak_button() -> VoiceCommands:
    """Voice commands that count as ready, so that the speak button is on screen (and
    measured) as on a kiosk with a microphone; nothing here listens."""
    return VoiceCommands(WavFileSource(Path("unused.wav")), ModelLoader(None, state="ready"))
