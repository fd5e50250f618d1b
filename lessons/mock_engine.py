"""A simulated app as a pure state machine: which screen is shown, what its fields hold, and
what a tap, a long press, the back key or typing changes. The kiosk draws `MockState`;
the practice run and the checker drive it without a window."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

from lessons import Language
from lessons.mock_model import Action, Bubble, FieldValue
from lessons.model import Device, Element, Screen

TapKind = Literal["tap", "hold"]


class MockError(Exception):
    """A screen names a screen or a field that does not exist (the checker reports these
    before a lesson is ever shown)."""


@dataclass(frozen=True)
class MockState:
    """What the simulated device shows: a screen, every field's value, and the screens the
    back key returns to."""

    screen: str
    fields: Mapping[str, FieldValue] = field(default_factory=dict)
    history: tuple[str, ...] = ()

    def key(self) -> tuple[object, ...]:
        """A hashable form: two states with the same key look and behave the same."""
        return self._key

    @cached_property
    def _key(self) -> tuple[object, ...]:  # the checker's walk asks for it many times
        items = tuple(sorted((k, _frozen(v)) for k, v in self.fields.items()))
        return (self.screen, items, self.history)


def _frozen(value: FieldValue) -> object:
    if isinstance(value, list):  # a chat: its messages as plain tuples, which hash fast
        return tuple((b.by, b.ko, b.en, b.picture) for b in value)  # (a model hashes slowly)
    return value


class Mock:
    """The screens of a library and the rules of their actions."""

    def __init__(self, screens: Mapping[str, Screen]) -> None:
        self.screens = screens

    def start(self, screen_id: str, fields: Mapping[str, FieldValue] | None = None) -> MockState:
        """The state a practice begins in: `screen_id` with the fields of every screen it
        leads to, some set otherwise. (Declaring them all at the start keeps a detour's way
        back exact: a screen opened by mistake and closed again leaves the state as it was.)"""
        state = MockState(screen_id)
        for reached in self.reachable(screen_id):
            state = self._arrive(state, reached)
        unknown = sorted(set(fields or {}) - set(state.fields))
        if unknown:
            raise MockError(f"screen '{screen_id}' leads to no field {', '.join(unknown)}")
        return replace(state, fields={**state.fields, **(fields or {})})

    def reachable(self, screen_id: str) -> list[str]:
        """`screen_id` and every screen its taps and long presses `go` to, near ones first."""
        seen = [screen_id]
        for current in seen:  # grows while it is walked: breadth first
            screen = self.screens.get(current)
            for element in screen.elements if screen else []:
                for action in (*element.on_tap, *element.on_hold):
                    target = action.go
                    if target is not None and target in self.screens and target not in seen:
                        seen.append(target)
        return seen

    def screen(self, state: MockState) -> Screen:
        try:
            return self.screens[state.screen]
        except KeyError:
            raise MockError(f"no screen '{state.screen}'") from None

    def visible(self, state: MockState) -> list[Element]:
        """The elements shown in `state` (those whose `when` holds), in order."""
        return [e for e in self.screen(state).elements if _holds(e.when, state.fields)]

    def element(self, state: MockState, element_id: str) -> Element | None:
        """The element if it is shown in `state`."""
        element = self.screen(state).element(element_id)
        return element if element is not None and _holds(element.when, state.fields) else None

    def can_go_back(self, state: MockState) -> bool:
        """Whether the device's back key does something: a phone with a screen to return to."""
        return bool(state.history) and self.screen(state).frame is Device.PHONE

    def press(self, state: MockState, element_id: str, how: TapKind = "tap") -> MockState:
        """The state after tapping (or holding) an element; unchanged where the element is
        not shown, is disabled or does nothing (a tap beside a button, on a label)."""
        element = self.element(state, element_id)
        if element is None or not element.tappable:
            return state
        for action in element.on_tap if how == "tap" else element.on_hold:
            state = self.act(state, action)
        return state

    def back(self, state: MockState) -> MockState:
        """The state after the phone's back key."""
        if not self.can_go_back(state):
            return state
        return replace(state, screen=state.history[-1], history=state.history[:-1])

    def type_into(self, state: MockState, field_id: str, text: str) -> MockState:
        """The state after the on-screen keyboard left `text` in a field."""
        self._field(state, field_id, str)
        return replace(state, fields={**state.fields, field_id: text})

    def act(self, state: MockState, action: Action) -> MockState:
        """The state after one action."""
        fields = dict(state.fields)
        if action.go is not None:
            moved = replace(state, screen=action.go, history=(*state.history, state.screen))
            return self._arrive(moved, action.go)
        if action.back:
            if not state.history:
                return state
            return replace(state, screen=state.history[-1], history=state.history[:-1])
        if action.type is not None and action.into:
            fields[action.into] = self._text(state, action.into) + action.type
        elif action.erase is not None:
            fields[action.erase] = self._text(state, action.erase)[:-1]
        elif action.clear is not None:
            fields[action.clear] = ""
        elif action.toggle is not None:
            fields[action.toggle] = not self._field(state, action.toggle, bool)
        elif action.set is not None:
            for name, value in action.set.items():
                self._field(state, name, type(value))
                fields[name] = value
        elif action.add is not None:
            for name, amount in action.add.items():
                fields[name] = self._number(state, name) + amount
        elif action.into:  # send: a field's text, or a photo, becomes the learner's bubble
            fields[action.into] = [*self._chat(state, action.into), self._bubble(state, action)]
            if action.send is not None:
                fields[action.send] = ""
        return replace(state, fields=fields)

    def _bubble(self, state: MockState, action: Action) -> Bubble:
        if action.picture is not None:
            return Bubble(by="me", ko="사진", en="Photo", picture=action.picture)
        assert action.send is not None
        text = self._text(state, action.send)
        return Bubble(by="me", ko=text or " ")

    def _arrive(self, state: MockState, screen_id: str) -> MockState:
        """Entering a screen adds the fields it declares that the state does not hold yet."""
        screen = self.screen(replace(state, screen=screen_id))
        new = {k: v for k, v in screen.fields.items() if k not in state.fields}
        return replace(state, fields={**state.fields, **new}) if new else state

    def _field(self, state: MockState, name: str, kind: type) -> object:
        if name not in state.fields:
            raise MockError(f"screen '{state.screen}': no field '{name}' has been declared")
        value = state.fields[name]
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            raise MockError(f"field '{name}' holds {value!r}, not a {kind.__name__}")
        return value

    def _text(self, state: MockState, name: str) -> str:
        value = self._field(state, name, str)
        assert isinstance(value, str)
        return value

    def _number(self, state: MockState, name: str) -> int:
        value = self._field(state, name, int)
        assert isinstance(value, int)
        return value

    def _chat(self, state: MockState, name: str) -> list[Bubble]:
        value = state.fields.get(name)
        if not isinstance(value, list):
            raise MockError(f"field '{name}' is not a chat (a list of messages)")
        return value


def _holds(condition: Mapping[str, object] | None, fields: Mapping[str, FieldValue]) -> bool:
    return condition is None or all(fields.get(k) == v for k, v in condition.items())


def label_text(element: Element, state: MockState, language: Language) -> str:
    """What an element reads in `state`: its field's value where it `shows` one (its label
    while the field is empty), with `{field}` in the label filled in (numbers as 12,000)."""
    if element.shows is not None:
        value = state.fields.get(element.shows)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return _shown(value)
    return fill(element.label.get(language), state.fields)


def fill(text: str, fields: Mapping[str, FieldValue]) -> str:
    """`text` with each `{field}` replaced by the field's value."""
    for name, value in fields.items():
        mark = "{" + name + "}"
        if mark in text:
            shown = (
                f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
            )
            text = text.replace(mark, str(shown))
    return text


def bubbles(element: Element, state: MockState) -> list[Bubble]:
    """The messages a chat element draws."""
    value = state.fields.get(element.shows or "")
    return value if isinstance(value, list) else []


def _shown(value: FieldValue) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"  # 12,000 as a price is written in Korea
    return str(value)
