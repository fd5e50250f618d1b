"""Help is coming: the help event is recorded; the learner is told someone will come."""

from __future__ import annotations

from kiosk_app.screens.base import KioskScreen, load_kv


class HelpScreen(KioskScreen):
    pass


load_kv(__file__)
