"""A lesson-library picture: scaled to fit its box with its shape kept, never stretched."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.image import Image


class Picture(Image):
    """Shows the PNG at `source` (a path); an empty `source` shows nothing."""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
