"""Instructor mode: add, rename and hide learners (hardware keyboard); the kiosk's status
and volume are one tap away (`instructor_status`). A senior never needs this screen."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk_app.look.label_width import fit_width
from kiosk_app.look.paging import Pager, fit_count
from kiosk_app.look.ui_text import tr
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.storage.store import Learner, Store
from kiosk_app.widgets.base import BigButton, TextLabel
from kiosk_app.widgets.text_field import TextField  # noqa: F401  (used in instructor.kv)

ROW_BUTTONS = ("instructor.rename", "instructor.show", "instructor.hide")  # per learner


class InstructorScreen(KioskScreen):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.editing: Learner | None = None
        self.page = 0
        # as many rows as the roster's box holds, worked out again when its size changes
        self.ids.rows.bind(size=Clock.create_trigger(lambda dt: self.refresh(), -1))

    def enter(self, **kwargs: Any) -> None:
        self.editing = None
        self.page = 0
        self.refresh()

    def refresh(self, *args: Any) -> None:
        self._roster()

    def _roster(self) -> None:
        app, rows = self.app, self.ids.rows
        # the spacer under the rows takes a gap too, hence the gap less
        per_page = fit_count(rows.height - app.gap, app.button_height, app.gap)
        pager: Pager[Learner] = Pager(self.kiosk.roster(include_hidden=True), per_page)
        pager.page = min(self.page, pager.page_count - 1)
        self.page = pager.page
        rows.clear_widgets()
        for learner in pager.visible:
            rows.add_widget(self._row(learner))
        rows.add_widget(Widget())  # rows stay at the top
        self.ids.page.text = pager.label if pager.page_count > 1 else ""
        self.ids.previous.disabled = not pager.has_previous
        self.ids.next.disabled = not pager.has_next
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
