"""Every screen, rendered on a 24-inch 1920×1080 screen and a 10-inch 1280×800 tablet, in
both themes and both languages: glyph heights, touch targets, gaps and contrast measured on
the widgets, and no text clipped, broken inside a word or drawn over other text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kiosk_app.config import ScreenConfig
from kiosk_app.settings import LearnerSettings
from kiosk_app.voice.audio_source import WavFileSource
from kiosk_app.voice.listener import VoiceCommands
from kiosk_app.voice.recognizer import ModelLoader
from tests.kiosk_app.class_states import class_states
from tests.kiosk_app.measure import Measures
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


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("theme", ["normal", "high_contrast"])
@pytest.mark.parametrize("screen", SCREENS)
def test_every_screen_meets_the_numbers(kiosk: Any, screen: str, theme: str, language: str) -> None:
    width, height, inches = SCREENS[screen]
    app = kiosk.app
    kiosk.use_language(language)
    kiosk.resize(width, height)
    app.set_screen(ScreenConfig(diagonal_inches=inches, width_px=width, height_px=height))
    app.kiosk_config = replace(app.kiosk_config, theme=theme)
    for learner in app.kiosk.roster():
        app.kiosk.reader.save_settings(learner.id, LearnerSettings(high_contrast=theme != "normal"))
    voice_before = app.voice_commands
    app.set_voice_commands(shown_speak_button())
    measures = Measures()
    try:
        for name in states(kiosk):
            kiosk.frames(3)
            measures.check(name, kiosk.screen, app.px_mm)
            kiosk.screenshot(f"{screen}-{theme}-{language}-{name}")
    finally:
        app.set_voice_commands(voice_before)
        app.kiosk_config = replace(app.kiosk_config, theme="normal")
        kiosk.use_language("ko")
        app.sign_out()
        for learner in app.kiosk.roster():
            app.kiosk.reader.save_settings(learner.id, LearnerSettings())
        kiosk.resize(1920, 1080)
        app.set_screen(ScreenConfig(diagonal_inches=24.0))
    print(f"\n{screen} {theme} {language}: {measures}")
    assert not measures.problems, "\n".join(measures.problems)
    assert measures.body_glyph_mm >= 7.0 and measures.button_glyph_mm >= 8.0
    assert measures.target_mm >= 16.0 and measures.gap_mm >= 4.0 and measures.contrast >= 7.0


def shown_speak_button() -> VoiceCommands:
    """Voice commands that count as ready, so that the speak button is on screen (and
    measured) as on a kiosk with a microphone; nothing here listens."""
    return VoiceCommands(WavFileSource(Path("unused.wav")), ModelLoader(None, state="ready"))
