"""The Kivy application: it only wires the kiosk service, the sizes, the theme and the
screens together. Behaviour lives in the screens (kiosk_app/screens) and the pure modules.

Starting is in two halves so that the welcome screen is up as soon as Kivy's window is:
`build` makes only the welcome screen; once it is drawn, `kiosk_app/warmup.py` imports the
services and loads the library on a worker thread, `_warmed` wires them on the UI thread
(`ready` turns True), and the other screens are then built one per frame.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

from kiosk_app.config import KioskConfig, ScreenConfig
from kiosk_app.garbage import QuietCollector
from kiosk_app.look.fonts import register_korean_font
from kiosk_app.look.label_width import fit_width, line_height
from kiosk_app.look.layout import Sizes, px_per_mm, room_scale
from kiosk_app.look.theme import THEMES, Theme, rgba
from kiosk_app.look.ui_text import SIDE_BAR, tr
from kiosk_app.screens import SCREENS, make_screen
from kiosk_app.teaching.idle import IdleState, IdleTimer
from kiosk_app.teaching.library_switch import CHECK_SECONDS as LIBRARY_CHECK_SECONDS
from kiosk_app.teaching.library_switch import LibrarySwitch
from kiosk_app.teaching.settings import TEXT_SIZES, LearnerSettings
from kiosk_app.voice.commands import COMMANDS_LANGUAGE
from kiosk_app.warmup import warm_up

if TYPE_CHECKING:  # imported by the warm-up, after the first frame
    from kiosk_app.site_link import SiteEvent, SiteLink
    from kiosk_app.speaker import Speaker
    from kiosk_app.storage.store import StoreError
    from kiosk_app.teaching.kiosk import Kiosk
    from kiosk_app.teaching.library_switch import Loaded
    from kiosk_app.voice.listener import VoiceCommands

log = logging.getLogger(__name__)

IDLE_CHECK_SECONDS = 1.0  # how often the idle rule and the pause hints are looked at
GARBAGE_CHECK_SECONDS = 0.25
BUTTON_SAMPLE = "lesson.again"  # a typical button label (kiosk_app.look.ui_text)
# the most of the window's width the side bar may take before its labels step down: the
# step beside it needs the rest (a simulated phone, a quiz's choices)
BAR_SHARE = 0.36  # how often the quiet collector looks for a quiet moment


class KioskApp(App):
    theme = ObjectProperty(THEMES["normal"])
    px_mm = NumericProperty(1.0)
    # the learner's text size (settings.TEXT_SIZES) times the screen's room (layout.room_scale)
    text_scale = NumericProperty(1.0)
    body_font = NumericProperty(20)
    button_font = NumericProperty(20)
    title_font = NumericProperty(20)
    target = NumericProperty(60)
    button_height = NumericProperty(60)
    gap = NumericProperty(10)
    margin = NumericProperty(10)
    bar_width = NumericProperty(200)
    bar_scale = NumericProperty(1.0)  # of the button size, for the side bar's labels
    # the theme's non-text colours, flat, for kv canvas rules to bind to
    screen_bg = ListProperty([1, 1, 1, 1])
    card_bg = ListProperty([1, 1, 1, 1])
    card_fg = ListProperty([0, 0, 0, 1])
    outline_rgba = ListProperty([0, 0, 0, 1])
    highlight_rgba = ListProperty([1, 0.5, 0, 1])
    voice_ready = BooleanProperty(False)  # the speak button is shown only when True
    ready = BooleanProperty(False)  # the services are up (the second half of starting)
    language = StringProperty("ko")  # of the kiosk's own words (kiosk_app.look.ui_text), for kv

    def __init__(
        self,
        config: KioskConfig,
        speaker: Speaker | None = None,
        clock: Callable[[], float] = time.time,
        commands: VoiceCommands | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.kiosk_config = config
        self.language = config.language
        self.title = tr("app.title", config.language)
        self.speaker: Speaker | None = speaker  # built with the services when not given
        self.voice_commands = commands
        self.clock = clock
        self.screen_config = config.screen
        self.idle = IdleTimer(config.idle_seconds, config.answer_seconds, clock())
        self.kiosk: Kiosk  # these three exist once `ready`
        self.site: SiteLink
        self.manager: ScreenManager
        self.startup_error: Exception | None = None  # why the kiosk stopped while starting
        self._waiting: tuple[str, dict[str, Any]] | None = None  # a touch before `ready`
        self._loading_library = False  # a new library version is being checked on a worker
        self.collector = QuietCollector()

    # ---- wiring ---------------------------------------------------------------------------

    def load_kv(self, filename: str | None = None) -> bool:
        return False  # no app-wide .kv: each screen and widget loads its own

    def build(self) -> ScreenManager:
        register_korean_font()
        self.theme = THEMES[self.kiosk_config.theme]
        # Kivy fires on_theme only on a change, and the normal theme is the property's
        # default: paint the configured theme now, or the first frames are white with black
        # outlines until a learner switches themes
        self.on_theme(self, self.theme)
        self.apply_sizes()
        Window.bind(size=lambda *a: self.apply_sizes())
        Window.bind(on_touch_down=self._touched)
        Window.bind(on_flip=self._first_frame_drawn)
        Clock.schedule_interval(lambda dt: self.check_idle(), IDLE_CHECK_SECONDS)
        self.manager = ScreenManager(transition=NoTransition())
        self.go("welcome")
        return self.manager

    def _first_frame_drawn(self, window: Any) -> None:
        Window.unbind(on_flip=self._first_frame_drawn)
        warm_up(self.kiosk_config, lambda result: self.post(lambda: self._warmed(result)))

    def _warmed(self, result: Loaded | Exception) -> None:
        """The second half of starting, on the UI thread: wire the services, then the rest."""
        if isinstance(result, Exception):
            self.startup_error = result  # the command line says what is wrong
            self.stop()
            return
        from kiosk_app.services import make_kiosk
        from kiosk_app.site_link import start_site_link
        from kiosk_app.voice.kiosk_voice import build_commands, build_speaker

        config = self.kiosk_config
        if self.speaker is None:
            self.speaker = build_speaker(config.data_dir, config.language)
        self.kiosk = make_kiosk(
            config, result.library, self.speaker, self.clock, self.post, self._store_problem
        )
        self.kiosk.teach_library(result.library, result.version)
        self.library_switch = LibrarySwitch(config)
        Clock.schedule_interval(lambda dt: self._new_library(), LIBRARY_CHECK_SECONDS)
        self.site = start_site_link(self.kiosk, self.post, self.site_event)
        commands = self.voice_commands or build_commands(lambda: None, config.microphone)
        self.set_voice_commands(commands)
        self.ready = True
        self.apply_sizes()
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self.go(waiting[0], **waiting[1])
        else:
            self.go(self.manager.current)
        Clock.schedule_once(self._build_next_screen, 0)

    def _new_library(self) -> None:
        """Take a newly published library version between lessons (loaded on a worker)."""
        version = self.library_switch.pending(self.kiosk.library_version)
        if version is None or self._loading_library or not self._between_lessons():
            return
        self._loading_library = True

        def load() -> None:
            loaded = self.library_switch.load(version)
            self.post(lambda: self._take_library(loaded))

        threading.Thread(target=load, name="kiosk-library", daemon=True).start()

    def _take_library(self, loaded: Loaded | None) -> None:
        self._loading_library = False
        if loaded is not None and self._between_lessons():
            self.kiosk.teach_library(loaded.library, loaded.version)

    def _between_lessons(self) -> bool:
        """Nobody signed in and no class followed: no lesson under way, none to resume in
        this sitting (a lesson left half-way resumes on the new version, at its step or at
        the new version's last step if it has fewer)."""
        return self.kiosk.learner is None and self.kiosk.class_run is None

    def _build_next_screen(self, dt: float) -> None:
        """Build the screens not built yet, one per frame, so a first visit is quick; then
        set aside everything made so far from the garbage collector's full passes."""
        missing = [name for name in SCREENS if not self.manager.has_screen(name)]
        if missing:
            self.screen(missing[0])
            Clock.schedule_once(self._build_next_screen, 0)
            return
        self.collector.start()  # from now on garbage is collected when the screen is quiet
        Clock.schedule_interval(self._collect_garbage, GARBAGE_CHECK_SECONDS)

    def _collect_garbage(self, dt: float) -> None:
        self.collector.tick()  # (its True/False must not reach Kivy: False unschedules)

    def screen(self, name: str) -> Screen:
        """The screen called `name`, built now if it has not been yet."""
        if not self.manager.has_screen(name):
            self.manager.add_widget(make_screen(name))
        return self.manager.get_screen(name)

    def post(self, call: Any) -> None:
        """Run `call` on the UI thread (from the writer thread)."""
        Clock.schedule_once(lambda dt: call(), 0)

    def _store_problem(self, problem: StoreError | None) -> None:
        if problem is not None or not self.kiosk.in_memory:
            self.kiosk.set_problem(problem)

    def on_stop(self) -> None:
        self.collector.stop()
        if self.ready:
            from kiosk_app.voice.kiosk_voice import close_speaker

            self.kiosk.writer.close()  # the learners' progress first
            self.site.close()
            close_speaker(self.kiosk.speaker)

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
        ready = commands is not None and commands.ready
        self.voice_ready = ready and self.language == COMMANDS_LANGUAGE

    # ---- sizes and theme ------------------------------------------------------------------

    def set_screen(self, screen: ScreenConfig) -> None:
        """Use another physical screen description (tests render several)."""
        self.screen_config = screen
        self.apply_sizes()

    def apply_sizes(self) -> None:
        """Recompute every size from the physical screen and the learner's text size."""
        density = px_per_mm(self.screen_config, (int(Window.width), int(Window.height)))
        settings = self.kiosk.settings if self.ready else LearnerSettings()
        scale = settings.text_scale * room_scale(Window.height / density)
        sizes = Sizes(density, scale)
        self.px_mm, self.text_scale = density, scale
        self.body_font, self.button_font = sizes.body_font, sizes.button_font
        self.title_font = sizes.title_font
        self.target = sizes.target
        self.button_height = self.button_height_at(1.0, sizes.button_font)
        self.gap, self.margin = sizes.gap, sizes.margin
        self.fit_bar(sizes, settings.text_scale)

    def fit_bar(self, sizes: Sizes, learner_scale: float) -> None:
        """The side bar (lesson player, class mode) at the learner's size where its buttons
        fit the window's height and BAR_SHARE of its width, else at the largest smaller
        text size that does (보통's at the least): as wide as its longest label in the
        kiosk's language, each button as tall as its label needs (BigButton's rule)."""
        labels = [tr(key, self.language) for key in SIDE_BAR]
        height, width = Window.height - 2 * sizes.margin, Window.width * BAR_SHARE
        scales = [1.0] + [s / learner_scale for s, _ in reversed(TEXT_SIZES) if s < learner_scale]
        for scale in scales:
            font = sizes.button_font * scale
            least = self.button_height_at(1.0, font)
            # the lesson player's five buttons (class mode has three of them)
            lesson = labels[: len(SIDE_BAR) - 1]
            buttons = [max(least, line_height(text, font) + sizes.gap / 2) for text in lesson]
            # a gap between the buttons (ControlBar centres them in its height)
            needed = sum(buttons) + sizes.gap * (len(buttons) - 1)
            bar = fit_width(labels, font, 2 * sizes.gap)
            if needed <= height and bar <= width:
                break
        self.bar_scale, self.bar_width = scale, bar

    def button_height_at(self, scale: float, font: float) -> float:
        """A one-line button's height with its label at `scale` of `font` (kv rules pass
        app.button_font, so that they follow it): the standard height, or a line of the
        kiosk's language and half a gap (BigButton's rule) where that is taller (English is
        drawn 1.65 times larger, layout.glyph_boost), so that rows hold their buttons."""
        sizes = Sizes(self.px_mm)
        line = line_height(tr(BUTTON_SAMPLE, self.language), font * scale)
        return max(sizes.button_height_for(font * scale), math.ceil(line + sizes.gap / 2))

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
        if not self.ready and name != "welcome":
            self._waiting = (name, kwargs)  # taken there as soon as the services are up
            return
        screen = self.screen(name)
        screen.enter(**kwargs)
        self.manager.current = name

    def sign_out(self) -> None:
        self.kiosk.sign_out()
        self.apply_learner_settings()
        self.go("welcome")

    def _touched(self, window: Any, touch: Any) -> bool:
        self.idle.touch(self.clock())
        self.collector.busy()
        return False

    def check_idle(self) -> None:
        """Ask, then sign out, when nobody has touched the screen for a long time."""
        if not self.ready:
            return
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
            self.screen("idle").count_down(self.idle.seconds_left(self.clock()))
