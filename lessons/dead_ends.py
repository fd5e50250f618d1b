"""Dead ends: states of a simulated app that a learner can reach from where a practice
starts, in which nothing she can tap changes anything and there is no back key (on a kiosk
there never is). She would be stuck there, so the checker reports the first one it finds.

The walk is breadth-first over taps, long presses, the back key and typing (only the texts
the practice asks for), bounded so that a keypad that types forever or a cart that grows
forever does not run on: near states are walked first, and they are where a learner goes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from lessons.mock_engine import Mock, MockError, MockState
from lessons.model import Device, ElementKind

# Exploring a practice's states stops here: enough for every screen and a few fields'
# values near the path (a library practice has tens of states), small enough that the
# whole library is checked in well under a second on a 2-core center box.
MAX_STATES = 2000
MAX_HISTORY = 8  # screens deep on a phone; deeper stacks only repeat the same screens
MAX_TYPED = 24  # letters a keypad may type into a field while exploring

Move = tuple[Literal["tap", "hold", "type", "back"], str, str]  # kind, element or field, text


def find_dead_end(
    mock: Mock, start: MockState, end_screen: str, typing: list[tuple[str, str]]
) -> str | None:
    """A message naming the first dead end reachable from `start` (the screen where the
    practice ends is not one: the learner is done there); None when there is none."""
    parents: dict[Any, tuple[Any, str]] = {start.key(): (None, "")}
    queue = deque([start])
    while queue and len(parents) < MAX_STATES:
        state = queue.popleft()
        moves = list(_moves(mock, state, typing))
        if not moves and state.screen != end_screen:
            return _dead_end(mock, state, _trail(parents, state.key()))
        for label, after in moves:
            if after.key() not in parents:
                parents[after.key()] = (state.key(), label)
                queue.append(after)
    return None


def _moves(
    mock: Mock, state: MockState, typing: list[tuple[str, str]]
) -> Iterator[tuple[str, MockState]]:
    """Each input that changes `state`, and the state after it (bounded for exploring)."""
    key = state.key()
    for move in _candidates(mock, state, typing):
        try:
            after = _apply(mock, state, move)
        except MockError:
            continue  # the field checks report it
        label = f"{move[0]} {move[1]}" if move[0] != "type" else f"type '{move[2]}'"
        label = "back" if move[0] == "back" else label
        if after.key() != key and _bounded(after):
            yield label, after
        elif after.key() != key:
            yield label, state  # it changes something; exploring stops there


def _bounded(state: MockState) -> bool:
    typed = all(len(v) <= MAX_TYPED for v in state.fields.values() if isinstance(v, str))
    return typed and len(state.history) <= MAX_HISTORY


def _trail(parents: Mapping[Any, tuple[Any, str]], key: Any) -> list[str]:
    labels: list[str] = []
    while True:
        parent, label = parents[key]
        if parent is None:
            return labels[::-1]
        labels.append(label)
        key = parent


def _dead_end(mock: Mock, state: MockState, trail: list[str]) -> str:
    screen = mock.screen(state)
    how = ", ".join(trail) if trail else "at the start"
    if screen.frame is not Device.PHONE:
        back = f"a {screen.frame.value} has no back key"
    else:
        back = "the back key has no screen to go back to"
    return (
        f"a learner gets stuck on screen '{screen.id}' ({how}): nothing there can be tapped "
        f"that changes anything, and {back}; give it a button that goes on or back"
    )


def _candidates(mock: Mock, state: MockState, typing: list[tuple[str, str]]) -> Iterator[Move]:
    for element in mock.visible(state):
        if element.tappable and element.on_tap:
            yield ("tap", element.id, "")
        if element.tappable and element.on_hold:
            yield ("hold", element.id, "")
        if element.kind is ElementKind.TEXT_FIELD and element.shows:
            yield from (("type", n, t) for n, t in typing if n == element.shows)
    if mock.can_go_back(state):
        yield ("back", "", "")


def _apply(mock: Mock, state: MockState, move: Move) -> MockState:
    kind, name, text = move
    if kind == "back":
        return mock.back(state)
    if kind == "type":
        return mock.type_into(state, name, text)
    return mock.press(state, name, kind)
