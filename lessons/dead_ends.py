"""Dead ends: states of a simulated app that a learner can reach from where a practice
starts, in which nothing she can tap changes anything and there is no back key (on a kiosk
there never is). She would be stuck there, so the checker reports the first one it finds.

The walk is breadth-first over taps, long presses, the back key and typing (only the texts
the practice asks for), right or wrong, as the real app would take them, and it follows how
far the practice has come: once its inputs are done the lesson moves on, so nothing past
that is walked. It is bounded so that a keypad that types forever or a cart that grows
forever does not run on: near states are walked first, and they are where a learner goes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

from lessons.mock_engine import Mock, MockError, MockState
from lessons.mock_model import Input
from lessons.model import Device, ElementKind

# Exploring a practice's states stops here: enough for every screen and a few fields'
# values near the path (a library practice has tens of states), small enough that the
# whole library is checked in well under a second on a 2-core center box.
MAX_STATES = 2000
MAX_HISTORY = 8  # screens deep on a phone; deeper stacks only repeat the same screens
MAX_TYPED = 24  # letters a keypad may type into a field while exploring

Move = tuple[Literal["tap", "hold", "type", "back", "swipe"], str, str]  # kind, what, text
Node = tuple[MockState, int]  # the app's state, and how many expected inputs are done


def find_dead_end(
    mock: Mock, start: MockState, end_screen: str, inputs: Sequence[Input]
) -> str | None:
    """A message naming the first dead end reachable from `start` while the practice is
    not done (once its inputs are done the lesson moves on; the screen where it ends is no
    dead end either: the learner is done there); None when there is none."""
    typing = [(i.into, i.type) for i in inputs if i.type is not None and i.into]
    first: Node = (start, 0)
    parents: dict[Any, tuple[Any, str]] = {_key(first): (None, "")}
    queue = deque([first])
    while queue and len(parents) < MAX_STATES:
        node = queue.popleft()
        moves = list(_moves(mock, node, inputs, typing))
        if not moves and node[0].screen != end_screen:
            return _dead_end(mock, node[0], _trail(parents, _key(node)))
        for label, after in moves:
            if _key(after) not in parents:
                parents[_key(after)] = (_key(node), label)
                if after[1] < len(inputs):
                    queue.append(after)
    return None


def _key(node: Node) -> tuple[object, ...]:
    return (*node[0].key(), node[1])


def _moves(
    mock: Mock, node: Node, inputs: Sequence[Input], typing: list[tuple[str, str]]
) -> Iterator[tuple[str, Node]]:
    """Each input that changes the app or moves the practice on, and where it leads
    (bounded for exploring)."""
    state, done = node
    expected = inputs[done]
    for move in _candidates(mock, state, expected, typing):
        try:
            after = _apply(mock, state, move)
        except MockError:
            continue  # the field checks report it
        moved = done + 1 if _is_expected(move, expected) else done
        if after.key() == state.key() and moved == done:
            continue
        label = f"type '{move[2]}'" if move[0] == "type" else " ".join(filter(None, move[:2]))
        yield label, ((after if _bounded(after) else state), moved)


def _is_expected(move: Move, expected: Input) -> bool:
    kind, name, text = move
    if kind == "type":
        return expected.into == name and expected.type == text
    if kind == "back":
        return bool(expected.back)
    if kind == "swipe":
        return expected.swipe is not None
    return bool(getattr(expected, kind) == name)


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


def _candidates(
    mock: Mock, state: MockState, expected: Input, typing: list[tuple[str, str]]
) -> Iterator[Move]:
    for element in mock.visible(state):
        if element.tappable and (element.on_tap or expected.tap == element.id):
            yield ("tap", element.id, "")
        if element.tappable and (element.on_hold or expected.hold == element.id):
            yield ("hold", element.id, "")
        if element.kind is ElementKind.TEXT_FIELD and element.shows:
            yield from (("type", n, t) for n, t in typing if n == element.shows)
    if mock.can_go_back(state):
        yield ("back", "", "")
    if expected.swipe is not None:
        yield ("swipe", expected.swipe.value, "")


def _apply(mock: Mock, state: MockState, move: Move) -> MockState:
    kind, name, text = move
    if kind == "back":
        return mock.back(state)
    if kind == "type":
        return mock.type_into(state, name, text)
    if kind == "swipe":
        return state  # it scrolls; the app's state is the same
    return mock.press(state, name, kind)
