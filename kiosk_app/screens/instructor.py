"""Instructor mode: add, rename and hide learners (hardware keyboard); the kiosk's status
and volume are one tap away (`instructor_status`). A senior never needs this screen."""

from __future__ import annotations

from typing import Any

from kivy.core.window import Window
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk_app.label_width import fit_width
from kiosk_app.paging import Pager
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.store import Learner, Store
from kiosk_app.ui_text import tr
from kiosk_app.widgets.base import BigButton, TextLabel

ROW_BUTTONS = ("instructor.rename", "instructor.show", "instructor.hide")  # per learner


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
        language, editing = app.language, self.editing
        renaming = tr("instructor.renaming", language, name=editing.name) if editing else ""
        self.ids.name.hint_text = renaming
        self.ids.save.text = tr("instructor.save_name" if editing else "instructor.add", language)

    def _row(self, learner: Learner) -> Any:
        app, language = self.app, self.app.language
        row = BoxLayout(size_hint_y=None, height=app.button_height, spacing=app.gap)
        name = learner.name
        if learner.hidden:
            name = tr("instructor.hidden", language, name=name)
        row.add_widget(TextLabel(text=name, halign="left", size_hint_y=1))
        labels = [tr(key, language) for key in ROW_BUTTONS]
        width = fit_width(labels, app.button_font, 2 * app.gap)  # the row's buttons line up
        rename, show, hide = labels
        for text, action in (
            (rename, lambda w, x=learner: self.start_rename(x)),
            (show if learner.hidden else hide, lambda w, x=learner: self.toggle(x)),
        ):
            button = BigButton(text=text, size_hint_x=None, width=width)
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
