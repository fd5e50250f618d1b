"""The kiosk's screens, by name: one .py (behaviour) and one .kv (layout) each."""

from __future__ import annotations

from kivy.uix.screenmanager import Screen

from kiosk_app.screens.classroom import ClassroomScreen
from kiosk_app.screens.complete import CompleteScreen
from kiosk_app.screens.help import HelpScreen
from kiosk_app.screens.home import HomeScreen
from kiosk_app.screens.idle import IdleScreen
from kiosk_app.screens.instructor import InstructorScreen
from kiosk_app.screens.instructor_status import InstructorStatusScreen
from kiosk_app.screens.lesson import LessonScreen
from kiosk_app.screens.pin import PinScreen
from kiosk_app.screens.settings import SettingsScreen
from kiosk_app.screens.welcome import WelcomeScreen
from kiosk_app.screens.who import WhoScreen

SCREENS: dict[str, type[Screen]] = {
    "welcome": WelcomeScreen,
    "who": WhoScreen,
    "home": HomeScreen,
    "lesson": LessonScreen,
    "complete": CompleteScreen,
    "settings": SettingsScreen,
    "help": HelpScreen,
    "idle": IdleScreen,
    "pin": PinScreen,
    "instructor": InstructorScreen,
    "instructor_status": InstructorStatusScreen,
    "classroom": ClassroomScreen,
}
