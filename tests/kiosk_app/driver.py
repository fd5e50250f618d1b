"""Drive the real kiosk window: touches as MotionEvents, frames, screenshots, measurements.

Used by the tests and by `kiosk_child.py` (the process the kill -9 test kills).
"""

from __future__ import annotations

import struct
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.config import Config
from kivy.core.text import Label as CoreLabel
from kivy.lang import Builder
from kivy.tests.common import UnitTestTouch
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk_app.config import KioskConfig, ScreenConfig
from kiosk_app.look.ui_text import tr

ARTIFACTS = Path(__file__).parents[2] / "artifacts" / "screens"


def start_app(config: KioskConfig, clock: Any) -> Any:
    """Create the window and the app without entering Kivy's main loop."""
    Config.set("graphics", "width", str(config.screen.width_px))
    Config.set("graphics", "height", str(config.screen.height_px))
    from kiosk_app.app import KioskApp

    # a test draws its frames as fast as it can: the 60 fps cap (Config's maxfps, read
    # when Kivy's clock was made) would sleep in each one; kiosk processes a test starts
    # keep the cap
    Clock._max_fps = 0.0

    app = KioskApp(config, clock=clock)
    app._run_prepare()
    wait_ready(app)
    return app


def wait_ready(app: Any, timeout: float = 30.0) -> None:
    """Draw frames until the second half of starting (services, library) is done."""
    deadline = time.monotonic() + timeout
    while not app.ready:
        assert app.startup_error is None, f"the kiosk did not start: {app.startup_error}"
        assert time.monotonic() < deadline, "the kiosk's services did not come up"
        EventLoop.idle()
        time.sleep(0.002)  # not a busy loop: the services start on a thread that needs the GIL


class Driver:
    def __init__(self, app: Any, clock: Any) -> None:
        self.app = app
        self.clock = clock

    @property
    def window(self) -> Any:
        return EventLoop.window

    @property
    def screen(self) -> Any:
        return self.app.manager.current_screen

    def frames(self, count: int = 3) -> None:
        """`count` frames of the kiosk's loop, none drawn. Each frame runs the clock, input,
        layout and text as the kiosk's own loop does; the drawing is what nobody looks at
        (a drawn 1080p frame costs ~56 ms in software GL: drawing the last frame of each
        call was three fifths of the practice walk's CPU). A screenshot or a pixel read
        draws the window as it is before reading it; `drawn_frame` draws one for what
        waits on a frame being shown (the kiosk's warm-up starts after its first)."""
        for _ in range(count):
            Clock.tick()
            EventLoop.dispatch_input()
            Builder.sync()
            Clock.tick_draw()
            Builder.sync()

    def drawn_frame(self) -> None:
        """One frame of the kiosk's loop, drawn and shown as on a screen."""
        EventLoop.idle()

    def settle(self) -> None:
        """Let queued writes land and their callbacks run, then draw."""
        self.app.kiosk.writer.flush()
        self.frames(3)

    def tap_at(self, x: float, y: float) -> None:
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.frames(1)
        touch.touch_up()
        self.frames(2)

    def tap(self, widget: Widget) -> None:
        """A real touch at the centre of `widget` (in window coordinates)."""
        self.frames(2)  # lay out what the last input changed before aiming
        assert visible(widget), f"{widget!r} is not visible"
        x, y = widget.to_window(*widget.center)
        self.tap_at(x, y)

    def button(self, text: str) -> Widget:
        self.frames(2)
        found = [w for w in targets(self.screen) if getattr(w, "text", None) == text]
        assert found, f"no button '{text}' on {self.screen.name}: {button_texts(self.screen)}"
        return found[0]

    def press(self, text: str) -> None:
        self.tap(self.button(text))

    def words(self, key: str) -> str:
        """The kiosk's words for `key` (kiosk_app.look.ui_text) in the language it shows."""
        return tr(key, self.app.language)

    def press_key(self, key: str) -> None:
        """Press the button whose label is `key`'s words, in whichever language is shown."""
        self.press(self.words(key))

    def use_language(self, language: str) -> None:
        """Run the kiosk as if its config said `language`: its own words and its lessons
        (the voice commands follow through `set_voice_commands`)."""
        app = self.app
        app.kiosk_config = replace(app.kiosk_config, language=language)
        app.kiosk.config = app.kiosk_config
        app.language = language
        app.set_voice_commands(app.voice_commands)
        app.apply_sizes()  # the side bar fits the language's labels

    def resize(self, width: int, height: int) -> None:
        self.window.size = (width, height)
        self.frames(4)

    def use_screen(self, width: int, height: int, inches: float) -> None:
        """Show the kiosk on another physical screen: its description first, then the
        window's new size, so that everything is laid out once at the screen's own sizes
        (resizing first laid it all out at the old screen's millimetres, then again)."""
        self.app.screen_config = ScreenConfig(
            diagonal_inches=inches, width_px=width, height_px=height
        )
        self.window.size = (width, height)
        self.app.apply_sizes()  # (the window's size binding does too, when the size changed)
        self.frames(4)

    def pixels(self, x: int, y: int, width: int, height: int = 1) -> list[tuple[int, int, int]]:
        """The colours drawn in a window rectangle (from its bottom left), row by row."""
        from kivy.graphics.opengl import GL_RGB, GL_UNSIGNED_BYTE, glReadPixels

        self.frames(2)
        self.window.dispatch("on_draw")
        data = glReadPixels(x, y, width, height, GL_RGB, GL_UNSIGNED_BYTE)
        return [(data[i], data[i + 1], data[i + 2]) for i in range(0, width * height * 3, 3)]

    def screenshot(self, name: str) -> Path:
        """The window as drawn now, saved as artifacts/screens/{name}.png."""
        from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.window.dispatch("on_draw")
        width, height = (int(v) for v in self.window.size)
        data = bytes(glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE))
        path = ARTIFACTS / f"{name}.png"
        path.write_bytes(png(width, height, data))
        return path


def png(width: int, height: int, rgba: bytes) -> bytes:
    """An RGBA PNG of pixels read from GL (bottom row first), compressed for speed: a few
    hundred screenshots a run (Kivy's own screenshot took ~0.25 s each)."""
    stride = width * 4
    rows = [b"\x00" + rgba[y * stride : (y + 1) * stride] for y in range(height - 1, -1, -1)]

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    image = zlib.compress(b"".join(rows), 1)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", image) + chunk(b"IEND", b"")
    )


def walk(widget: Widget) -> Iterator[Widget]:
    yield widget
    for child in widget.children:
        yield from walk(child)


def visible(widget: Widget) -> bool:
    node: Any = widget
    while node is not None:
        if getattr(node, "opacity", 1) == 0 or getattr(node, "disabled", False):
            return False
        if node.__class__.__name__ == "WindowSDL":
            return True
        node = node.parent
    return False


def targets(root: Widget) -> list[Widget]:
    return [w for w in walk(root) if isinstance(w, ButtonBehavior) and visible(w)]


def labels(root: Widget) -> list[Label]:
    return [w for w in walk(root) if isinstance(w, Label) and w.text.strip() and visible(w)]


def button_texts(root: Widget) -> list[str]:
    return [getattr(w, "text", "?") for w in targets(root)]


def word_width(label: Label, word: str) -> float:
    """Pixels `word` takes on one line in `label`'s font, size and weight."""
    core = CoreLabel(font_name=label.font_name, font_size=label.font_size, bold=label.bold)
    return float(core.get_extents(word)[0])


def off_window(widget: Widget) -> bool:
    """True when part of `widget` lies outside the window (pushed off by a full layout)."""
    x, y = widget.to_window(widget.x, widget.y)
    width, height = EventLoop.window.size
    return x < -1 or y < -1 or x + widget.width > width + 1 or y + widget.height > height + 1


_ink: dict[tuple[str, float, bool, str], int] = {}


def ink_height(label: Label) -> int:
    """Pixel height of the inked glyphs of `label`'s letters and digits, rendered in its
    font and size (symbols such as * and # are not letters and are not measured)."""
    sample = "".join(ch for ch in label.text if ch.isalnum())[:16]
    if not sample:
        return 10_000
    return ink_of(sample, label.font_name, float(label.font_size), False)


class _Rendered:
    """Stands in for a core label's texture to take the pixels it would be filled with."""

    data: Any = None

    def blit_data(self, data: Any) -> None:
        self.data = data


def ink_of(sample: str, font_name: str, font_size: float, bold: bool) -> int:
    """Pixel height of the ink of `sample` drawn in that font, size and weight.

    The text is rendered as Kivy renders a label (its text provider, SDL2_ttf), and the
    ink counted on the pixels it would fill the label's texture with, without the round
    trip through GL (reading a texture back through a framebuffer waited for the window's
    drawing each time: ~13 ms a sample, ~30 s of the accessibility sweep)."""
    key = (font_name, font_size, bold, sample)
    if key not in _ink:
        core = CoreLabel(text=sample, font_name=font_name, font_size=font_size, bold=bold)
        core.refresh()  # lays the text out (the texture is filled only when first used)
        if min(core.size) <= 1:
            _ink[key] = 0  # nothing to draw: Kivy shows an empty 1x1 texture
            return 0
        rendered = _Rendered()
        core.texture = rendered
        core._render_real()  # what the texture's fill callback does, into `rendered`
        width, height = rendered.data.width, rendered.data.height
        # the alpha byte of every pixel, row by row; a row has ink where its largest alpha
        # is over half (max() over a bytes slice runs in C)
        alpha = bytes(rendered.data.data)[3::4]
        inked = [y for y in range(height) if max(alpha[y * width : (y + 1) * width]) > 127]
        _ink[key] = inked[-1] - inked[0] + 1 if inked else 0
    return _ink[key]


def drawn_words(label: Label) -> list[tuple[str, float, bool]]:
    """The words Kivy laid out for `label`'s texture, each with the font size and weight it
    is drawn at (a run of a label may be drawn at a size of its own)."""
    label.texture_update()
    core = label._label
    words = []
    for line in getattr(core, "_cached_lines", None) or []:
        for word in line.words:
            options = word.options
            words.append((word.text, float(options["font_size"]), bool(options["bold"])))
    return words


def text_box(label: Label) -> tuple[float, float, float, float]:
    """Where `label`'s texture is drawn, in window coordinates (x0, y0, x1, y1): Kivy
    centres it on the widget, whatever the widget's own size."""
    cx, cy = label.to_window(*label.center)
    width, height = label.texture_size
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


WAIT_SECONDS = 20.0


def wait_until(kiosk: Any, condition: Callable[[], bool], what: str) -> None:
    """Draw frames (Clock callbacks run) until `condition` holds (a busy machine may need
    more frames than a quiet one for a layout to settle)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"waited {WAIT_SECONDS} s for {what}"
        kiosk.frames(1)
        time.sleep(0.01)
