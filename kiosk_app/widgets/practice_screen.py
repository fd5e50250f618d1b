"""The simulated app screen of a practice step, drawn from `lessons.model.Screen.rows()`:
real buttons in the library's role colours, paged by rows when the screen is short, a
glowing target at hint level 2 and a pointer that shows the tap at level 3. Where a label's
word would not fit its cell (long English words on a tablet), the element takes more
columns, or the grid has fewer: whichever needs fewer rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.animation import Animation
from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk_app.label_width import fit_width, text_width, widest_word
from kiosk_app.layout import Sizes, grow_rows, rows_per_page, span_needed
from kiosk_app.ui_text import tr
from kiosk_app.widgets.base import BigButton, CardButton, Panel, TextLabel
from lessons.model import Element, ElementKind, Language, Screen

ARROW_KEYS = ("practice.up", "practice.down")  # ▲ 위로, ▼ 아래로 (kiosk_app.ui_text)
ARROW_SYMBOLS = ("▲", "▼")  # the arrows without their words, where a title needs the room
MOCK_PADDING = 0.6  # an element's padding around its text, in gaps (practice_screen.kv)

# Where the kiosk has room to spare (a 24-inch screen), the rows of a page grow to fill the
# simulated screen, each up to this much taller than its content needs: big app buttons
# like a phone's, not a strip of thin bars over an empty area.
ROW_GROW = 2.5


class MockElement(CardButton):
    element_id = StringProperty("")
    glow = NumericProperty(0.0)


class MockLabel(Panel):
    """A non-tappable element (a clock, a caption): drawn, not a target."""


class PracticeScreen(BoxLayout):
    """Shows one library screen; calls `on_tap(element_id)` for every tap on an element."""

    screen = ObjectProperty(None, allownone=True)
    page = NumericProperty(0)
    pointer = ListProperty([0, 0, 0])  # x, y, radius of the level-3 pointer (0: hidden)
    # its texts' size as a share of their roles' sizes: smaller where the step must fit its
    # room (set by the step body, with the step's own text)
    scale = NumericProperty(1.0)
    # the least height that shows a page: its title bar and its tallest row
    least_height = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.language: Language = "ko"
        self.highlight: str | None = None
        self.demonstrate: str | None = None
        self.on_tap: Callable[[str], None] = lambda element_id: None
        self._pages: list[range] = []
        self._columns = 1
        self._spans: dict[str, int] = {}  # elements widened so that no word breaks
        self._arrows: list[str] = []  # the page arrows' labels
        self._elements: dict[str, MockElement] = {}
        self._rows: list[list[Widget]] = []  # every element, in the grid's rows
        self._natural: list[list[float]] = []  # the height each element needs
        self._rebuild = Clock.create_trigger(lambda dt: self.rebuild(), -1)
        self._arrange = Clock.create_trigger(lambda dt: self.arrange(), -1)
        self._animate_soon = Clock.create_trigger(lambda dt: self._animate(), 0)
        # a new width changes every element; a new height only what fits a page
        self.bind(width=self._rebuild, height=self._arrange)

    def show(self, screen: Screen, highlight: str | None, demonstrate: str | None) -> None:
        if screen is not self.screen:
            self.page = 0
        self.screen, self.highlight, self.demonstrate = screen, highlight, demonstrate
        self.rebuild()

    def set_scale(self, scale: float) -> None:
        """Draw the texts at `scale` of their roles' sizes, and lay the rows out again
        (`least_height` is then the one at that size)."""
        if scale == self.scale:
            return
        self.scale = scale
        self._natural = [[self._measure(widget) for widget in row] for row in self._rows]
        self.arrange()

    def turn(self, delta: int) -> None:
        self.page = max(0, min(self.page + delta, len(self._pages) - 1))
        self.rebuild()

    def element_widget(self, element_id: str) -> MockElement | None:
        """The element's widget, if it is on the page shown."""
        widget = self._elements.get(element_id)
        return widget if widget is not None and widget.parent is not None else None

    def rebuild(self) -> None:
        """Build the screen's elements, and lay out the page that holds the hinted target.
        The grid is chosen at the texts' full size, so that no word breaks at any scale."""
        self._stop_animations()
        self.clear_widgets()
        self._elements, self._rows, self._natural = {}, [], []
        if self.screen is None or self.width < 10:
            return
        self._columns, self._spans = self._grid()
        grid = self.screen.rows(self._columns, self._spans)
        self._rows = [[self._make(e) for e in row] for row in grid]
        self._natural = [[self._measure(widget) for widget in row] for row in self._rows]
        self.arrange()

    def arrange(self) -> None:
        """Lay out the built rows that fit, on the page that holds the hinted target."""
        if not self._rows:
            return
        self._stop_animations()
        self.clear_widgets()
        rows = self._rows
        for widget in (widget for row in rows for widget in row if widget.parent is not None):
            widget.parent.remove_widget(widget)  # off the lines of the last arrangement
        app = App.get_running_app()
        heights = [max(row) for row in self._natural]
        title, arrows = self._title_bar(paged=False)
        # the spacer under the rows takes a gap too: rows fill what is left after it
        available = self.height - title.height - 2 * app.gap
        self._pages = rows_per_page(heights, available, app.gap)
        if len(self._pages) > 1:  # the page arrows join the title bar
            title, arrows = self._title_bar(paged=True)
            available = self.height - title.height - 2 * app.gap
            self._pages = rows_per_page(heights, available, app.gap)
        # a page's title bar and its tallest row, with the gaps after each
        self.least_height = title.height + max(heights) + 2 * app.gap
        self.page = self._page_to_show(rows)
        self.add_widget(title)
        self._update_arrows(arrows)
        shown = self._pages[self.page]
        grown = grow_rows([heights[i] for i in shown], available, app.gap, ROW_GROW)
        for index, height in zip(shown, grown, strict=True):
            line = BoxLayout(size_hint_y=None, height=height, spacing=app.gap)
            for widget in rows[index]:
                widget.height = height
                line.add_widget(widget)
            line.add_widget(Widget())  # keep elements at their own width, left-aligned
            self.add_widget(line)
        self.add_widget(Widget())  # the rest of the space stays empty, rows stay on top
        self._animate_soon()  # once, however many times it was laid out meanwhile

    def _page_to_show(self, rows: list[list[Widget]]) -> int:
        target = self.highlight
        for number, page in enumerate(self._pages):
            ids = {getattr(w, "element_id", "") for i in page for w in rows[i]}
            if target and target in ids:
                return number
        return min(self.page, len(self._pages) - 1)

    def _grid(self) -> tuple[int, dict[str, int]]:
        """The columns and element spans that break no word in the fewest rows (the
        screen's own grid wherever it fits)."""
        app = App.get_running_app()
        screen = self.screen
        assert screen is not None
        words = [(element, self._widest_word(element)) for element in screen.elements]
        padding = 2 * MOCK_PADDING * app.gap
        best: tuple[int, int, dict[str, int]] | None = None
        for columns in range(screen.columns, 0, -1):
            spans = {}
            for element, word in words:
                span = span_needed(word, element.span, columns, self.width, app.gap, padding)
                if span is None:
                    break
                spans[element.id] = span
            else:
                count = len(screen.rows(columns, spans))
                if best is None or count < best[0]:
                    best = (count, columns, spans)
        return (best[1], best[2]) if best else (1, {})

    def _widest_word(self, element: Element) -> float:
        app = App.get_running_app()
        tappable = element.kind is not ElementKind.LABEL
        font = app.button_font if tappable else app.body_font
        widest = widest_word(element.label.get(self.language), font, bold=tappable)
        if element.detail:
            detail = widest_word(element.detail.get(self.language), app.body_font, False)
            widest = max(widest, detail)
        return widest

    def _make(self, element: Element) -> Widget:
        app = App.get_running_app()
        assert self.screen is not None
        columns = self._columns
        span = min(self._spans.get(element.id, element.span), columns)
        cell = (self.width - app.gap * (columns - 1)) / columns
        width = cell * span + app.gap * (span - 1)
        kind = f"role.{element.role.value}"
        tappable = element.kind is not ElementKind.LABEL
        box: Any = MockElement(element_id=element.id) if tappable else MockLabel()
        box.kind = kind
        box.size_hint_x, box.width = None, width
        if tappable:
            box.bind(on_release=lambda w: self.on_tap(w.element_id))
            self._elements[element.id] = box
        role = "button" if tappable else "body"
        texts = [(element.label.get(self.language), role)]
        if element.detail:
            texts.append((element.detail.get(self.language), "body"))
        inner = width - 2 * MOCK_PADDING * app.gap
        box.add_widget(Widget())  # spacers above and below: the text stays centred
        for text, role in texts:
            box.add_widget(TextLabel(text=text, kind=kind, role=role, width=inner))
        box.add_widget(Widget())
        return box

    def _measure(self, box: Any) -> float:
        """Size the texts of an element at the screen's scale; the height it needs."""
        app = App.get_running_app()
        labels = [child for child in reversed(box.children) if isinstance(child, TextLabel)]
        total = 2 * MOCK_PADDING * app.gap
        for label in labels:
            label.scale = self.scale
            label.texture_update()
            label.height = label.texture_size[1]
            total += label.height
        # the box's spacing comes between all its children, the spacers round the texts too
        total += box.spacing * (len(box.children) - 1)
        return float(max(app.target, total))

    def _title_bar(self, paged: bool) -> tuple[BoxLayout, BoxLayout]:
        """The screen's title, and the row for the page arrows when `paged`: beside the
        title, worded if the title fits beside them, else as bare triangles; the title gets
        a line of its own above them only when it fits beside neither."""
        app = App.get_running_app()
        assert self.screen is not None
        text = self.screen.title.get(self.language)
        needed = text_width(text, app.body_font * self.scale, bold=False)
        self._arrows = [tr(key, self.language) for key in ARROW_KEYS]
        if paged and needed > self._beside_arrows():
            self._arrows = list(ARROW_SYMBOLS)
        row = BoxLayout(size_hint_y=None, height=self._bar_height(), spacing=app.gap)
        title = TextLabel(text=text, halign="left", scale=self.scale)
        if not paged or needed <= self._beside_arrows():
            title.size_hint_y = 1
            row.add_widget(title)
            return row, row
        bar = BoxLayout(orientation="vertical", size_hint_y=None, spacing=app.gap)
        title.width = self.width
        title.texture_update()
        title.height = title.texture_size[1]
        bar.add_widget(title)
        bar.add_widget(row)
        row.add_widget(Widget())  # the arrows keep to the right, as beside a title
        bar.height = title.height + app.gap + row.height
        return bar, row

    def _bar_height(self) -> float:
        """The title bar's (and its arrows') height: a button's at the screen's text size."""
        app = App.get_running_app()
        return Sizes(app.px_mm).button_height_for(app.button_font * self.scale)

    def _arrow_width(self) -> int:
        app = App.get_running_app()
        font = app.button_font * self.scale
        return max(app.target, fit_width(self._arrows, font, 2 * app.gap))

    def _beside_arrows(self) -> float:
        """The room a title has on a row with both page arrows."""
        return self.width - 2 * (self._arrow_width() + App.get_running_app().gap)

    def _update_arrows(self, bar: BoxLayout) -> None:
        if len(self._pages) < 2:
            return
        labels, width = self._arrows, self._arrow_width()
        for text, delta, enabled in (
            (labels[0], -1, self.page > 0),
            (labels[1], 1, self.page + 1 < len(self._pages)),
        ):
            if not enabled:
                continue
            arrow = PageArrow(text=text, size_hint_x=None, width=width, scale=self.scale)
            arrow.least_height = self._bar_height()
            arrow.bind(on_release=lambda w, d=delta: self.turn(d))
            bar.add_widget(arrow)

    def _animate(self) -> None:
        target = self._elements.get(self.highlight or "")
        if target is not None:
            glow = Animation(glow=1.0, d=0.6) + Animation(glow=0.25, d=0.6)
            glow.repeat = True
            glow.start(target)
        shown = self._elements.get(self.demonstrate or "")
        if shown is not None:
            x, y = shown.center
            self.pointer = [self.right, self.y, shown.height * 0.35]
            move = Animation(pointer=[x, y, shown.height * 0.35], d=0.8, t="out_quad")
            press = Animation(pointer=[x, y, shown.height * 0.2], d=0.3) + Animation(
                pointer=[x, y, shown.height * 0.35], d=0.3
            )
            press.repeat = True
            (move + press).start(self)

    def _stop_animations(self) -> None:
        Animation.cancel_all(self, "pointer")
        self.pointer = [0, 0, 0]
        for widget in self._elements.values():
            Animation.cancel_all(widget, "glow")


class PageArrow(BigButton):
    """▲/▼ on a simulated screen taller than the kiosk's space (like scrolling a phone)."""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
