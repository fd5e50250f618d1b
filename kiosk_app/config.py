"""Kiosk configuration: one TOML file, validated once, every mistake named by its key.

Every key, its default and its meaning is listed in `KEYS` (and in docs/kiosk.md, which a
test keeps in step with it). Relative paths are taken from the config file's folder.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from lessons import BUNDLED_LIBRARY, Language

ThemeName = Literal["normal", "high_contrast"]

# WCAG 2.2.1 (timing adjustable): never sign a senior out sooner than this, and always give
# at least this long to answer "are you still there?".
MIN_IDLE_SECONDS = 300.0
MIN_ANSWER_SECONDS = 30.0


class ConfigError(Exception):
    """A config problem, naming the file and the key."""

    def __init__(self, path: Path | None, key: str, message: str) -> None:
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{key}: {message}")
        self.key = key


@dataclass(frozen=True)
class ScreenConfig:
    """The physical screen, so layout can be set in millimetres.

    Give `diagonal_inches` (the panel's advertised size) or `dpi`; `width_px`/`height_px` is
    the window size (the whole screen when `fullscreen`).
    """

    diagonal_inches: float | None = 24.0
    dpi: float | None = None
    width_px: int = 1920
    height_px: int = 1080
    fullscreen: bool = True


@dataclass(frozen=True)
class KioskConfig:
    center_id: str
    kiosk_id: str
    instructor_pin: str
    data_dir: Path
    library_dir: Path = BUNDLED_LIBRARY
    language: Language = "ko"
    theme: ThemeName = "normal"
    # the practice keyboard: 천지인 (what most Korean seniors' Samsung phones show) or
    # 두벌식 QWERTY, as on the learners' own phones
    keyboard: Literal["cheonjiin", "qwerty"] = "cheonjiin"
    screen: ScreenConfig = ScreenConfig()
    idle_seconds: float = MIN_IDLE_SECONDS
    answer_seconds: float = 60.0
    broker_host: str = "localhost"
    broker_port: int = 1883
    broker_username: str | None = None  # the kiosk's login on the site broker
    broker_password_file: Path | None = None  # the file holding its password
    microphone: int | str | None = None  # voice commands' input device (None: the default)
    # keys whose published libraries this kiosk takes (docs/lesson-publishing.md); none:
    # it teaches `library_dir` only
    trusted_keys: tuple[str, ...] = ()

    @property
    def store_path(self) -> Path:
        return self.data_dir / "kiosk.db"

    @property
    def published_dir(self) -> Path:
        """Where published library versions are kept (lessons/library_store.py)."""
        return self.data_dir / "library"


@dataclass(frozen=True)
class Key:
    """One config key: its TOML name, the field it fills, its default text and its meaning."""

    name: str
    doc: str
    default: str
    check: Callable[[Any], Any]


_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")


def _identifier(value: Any) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise ValueError("must be lowercase letters, digits and dashes, e.g. 'seoul-jongno-1'")
    return value


def _pin(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4,8}", value):
        raise ValueError('must be 4 to 8 digits in quotes, e.g. "2580"')
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value


def _one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(map(repr, choices))}")
        return str(value)

    return check


def _number(low: float, high: float) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be a number")
        if not low <= value <= high:
            raise ValueError(f"must be between {low:g} and {high:g}")
        return float(value)

    return check


def _integer(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number")
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value

    return check


def _keys(value: Any) -> tuple[str, ...]:
    from lessons.bundle import read_public_key

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError('must be a list of keys in quotes, e.g. ["ed25519:…"]')
    for number, text in enumerate(value, 1):
        read_public_key(text, f"key {number}")  # a ValueError says what is wrong with it
    return tuple(value)


def _device(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "":
        raise ValueError("must be a device number or a part of its name")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


KEYS: tuple[Key, ...] = (
    Key("center_id", "the senior center this kiosk belongs to (required)", "—", _identifier),
    Key("kiosk_id", "this kiosk, unique in its center (required)", "—", _identifier),
    Key("instructor_pin", "PIN that opens instructor mode (required)", "—", _pin),
    Key("data_dir", "where the local store (kiosk.db) lives", '"data"', _text),
    Key("library_dir", "lesson library folder", "the bundled library", _text),
    Key("language", "language of the lessons and the screens", '"ko"', _one_of("ko", "en")),
    Key("theme", "theme before a learner signs in", '"normal"', _one_of("normal", "high_contrast")),
    Key(
        "keyboard",
        "practice keyboard: 천지인 or 두벌식 QWERTY, as on the learners' phones",
        '"cheonjiin"',
        _one_of("cheonjiin", "qwerty"),
    ),
    Key("screen.diagonal_inches", "physical screen diagonal", "24.0", _number(5, 100)),
    Key("screen.dpi", "pixels per inch, instead of the diagonal", "—", _number(50, 600)),
    Key("screen.width_px", "window width in pixels", "1920", _integer(640, 8192)),
    Key("screen.height_px", "window height in pixels", "1080", _integer(480, 8192)),
    Key("screen.fullscreen", "fill the whole screen", "true", _boolean),
    Key(
        "idle.ask_after_seconds",
        'quiet time before "are you still there?" (at least 300)',
        "300",
        _number(MIN_IDLE_SECONDS, 3600),
    ),
    Key(
        "idle.answer_seconds",
        "time to answer before sign-out (at least 30)",
        "60",
        _number(MIN_ANSWER_SECONDS, 600),
    ),
    Key(
        "broker.host",
        "site MQTT broker (used from the robot bridge issue on)",
        '"localhost"',
        _text,
    ),
    Key("broker.port", "site MQTT broker port", "1883", _integer(1, 65535)),
    Key(
        "broker.username",
        'this kiosk\'s login on the site broker, e.g. "kiosk.kiosk-1" (deploy/site_users.py)',
        "— (no login)",
        _text,
    ),
    Key(
        "broker.password_file",
        "file holding that login's password (needed with broker.username)",
        "—",
        _text,
    ),
    Key(
        "library.trusted_keys",
        'keys whose published lesson libraries this kiosk takes, e.g. ["ed25519:…"] '
        "(central's `sarangbang-central publish-key`)",
        "[] (teach library_dir only)",
        _keys,
    ),
    Key(
        "voice.microphone",
        "the microphone for voice commands: an input device's number or part of its name "
        "(`sarangbang-kiosk --check-voice` lists them)",
        "the system's default input",
        _device,
    ),
)
_REQUIRED = ("center_id", "kiosk_id", "instructor_pin")


def load_config(path: Path) -> KioskConfig:
    """Read and check the config file at `path`; raise ConfigError naming the bad key."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(path, "(file)", f"cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "(syntax)", str(exc)) from None
    return parse_config(raw, base=path.parent, path=path)


def parse_config(raw: dict[str, Any], base: Path, path: Path | None = None) -> KioskConfig:
    """Check a parsed TOML document; paths are taken relative to `base`."""
    flat = _flatten(raw)
    known = {key.name: key for key in KEYS}
    for name in flat:
        if name not in known:
            raise ConfigError(path, name, "unknown key (known: " + ", ".join(known) + ")")
    for name in _REQUIRED:
        if name not in flat:
            raise ConfigError(path, name, "is required")
    values: dict[str, Any] = {}
    for name, value in flat.items():
        try:
            values[name] = known[name].check(value)
        except ValueError as exc:
            raise ConfigError(path, name, str(exc)) from None
    if ("broker.username" in values) != ("broker.password_file" in values):
        missing = "broker.password_file" if "broker.username" in values else "broker.username"
        raise ConfigError(path, missing, "give broker.username and broker.password_file together")
    if "screen.dpi" in values and "screen.diagonal_inches" in values:
        raise ConfigError(path, "screen.dpi", "give screen.dpi or screen.diagonal_inches, not both")
    return _build(values, base)


def _flatten(raw: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def _build(v: dict[str, Any], base: Path) -> KioskConfig:
    dpi = v.get("screen.dpi")
    screen = ScreenConfig(
        diagonal_inches=None if dpi else v.get("screen.diagonal_inches", 24.0),
        dpi=dpi,
        width_px=v.get("screen.width_px", 1920),
        height_px=v.get("screen.height_px", 1080),
        fullscreen=v.get("screen.fullscreen", True),
    )
    library = v.get("library_dir")
    password_file = v.get("broker.password_file")
    return KioskConfig(
        center_id=v["center_id"],
        kiosk_id=v["kiosk_id"],
        instructor_pin=v["instructor_pin"],
        data_dir=base / v.get("data_dir", "data"),
        library_dir=base / library if library else BUNDLED_LIBRARY,
        language=v.get("language", "ko"),
        theme=v.get("theme", "normal"),
        keyboard=v.get("keyboard", "cheonjiin"),
        screen=screen,
        idle_seconds=v.get("idle.ask_after_seconds", MIN_IDLE_SECONDS),
        answer_seconds=v.get("idle.answer_seconds", 60.0),
        broker_host=v.get("broker.host", "localhost"),
        broker_port=v.get("broker.port", 1883),
        broker_username=v.get("broker.username"),
        broker_password_file=base / password_file if password_file else None,
        microphone=v.get("voice.microphone"),
        trusted_keys=v.get("library.trusted_keys", ()),
    )
