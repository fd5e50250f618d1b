"""Instructor mode: add, rename and hide learners (hardware keyboard); the kiosk's status
and volume are one tap away (`instructor_status`). A senior never needs this screen."""

from __future__ import annotations

from typing import Any

from kivy.core.window import Window
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk_app.paging import Pager
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.store import Learner, Store
from kiosk_app.widgets.base import BigButton, TextLabel
from kiosk_app.widgets.text_field import TextField  # noqa: F401  (used in instructor.kv)


class InstructorScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        self.editing: Learner | None = None
        self.page = 0
        self.refresh()

    def refresh(self, *args: Any) -> None:
        self._roster()

    def _roster(self) -> None:
        app = self.app
        free = Window.height - 2 * app.margin - app.title_font * 1.5 - 3 * app.button_height
        per_page = max(1, int(free // (app.button_height + app.gap)) - 1)
        pager: Pager[Learner] = Pager(self.kiosk.roster(include_hidden=True), per_page)
        pager.page = min(self.page, pager.page_count - 1)
        rows = self.ids.rows
        rows.clear_widgets()
        for learner in pager.visible:
            rows.add_widget(self._row(learner))
        rows.add_widget(Widget())  # rows stay at the top
        self.ids.page.text = pager.label
        self.ids.name.hint_text = "이름을 고칠 분: " + self.editing.name if self.editing else ""
        self.ids.save.text = "이름 저장" if self.editing else "추가"

    def _row(self, learner: Learner) -> Any:
        app = self.app
        row = BoxLayout(size_hint_y=None, height=app.button_height, spacing=app.gap)
        name = learner.name + (" (숨김)" if learner.hidden else "")
        row.add_widget(TextLabel(text=name, halign="left", size_hint_y=1))
        for text, action in (
            ("이름", lambda w, x=learner: self.start_rename(x)),
            ("보이기" if learner.hidden else "숨기기", lambda w, x=learner: self.toggle(x)),
        ):
            button = BigButton(text=text, size_hint_x=None, width=app.button_font * 3.3 + app.gap)
            button.bind(on_release=action)
            row.add_widget(button)
        return row

    def start_rename(self, learner: Learner) -> None:
        self.editing = learner
        self.ids.name.text = learner.name
        self.refresh()

    def toggle(self, learner: Learner) -> None:
        hidden = not learner.hidden
        self.kiosk.write(lambda s: s.set_hidden(learner.id, hidden), self.refresh)

    def save(self) -> None:
        name = self.ids.name.text.strip()
        if not name:
            return
        editing = self.editing
        if editing is not None:
            self.kiosk.write(lambda s: s.rename_learner(editing.id, name), self.refresh)
        else:
            self.kiosk.write(lambda s: _add(s, name), self.refresh)
        self.editing = None
        self.ids.name.text = ""

    def turn(self, delta: int) -> None:
        self.page = max(0, self.page + delta)
        self.refresh()


def _add(store: Store, name: str) -> None:
    store.add_learner(name)


load_kv(__file__)
