"""A one-line typed field (instructor mode; a senior never types)."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.textinput import TextInput


class TextField(TextInput):
    """The card pair inside a border in the theme's outline colour (at least 7:1 against
    the screen and the fill in every theme). Kivy's own field is a grey image tinted by
    `background_color`, which leaves no edge at all on a black high-contrast screen."""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
