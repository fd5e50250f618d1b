"""The kiosk's screens, by name: one .py (behaviour) and one .kv (layout) each.

A screen's module (and its .kv) is imported when the screen is first built, not here: the
first frame needs only the welcome screen, and the others are built one per frame after it
(see `KioskApp.screen`).
"""

from __future__ import annotations

from importlib import import_module

from kivy.uix.screenmanager import Screen

SCREENS: dict[str, str] = {
    "welcome": "welcome:WelcomeScreen",
    "who": "who:WhoScreen",
    "home": "home:HomeScreen",
    "lesson": "lesson:LessonScreen",
    "complete": "complete:CompleteScreen",
    "settings": "settings:SettingsScreen",
    "help": "help:HelpScreen",
    "idle": "idle:IdleScreen",
    "pin": "pin:PinScreen",
    "instructor": "instructor:InstructorScreen",
    "instructor_status": "instructor_status:InstructorStatusScreen",
    "classroom": "classroom:ClassroomScreen",
}


def make_screen(name: str) -> Screen:
    """A new screen called `name` (its module and .kv loaded on first use)."""
    module, class_name = SCREENS[name].split(":")
    screen_class: type[Screen] = getattr(import_module(f"{__name__}.{module}"), class_name)
    return screen_class(name=name)
