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
from typing import Literal

from lessons.mock_engine import Mock, MockError, MockState
from lessons.mock_model import Input
from lessons.model import Device, Element, ElementKind

# Exploring a practice's states stops here: enough for every screen and a few fields'
# values near the path. Stateful screens (chats that grow, carts, counters) have no end of
# states: the library's practices walk ~1,800 states each on average, and the whole walk
# takes ~4 s of one core (113 practices, 2026-12-05), which is why only `check` walks.
MAX_STATES = 2000
MAX_HISTORY = 8  # screens deep on a phone; deeper stacks only repeat the same screens
MAX_TYPED = 24  # letters a keypad may type into a field while exploring

Move = tuple[Literal["tap", "hold", "type", "back", "swipe"], str, str]  # kind, what, text
Node = tuple[int, int]  # the app's state (numbered as first met), inputs done


def find_dead_end(
    mock: Mock, start: MockState, end_screen: str, inputs: Sequence[Input]
) -> str | None:
    """A message naming the first dead end reachable from `start` while the practice is
    not done (once its inputs are done the lesson moves on; the screen where it ends is no
    dead end either: the learner is done there); None when there is none."""
    walk = _Walk(mock, inputs)
    first: Node = (walk.number(start), 0)
    parents: dict[Node, tuple[Node | None, str]] = {first: (None, "")}
    queue = deque([first])
    while queue and len(parents) < MAX_STATES:
        node = queue.popleft()
        moves = list(walk.moves(node))
        state = walk.states[node[0]]
        if not moves and state.screen != end_screen:
            return _dead_end(mock, state, _trail(parents, node))
        for label, after in moves:
            if after not in parents:
                parents[after] = (node, label)
                if after[1] < len(inputs):
                    queue.append(after)
    return None


class _Walk:
    """The app's states met so far, each numbered once (a state's key holds its fields,
    chats included, and is costly to hash again and again), and what each input does to
    each: a state is met with several counts of inputs done, and the app does the same."""

    def __init__(self, mock: Mock, inputs: Sequence[Input]) -> None:
        self.mock = mock
        self.inputs = inputs
        self.typing = [(i.into, i.type) for i in inputs if i.type is not None and i.into]
        self.states: list[MockState] = []
        self._numbers: dict[tuple[object, ...], int] = {}
        self._bounded: list[bool] = []
        self._visible: dict[int, list[Element]] = {}
        self._after: dict[tuple[int, Move], int | None] = {}

    def number(self, state: MockState) -> int:
        key = state.key()
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = len(self.states)
            self.states.append(state)
            self._bounded.append(_bounded(state))
        return found

    def moves(self, node: Node) -> Iterator[tuple[str, Node]]:
        """Each input that changes the app or moves the practice on, and where it leads
        (bounded for exploring)."""
        number, done = node
        expected = self.inputs[done]
        for move in self._candidates(number, expected):
            after = self._apply(number, move)
            if after is None:
                continue  # the field checks report it
            moved = done + 1 if _is_expected(move, expected) else done
            if after == number and moved == done:
                continue
            label = f"type '{move[2]}'" if move[0] == "type" else " ".join(filter(None, move[:2]))
            yield label, ((after if self._bounded[after] else number), moved)

    def _apply(self, number: int, move: Move) -> int | None:
        """The state `move` leads to from state `number` (None: the app cannot do it)."""
        try:
            return self._after[number, move]
        except KeyError:
            pass
        try:
            after: int | None = self.number(_apply(self.mock, self.states[number], move))
        except MockError:
            after = None
        self._after[number, move] = after
        return after

    def _candidates(self, number: int, expected: Input) -> Iterator[Move]:
        visible = self._visible.get(number)
        if visible is None:
            visible = self._visible[number] = self.mock.visible(self.states[number])
        for element in visible:
            if element.tappable and (element.on_tap or expected.tap == element.id):
                yield ("tap", element.id, "")
            if element.tappable and (element.on_hold or expected.hold == element.id):
                yield ("hold", element.id, "")
            if element.kind is ElementKind.TEXT_FIELD and element.shows:
                yield from (("type", n, t) for n, t in self.typing if n == element.shows)
        if self.mock.can_go_back(self.states[number]):
            yield ("back", "", "")
        if expected.swipe is not None:
            yield ("swipe", expected.swipe.value, "")


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


def _trail(parents: Mapping[Node, tuple[Node | None, str]], key: Node) -> list[str]:
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


def _apply(mock: Mock, state: MockState, move: Move) -> MockState:
    kind, name, text = move
    if kind == "back":
        return mock.back(state)
    if kind == "type":
        return mock.type_into(state, name, text)
    if kind == "swipe":
        return state  # it scrolls; the app's state is the same
    return mock.press(state, name, kind)
