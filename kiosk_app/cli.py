"""`sarangbang-kiosk --config FILE` (or `--demo DIR`): run the kiosk.

Problems a person can fix (a bad config key, no screen, no Korean font) end with one clear
message and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk_app.config import ConfigError, KioskConfig, load_config
from kiosk_app.look.fonts import REGULAR
from kiosk_app.storage.store import StoreError
from lessons.library import LibraryError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sarangbang-kiosk", description=__doc__)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--config", type=Path, help="the kiosk's TOML config file")
    where.add_argument("--demo", type=Path, metavar="DIR", help="make/use a demo folder")
    parser.add_argument(
        "--check-voice",
        action="store_true",
        help="say whether voice commands can work here (devices, microphone, model) and exit",
    )
    args = parser.parse_args(argv)
    try:
        config = _load(args)
    except (ConfigError, StoreError) as exc:
        print(f"sarangbang-kiosk: {exc}", file=sys.stderr)
        return 2
    if args.check_voice:
        from kiosk_app.voice.voice_check import check_voice

        ok, _ = check_voice(config.microphone, tell=lambda line: print(line, flush=True))
        return 0 if ok else 1
    problem = startup_problem()
    if problem:
        print(f"sarangbang-kiosk: {problem}", file=sys.stderr)
        return 2
    return _run(config)


def _load(args: argparse.Namespace) -> KioskConfig:
    if args.demo:
        from kiosk_app.demo import prepare_demo

        return prepare_demo(args.demo)
    return load_config(args.config)


def startup_problem() -> str | None:
    """Why the kiosk cannot open a window here, in words, or None."""
    if not REGULAR.exists():
        return f"the Korean font {REGULAR} is missing; run ./scripts/install-system-packages.sh"
    graphical = any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"))
    if sys.platform.startswith("linux") and not graphical:
        return (
            "no display here (DISPLAY and WAYLAND_DISPLAY are unset), so the kiosk cannot "
            "open its window. Run it on the kiosk's screen, or try it without one: "
            "SDL_VIDEODRIVER=offscreen sarangbang-kiosk --demo var/demo "
            "(it runs, but nothing is shown); `sarangbang-lessons walk` walks a lesson in "
            "the terminal."
        )
    return None


def _run(config: KioskConfig) -> int:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    # SDL's own clipboard: Kivy otherwise probes for xclip/xsel and logs a CRITICAL
    # traceback when a kiosk image has neither (the kiosk never copies or pastes).
    os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")
    from kivy.config import Config

    Config.set("graphics", "width", str(config.screen.width_px))
    Config.set("graphics", "height", str(config.screen.height_px))
    Config.set("graphics", "fullscreen", "auto" if config.screen.fullscreen else "0")
    Config.set("kivy", "exit_on_escape", "0")  # a stray key must not close the kiosk
    # The screen never blanks while the kiosk runs (Kivy lets the screensaver in by default;
    # SDL then inhibits it through the X server, Xwayland under cage included). Outside
    # opening hours the box is switched off, or the unit stopped, not put to sleep.
    Config.set("graphics", "allow_screensaver", "0")
    from kivy.clock import Clock

    from kiosk_app.app import KioskApp
    from robot_bridge.link.stop_signal import stop_on_signals

    app = KioskApp(config)
    # SIGINT/SIGTERM close the kiosk as its window's close button does (on the UI thread)
    stop_on_signals(then=lambda: Clock.schedule_once(lambda _dt: app.stop()))
    app.run()
    problem = app.startup_error  # the library is loaded after the first frame
    if isinstance(problem, LibraryError):
        print(f"sarangbang-kiosk: the lesson library has problems:\n{problem}", file=sys.stderr)
        return 2
    if problem is not None:
        raise problem
    return 0
