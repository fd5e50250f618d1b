"""The pieces of a simulated device (widgets/mock_device.py draws them in place): one widget
per element of a practice screen, drawn by its kind as the real app draws it (a round
keypad key, an input box with its grey placeholder, a list row, a switch, a menu card with
its picture and price, chat bubbles), and each told the state to show (`show`).

Every text is a kiosk `TextLabel` in a theme pair, so the accessibility tests measure the
simulated screen exactly as the rest of the kiosk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk_app.look.label_width import widest_word
from kiosk_app.look.layout import glyph_boost
from kiosk_app.widgets.base import CardButton, Panel, TextLabel
from kiosk_app.widgets.picture import Picture
from lessons import Language
from lessons.mock_engine import MockState, bubbles, fill, label_text
from lessons.mock_model import Bubble
from lessons.model import Element, ElementKind

PADDING = 0.35  # an element's padding around its text, in gaps (mock_parts.kv)
PICTURED = (ElementKind.APP_ICON, ElementKind.MENU_ITEM, ElementKind.PHOTO)
ROWS = (ElementKind.LIST_ROW, ElementKind.TOGGLE, ElementKind.TEXT_FIELD)
PICTURE_MM = {ElementKind.APP_ICON: 13.0, ElementKind.MENU_ITEM: 20.0, ElementKind.PHOTO: 22.0}
BUBBLE_SHARE = 0.78  # a chat bubble at most this share of the chat's width, as on a phone


def pair_kind(element: Element, state: MockState) -> str:
    """The theme pair an element is drawn in."""
    if element.disabled:
        return "mock.disabled"
    if element.kind is ElementKind.TEXT_FIELD:
        value = state.fields.get(element.shows or element.id)
        return "role.text" if isinstance(value, str) and value else "mock.placeholder"
    if element.kind in (ElementKind.LIST_ROW, ElementKind.TOGGLE, ElementKind.PHOTO):
        return "role.text" if element.role.value == "neutral" else f"role.{element.role.value}"
    return f"role.{element.role.value}"


class MockElement(CardButton):
    """A tappable element. The device takes its touches (a tap, a long press): the button
    only shows that it is pressed."""

    element_id = StringProperty("")
    glow = NumericProperty(0.0)
    shape = StringProperty("card")  # card | round | row | field | switch
    switched = BooleanProperty(False)  # a toggle's switch is on
    switch_room = NumericProperty(0)  # px kept free on the right for the switch


class MockLabel(Panel):
    """A non-tappable element (a caption, the time): drawn, never a target."""

    element_id = StringProperty("")
    glow = NumericProperty(0.0)
    shape = StringProperty("card")
    switched = BooleanProperty(False)
    switch_room = NumericProperty(0)


class ChatView(Panel):
    """The conversation: the learner's bubbles on the right, the others' on the left."""

    element_id = StringProperty("")
    glow = NumericProperty(0.0)
    shape = StringProperty("card")
    switched = BooleanProperty(False)
    switch_room = NumericProperty(0)


class BubbleBox(Panel):
    """One message."""


def make(element: Element, language: Language, scale: float, pictures: Path) -> Any:
    """The widget that draws `element` (told its state by `show`)."""
    holder: Any
    if element.kind is ElementKind.CHAT:
        holder = ChatView(element_id=element.id, kind="card")
        holder.bubbles_shown = None
        return holder
    cls = MockLabel if element.kind is ElementKind.LABEL else MockElement
    holder = cls(element_id=element.id)
    holder.shape = {
        ElementKind.KEYPAD_KEY: "round",
        ElementKind.LIST_ROW: "row",
        ElementKind.TOGGLE: "switch",
        ElementKind.TEXT_FIELD: "field",
    }.get(element.kind, "card")
    holder.picture = None
    holder.picture_mm = PICTURE_MM.get(element.kind, 12.0)
    if element.icon:
        holder.picture = Picture(source=str(pictures / element.icon), size_hint_y=None)
        holder.add_widget(holder.picture)
    left = element.kind in ROWS
    role = "body" if element.kind in (ElementKind.LABEL, ElementKind.TEXT_FIELD) else "button"
    holder.title = TextLabel(role=role, scale=scale, halign="left" if left else "center")
    if not element.icon_only:  # else named by its label, drawn as its icon alone
        holder.add_widget(holder.title)
    holder.detail = None
    if element.detail:
        holder.detail = TextLabel(
            text=element.detail.get(language), role="body", scale=scale,
            halign="left" if left else "center",
        )  # fmt: skip
        holder.add_widget(holder.detail)
    return holder


def show(widget: Any, element: Element, state: MockState, language: Language) -> bool:
    """Give `widget` what `element` shows in `state`; True when its height may change."""
    kind = pair_kind(element, state)
    if isinstance(widget, ChatView):
        messages = bubbles(element, state)
        if widget.bubbles_shown == (messages, language):
            return False
        widget.bubbles_shown = (list(messages), language)
        _fill_chat(widget, messages, language, state.screen)
        return True
    changed = False
    for part in (widget, widget.title, widget.detail):
        if part is not None and part.kind != kind:
            part.kind = kind
    text = label_text(element, state, language)
    if widget.title.text != text:
        widget.title.text = text
        changed = True
    if widget.detail is not None and element.detail:
        detail = fill(element.detail.get(language), state.fields)  # 「찍은 상품 2개」
        if widget.detail.text != detail:
            widget.detail.text = detail
            changed = True
    if element.kind is ElementKind.TOGGLE:
        value = state.fields.get(element.shows or element.id)
        widget.switched = bool(value)
    return changed


def sized(label: Any, width: float, scale: float) -> float:
    """Give `label` its width and scale; its height. Its text is drawn again only when one
    of them, its text or its font changed (drawing a line of large text takes milliseconds,
    and a tap must be drawn within a frame)."""
    label.size_hint_x = None
    label.width, label.scale = width, scale
    key = (label.text, label.width, label.font_size, label.bold)
    if getattr(label, "sized_for", None) != key:
        label.texture_update()
        label._trigger_texture.cancel()  # drawn now: not once more at the next frame
        label.sized_for = key
    label.height = label.texture_size[1]
    return float(label.height)


def fit_scale(label: TextLabel, width: float, scale: float, least: float) -> float:
    """The largest scale up to `scale` at which `label`'s widest word fits `width` px (a
    word is never broken: it is drawn smaller, down to `least`, the floors' size)."""
    if not label.text or not label.scale:
        return scale
    font = label.font_size / label.scale * scale / glyph_boost(label.text)
    widest = widest_word(label.text, font, label.bold)
    if widest <= width * 0.96:  # the estimate runs a little under Kivy's own lines
        return scale
    return max(least, scale * width / widest * 0.94)


def _fill_chat(view: ChatView, messages: list[Bubble], language: Language, screen: str) -> None:
    view.clear_widgets()
    kakao = "kakao" in screen
    for message in messages:
        mine = message.by == "me"
        kind = ("role.accent" if kakao else "role.primary") if mine else "card"
        box = BubbleBox(kind=kind)
        box.mine = mine
        box.label = TextLabel(text=message.get(language), kind=kind, role="body")
        box.add_widget(box.label)
        view.add_widget(box)


def measure(widget: Any, width: float, scale: float) -> float:
    """Set `widget`'s parts for `width` px at `scale`; the height it needs."""
    app = App.get_running_app()
    gap = app.gap
    if isinstance(widget, ChatView):
        return _place_chat(widget, width, scale, place=False)
    inner = width - 2 * PADDING * gap - widget.switch_room
    total = 2 * PADDING * gap
    parts = [c for c in (widget.picture, widget.title, widget.detail) if c and c.parent is widget]
    for part in parts:
        if part is widget.picture:
            part.height = widget.picture_mm * app.px_mm * min(1.0, scale)
        if isinstance(part, TextLabel):
            sized(part, inner, fit_scale(part, inner, scale, 1.0 / max(1.0, app.text_scale)))
        total += part.height
    return float(total + widget.spacing * (len(parts) - 1))


def picture_px(widget: Any, scale: float) -> float:
    """The height of `widget`'s picture drawn whole (0: it has none)."""
    picture = getattr(widget, "picture", None)
    if picture is None or picture.parent is not widget:
        return 0.0
    return float(widget.picture_mm * App.get_running_app().px_mm * min(1.0, scale))


def give_way(widget: Any, needed: float, scale: float) -> None:
    """`widget` needs `needed` px and is drawn as tall as it is: its picture (if any) at
    its own size, or smaller by what is missing, or left out where less than a third of it
    would show (the words are what the learner reads)."""
    full = picture_px(widget, scale)
    if not full:
        return
    picture = widget.picture
    height = full - max(0.0, needed - widget.height)
    shown = height >= full / 3
    picture.height, picture.opacity = (height, 1) if shown else (0, 0)


def _place_chat(view: ChatView, width: float, scale: float, place: bool) -> float:
    gap = App.get_running_app().gap
    most = width * BUBBLE_SHARE
    total = gap
    for box in view.children:
        label = box.label
        sized(label, most - 2 * PADDING * gap, scale)
        sized(label, min(label.width, label.texture_size[0] + 2), scale)
        box.size_hint = (None, None)
        box.size = (label.width + 2 * PADDING * gap, label.height + 2 * PADDING * gap)
        total += box.height + gap
    if place:  # oldest first, from the top; where they do not all fit, the newest show
        y = view.top - gap + max(0.0, total - view.height)
        for box in reversed(view.children):
            box.x = view.right - gap - box.width if box.mine else view.x + gap
            box.top = y
            box.opacity = 1 if y <= view.top + 0.5 else 0
            y -= box.height + gap
    return total


def place_chat(view: ChatView, scale: float) -> None:
    """Put the chat's bubbles in place (after the view itself was placed)."""
    _place_chat(view, view.width, scale, place=True)


def spacer() -> Widget:
    return Widget(size_hint=(None, None), size=(0, 0))


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
