"""Themes: every text colour paired with the background it sits on, at 7:1 or more.

A `Pair` is what one widget draws (its background and its text), so the contrast check
(tests/kiosk_app/test_theme.py, and on the rendered screens) is one ratio per pair.
Simulated-app roles and learner tile colours are pairs too.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk_app.look.contrast import RGB, contrast_ratio, hex_to_rgb


@dataclass(frozen=True)
class Pair:
    bg: str
    fg: str

    @property
    def contrast(self) -> float:
        return contrast_ratio(hex_to_rgb(self.bg), hex_to_rgb(self.fg))


@dataclass(frozen=True)
class Theme:
    name: str
    screen: Pair  # the page and its body text
    card: Pair  # lesson cards, learner home panels
    button: Pair  # ordinary buttons (이전, 다시 듣기, 설정…)
    primary: Pair  # the one primary action of a screen (시작하기, 다음, 계속하기)
    help: Pair  # 도와주세요
    right: Pair  # a right quiz answer, a finished lesson
    wrong: Pair  # a wrong quiz answer
    outline: str  # edges of buttons and cards
    highlight: str  # the hint-level-2 glow and the level-3 pointer (not text)
    roles: dict[str, Pair]  # lessons.model.Role values
    learners: dict[str, Pair]  # kiosk_app.storage.store.COLOURS
    # a practice's simulated device: a text field's grey placeholder, a greyed-out element,
    # the phone's status and navigation bars
    mock: dict[str, Pair]

    def pair(self, kind: str) -> Pair:
        """A pair by name: 'button', 'primary', 'role.danger', 'learner.blue'…"""
        return self.pairs()[kind]

    def pairs(self) -> dict[str, Pair]:
        """Every text/background pair of the theme, by a readable name."""
        fixed = {
            name: getattr(self, name)
            for name in ("screen", "card", "button", "primary", "help", "right", "wrong")
        }
        roles = {f"role.{k}": v for k, v in self.roles.items()}
        learners = {f"learner.{k}": v for k, v in self.learners.items()}
        mock = {f"mock.{k}": v for k, v in self.mock.items()}
        return fixed | roles | learners | mock


_WHITE, _INK = "#FFFFFF", "#1A1A1A"

NORMAL = Theme(
    name="normal",
    screen=Pair("#FBF7F0", _INK),
    card=Pair("#FFFFFF", _INK),
    button=Pair("#1D3557", _WHITE),
    primary=Pair("#14532D", _WHITE),
    help=Pair("#8A2C02", _WHITE),
    right=Pair("#14532D", _WHITE),
    wrong=Pair("#7F1D1D", _WHITE),
    outline="#1D3557",
    highlight="#E07B00",
    roles={
        "primary": Pair("#0B4F9C", _WHITE),
        "success": Pair("#166534", _WHITE),
        "danger": Pair("#9B1C1C", _WHITE),
        "warning": Pair("#FFD84D", _INK),
        "neutral": Pair("#E5E7EB", "#111111"),
        "accent": Pair("#FEE500", _INK),
        "text": Pair(_WHITE, "#111111"),
    },
    learners={
        "blue": Pair("#1E40AF", _WHITE),
        "green": Pair("#166534", _WHITE),
        "purple": Pair("#5B21B6", _WHITE),
        "orange": Pair("#9A3412", _WHITE),
        "teal": Pair("#115E59", _WHITE),
        "red": Pair("#991B1B", _WHITE),
    },
    mock={
        "placeholder": Pair(_WHITE, "#4B5563"),  # 7.56:1: grey, as a phone's hint text
        "disabled": Pair("#D1D5DB", "#1F2937"),
        "bar": Pair("#F3F4F6", "#111111"),  # status bar, navigation bar
        "bezel": Pair("#1F2937", _WHITE),
    },
)

_BLACK, _YELLOW = "#000000", "#FFFF00"

HIGH_CONTRAST = Theme(
    name="high_contrast",
    screen=Pair(_BLACK, _WHITE),
    card=Pair(_BLACK, _WHITE),
    button=Pair(_BLACK, _YELLOW),
    primary=Pair(_YELLOW, _BLACK),
    help=Pair("#00FFFF", _BLACK),
    right=Pair("#7CFC00", _BLACK),
    wrong=Pair("#FFB3B3", _BLACK),
    outline=_YELLOW,
    highlight="#00FFFF",
    roles={
        "primary": Pair(_BLACK, "#9CD3FF"),
        "success": Pair(_BLACK, "#7CFC00"),
        "danger": Pair(_BLACK, "#FF9E9E"),
        "warning": Pair(_BLACK, "#FFD84D"),
        "neutral": Pair(_BLACK, _WHITE),
        "accent": Pair(_BLACK, _YELLOW),
        "text": Pair(_BLACK, _WHITE),
    },
    learners={
        "blue": Pair(_BLACK, "#9CD3FF"),
        "green": Pair(_BLACK, "#7CFC00"),
        "purple": Pair(_BLACK, "#E0B0FF"),
        "orange": Pair(_BLACK, "#FFB870"),
        "teal": Pair(_BLACK, "#5FFBF1"),
        "red": Pair(_BLACK, "#FF9E9E"),
    },
    mock={
        "placeholder": Pair(_BLACK, "#C8C8C8"),
        "disabled": Pair(_BLACK, "#A8A8A8"),
        "bar": Pair(_BLACK, _WHITE),
        "bezel": Pair("#404040", _WHITE),
    },
)

THEMES = {theme.name: theme for theme in (NORMAL, HIGH_CONTRAST)}


def rgba(colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    """'#RRGGBB' as a Kivy colour."""
    r, g, b = hex_to_rgb(colour)
    return (r, g, b, alpha)


def rgb_of(colour: str) -> RGB:
    return hex_to_rgb(colour)
