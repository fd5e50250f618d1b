"""Welcome: nobody is signed in. One big 시작하기."""

from __future__ import annotations

from kiosk_app.screens.base import KioskScreen, load_kv


class WelcomeScreen(KioskScreen):
    pass


load_kv(__file__)
