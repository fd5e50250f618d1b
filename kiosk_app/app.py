"""The Kivy application: it only wires the kiosk service, the sizes, the theme and the
screens together. Behaviour lives in the screens (kiosk_app/screens) and the pure modules."""

from __future__ import annotations

import logging
import math
import time
import uuid
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, ObjectProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk_app.config import KioskConfig, ScreenConfig
from kiosk_app.fonts import register_korean_font
from kiosk_app.idle import IdleState, IdleTimer
from kiosk_app.kiosk import Kiosk
from kiosk_app.layout import Sizes, px_per_mm
from kiosk_app.site_link import SiteEvent, SiteLink, start_site_link
from kiosk_app.speaker import Speaker
from kiosk_app.store import Store, StoreError
from kiosk_app.store_writer import StoreWriter
from kiosk_app.theme import THEMES, Theme, rgba
from kiosk_app.voice.kiosk_voice import build_commands, build_speaker, close_speaker
from kiosk_app.voice.listener import VoiceCommands
from lessons.library import load_library
from lessons.session import Clock as ClockFn

log = logging.getLogger(__name__)

IDLE_CHECK_SECONDS = 1.0  # how often the idle rule and the pause hints are looked at


class KioskApp(App):
    theme = ObjectProperty(THEMES["normal"])
    px_mm = NumericProperty(1.0)
    body_font = NumericProperty(20)
    button_font = NumericProperty(20)
    title_font = NumericProperty(20)
    target = NumericProperty(60)
    button_height = NumericProperty(60)
    gap = NumericProperty(10)
    margin = NumericProperty(10)
    bar_width = NumericProperty(200)
    # the theme's non-text colours, flat, for kv canvas rules to bind to
    screen_bg = ListProperty([1, 1, 1, 1])
    card_bg = ListProperty([1, 1, 1, 1])
    card_fg = ListProperty([0, 0, 0, 1])
    outline_rgba = ListProperty([0, 0, 0, 1])
    highlight_rgba = ListProperty([1, 0.5, 0, 1])
    voice_ready = BooleanProperty(False)  # the speak button is shown only when True

    def __init__(
        self,
        config: KioskConfig,
        speaker: Speaker | None = None,
        clock: ClockFn = time.time,
        commands: VoiceCommands | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.title = "사랑방"
        self.kiosk_config = config
        self.speaker = speaker or build_speaker(config.data_dir, config.language)
        self.voice_commands = commands
        self.clock = clock
        self.screen_config = config.screen
        self.idle = IdleTimer(config.idle_seconds, config.answer_seconds, clock())
        self.kiosk: Kiosk
        self.manager: ScreenManager

    # ---- wiring ---------------------------------------------------------------------------

    def build(self) -> ScreenManager:
        register_korean_font()
        self.theme = THEMES[self.kiosk_config.theme]
        self.kiosk = self._make_kiosk()
        self.site: SiteLink = start_site_link(self.kiosk, self.post, self.site_event)
        self.set_voice_commands(self.voice_commands or build_commands(lambda: None))
        self.apply_sizes()
        Window.bind(size=lambda *a: self.apply_sizes())
        Window.bind(on_touch_down=self._touched)
        Clock.schedule_interval(lambda dt: self.check_idle(), IDLE_CHECK_SECONDS)
        from kiosk_app.screens import SCREENS

        self.manager = ScreenManager(transition=NoTransition())
        for name, screen_class in SCREENS.items():
            self.manager.add_widget(screen_class(name=name))
        self.go("welcome")
        return self.manager

    def _make_kiosk(self) -> Kiosk:
        config = self.kiosk_config
        in_memory, problem = False, None
        try:
            reader = Store.open(config.store_path, config.kiosk_id)
        except StoreError as exc:
            # Teaching goes on with a store in memory; the instructor screen shows why.
            log.error("store unavailable, keeping progress in memory: %s", exc)
            name = f"kiosk-{uuid.uuid4().hex}"
            reader, in_memory, problem = Store.memory(name, config.kiosk_id), True, exc

        def open_writer() -> Store:
            if in_memory:
                return Store.memory(reader.label.removeprefix("memory:"), config.kiosk_id)
            return Store.open(config.store_path, config.kiosk_id)

        writer = StoreWriter(open_writer, self.post, self._store_problem)
        library = load_library(config.library_dir)
        kiosk = Kiosk(config, library, reader, writer, self.speaker, self.clock, in_memory)
        kiosk.set_problem(problem)
        return kiosk

    def post(self, call: Any) -> None:
        """Run `call` on the UI thread (from the writer thread)."""
        Clock.schedule_once(lambda dt: call(), 0)

    def _store_problem(self, problem: StoreError | None) -> None:
        if problem is not None or not self.kiosk.in_memory:
            self.kiosk.set_problem(problem)

    def on_stop(self) -> None:
        self.site.close()
        self.kiosk.writer.close()
        close_speaker(self.speaker)

    def site_event(self, event: SiteEvent) -> None:
        """What came from the center's broker (on the UI thread): to the screen on show."""
        handle = getattr(self.manager.current_screen, "site_event", None)
        if handle is not None:
            handle(event)

    # ---- voice commands -------------------------------------------------------------------

    def set_voice_commands(self, commands: VoiceCommands) -> None:
        """Use `commands` for the speak button; it shows once its model is ready."""
        self.voice_commands = commands
        # the model loads on a worker thread: hop to the UI thread before touching widgets
        commands.loader.on_change = lambda: Clock.schedule_once(lambda dt: self.voice_changed())
        self.voice_changed()

    def voice_changed(self) -> None:
        commands = self.voice_commands
        self.voice_ready = commands is not None and commands.ready

    # ---- sizes and theme ------------------------------------------------------------------

    def set_screen(self, screen: ScreenConfig) -> None:
        """Use another physical screen description (tests render several)."""
        self.screen_config = screen
        self.apply_sizes()

    def apply_sizes(self) -> None:
        """Recompute every size from the physical screen and the learner's text size."""
        density = px_per_mm(self.screen_config, (int(Window.width), int(Window.height)))
        sizes = Sizes(density, self.kiosk.settings.text_scale)
        self.px_mm = density
        self.body_font, self.button_font = sizes.body_font, sizes.button_font
        self.title_font = sizes.title_font
        self.target, self.button_height = sizes.target, sizes.button_height
        self.gap, self.margin = sizes.gap, sizes.margin
        # the side bar is as wide as its longest label (도와주세요, five syllables)
        self.bar_width = math.ceil(sizes.button_font * 5 + 2 * sizes.gap)

    def on_theme(self, app: Any, theme: Theme) -> None:
        """Repaint everything in the new theme (built screens included, shown or not)."""
        self.screen_bg, self.outline_rgba = rgba(theme.screen.bg), rgba(theme.outline)
        self.card_bg, self.card_fg = rgba(theme.card.bg), rgba(theme.card.fg)
        self.highlight_rgba = rgba(theme.highlight)
        if self.root is None:
            return
        stack = list(self.manager.screens)  # the screens not on show are not children
        while stack:
            widget = stack.pop()
            if hasattr(widget, "repaint"):
                widget.repaint()
            stack.extend(widget.children)

    def apply_learner_settings(self) -> None:
        settings = self.kiosk.settings
        self.theme = THEMES[settings.theme if self.kiosk.learner else self.kiosk_config.theme]
        self.apply_sizes()

    # ---- navigation and idle ----------------------------------------------------------------

    def go(self, name: str, **kwargs: Any) -> None:
        screen = self.manager.get_screen(name)
        screen.enter(**kwargs)
        self.manager.current = name

    def sign_out(self) -> None:
        self.kiosk.sign_out()
        self.apply_learner_settings()
        self.go("welcome")

    def _touched(self, window: Any, touch: Any) -> bool:
        self.idle.touch(self.clock())
        return False

    def check_idle(self) -> None:
        """Ask, then sign out, when nobody has touched the screen for a long time."""
        run = self.kiosk.run
        if run is not None and self.manager.current == "lesson":
            run.tick()
        if self.kiosk.learner is None:
            return
        state = self.idle.state(self.clock())
        if state is IdleState.SIGN_OUT:
            self.sign_out()
        elif state is IdleState.ASKING:
            if self.manager.current != "idle":
                self.go("idle", back_to=self.manager.current)
            self.manager.get_screen("idle").count_down(self.idle.seconds_left(self.clock()))
