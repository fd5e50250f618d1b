"""One practice, played: the simulated app's state and how far the learner has come through
what the practice expects (`Practice.inputs`).

Every input changes the app as the real one would and returns an `Outcome`:

- the expected input moves the practice on;
- typing (on the keyboard, or on the app's own keypad) into the field the practice asks for
  is never wrong: the field shows what was typed, and it counts once it reads the answer
  (with a person's tolerance: `lessons.typed_answer`);
- a wrong tap that the real app would carry out and that one more input can undo (it opens
  a screen the back key closes, types a digit 지우기 removes, flips a switch) is carried out:
  the learner sees what she did, the hint ladder climbs, and the hint then points at the way
  back (a detour). A wrong tap that could not be undone (pay, send) is not carried out;
- a tap where nothing is, or on a disabled element, does nothing at all, as on a phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lessons import phrases
from lessons.mock_engine import Mock, MockState
from lessons.mock_model import Input
from lessons.model import Line, Practice, Screen
from lessons.typed_answer import normalised, typed_answer_matches

BACK_KEY = "back-key"  # the phone frame's back key, named like an element in hints


@dataclass(frozen=True)
class Outcome:
    """What one input did. `counted`: it was an attempt at the practice (right or wrong);
    typing and harmless scrolling are not. `feedback`: a line for this wrong element."""

    counted: bool = False
    correct: bool = False
    done: bool = False
    feedback: Line | None = None
    element: str = ""


NOTHING = Outcome()


class PracticeRun:
    def __init__(self, practice: Practice, screens: Mapping[str, Screen]) -> None:
        self.practice = practice
        self.mock = Mock(screens)
        self.state = self.mock.start(practice.screen, practice.start.fields)
        self.position = 0  # inputs done
        self._detour: list[MockState] = []  # the states to get back to, oldest first

    # ---- what is expected ---------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.position >= len(self.practice.inputs)

    @property
    def expected(self) -> Input | None:
        return None if self.done else self.practice.inputs[self.position]

    @property
    def off_path(self) -> bool:
        """A wrong tap was carried out and has not been undone yet."""
        return bool(self._detour)

    def target(self) -> str | None:
        """The element a hint shines on: the way back from a detour, the key that types the
        next letter (or removes a wrong one), or the expected input's element."""
        if self._detour:
            return self._way_back()
        expected = self.expected
        if expected is None:
            return None
        if expected.type is not None and expected.into:
            following = self._is_typed_and_next()
            if following is not None:  # the text reads right: point at what comes next
                return BACK_KEY if following.back else following.element
            return self._next_key(expected.into, expected.type) or expected.into
        if expected.back:
            return BACK_KEY
        return expected.element

    def _is_typed_and_next(self) -> Input | None:
        """The input after the expected typing, once the typed text reads right."""
        index = self.position + 1
        if index >= len(self.practice.inputs) or not self._typed_right():
            return None
        return self.practice.inputs[index]

    def typing_goal(self) -> tuple[str, str] | None:
        """(field, text) while the practice waits for typing: the kiosk opens its keyboard.
        None on a detour: the way back comes first (typing there could leave no way back)."""
        expected = self.expected
        if expected is None or expected.type is None or expected.into is None or self._detour:
            return None
        return expected.into, expected.type

    # ---- inputs -------------------------------------------------------------------------

    def tap(self, element_id: str) -> Outcome:
        return self._press(element_id, "tap")

    def hold(self, element_id: str) -> Outcome:
        return self._press(element_id, "hold")

    def back(self) -> Outcome:
        """The phone's back key."""
        if not self.mock.can_go_back(self.state):
            return NOTHING
        after = self.mock.back(self.state)
        if self._consume_typing() and self._is("back") and not self._detour:
            return self._right(after, BACK_KEY)
        return self._wrong(after, BACK_KEY)

    def swipe(self, direction: str) -> Outcome:
        """A swipe on the screen: it scrolls; it counts when the practice asks for it."""
        expected = self.expected
        if expected is not None and expected.swipe is not None and expected.swipe == direction:
            return self._right(self.state, "")
        return NOTHING

    def typed(self, field_id: str, text: str) -> Outcome:
        """The keyboard left `text` in a field; only the field the practice waits for takes
        it (the kiosk's keyboard is open for no other)."""
        goal = self.typing_goal()
        if goal is not None and goal[0] != field_id and self._typed_right():
            self.position += 1  # the text before reads right; the learner went on to the next
            goal = self.typing_goal()
        if goal is None or goal[0] != field_id:
            return NOTHING
        self.state = self.mock.type_into(self.state, field_id, text)
        return self._after_typing()

    # ---- internals ----------------------------------------------------------------------

    def _press(self, element_id: str, how: str) -> Outcome:
        element = self.mock.element(self.state, element_id)
        if element is None or not element.tappable:
            return NOTHING
        after = self.mock.press(self.state, element_id, "hold" if how == "hold" else "tap")
        if self._types_into_goal(element_id) and how == "tap":
            self.state = after
            return self._after_typing()
        typing_pending = self.typing_goal() is not None
        if self._consume_typing() and self._is(how, element_id) and not self._detour:
            return self._right(after, element_id)
        if typing_pending and self._is(how, element_id, offset=1):
            # the next element (send) before the text reads right: not carried out
            return Outcome(counted=True, element=element_id, feedback=self._check_typing())
        return self._wrong(after, element_id)

    def _is(self, kind: str, element_id: str = "", offset: int = 0) -> bool:
        index = self.position + offset
        if index >= len(self.practice.inputs):
            return False
        expected = self.practice.inputs[index]
        if kind == "back":
            return bool(expected.back)
        return bool(getattr(expected, kind) == element_id)

    def _right(self, after: MockState, element_id: str) -> Outcome:
        self.state = after
        self.position += 1
        return Outcome(counted=True, correct=True, done=self.done, element=element_id)

    def _wrong(self, after: MockState, element_id: str) -> Outcome:
        feedback = self.practice.wrong.get(element_id)
        if after.key() == self.state.key():
            return Outcome(counted=True, element=element_id, feedback=feedback)
        back = [*self._detour, self.state]
        for i, earlier in enumerate(back):  # this tap undid a detour (or several)
            if earlier.key() == after.key():
                self.state, self._detour = after, back[:i]
                return Outcome(counted=False, element=element_id)
        if self._undo_from(after, self.state) is None:
            return Outcome(counted=True, element=element_id, feedback=feedback)
        self.state, self._detour = after, back
        return Outcome(counted=True, element=element_id, feedback=feedback)

    def _after_typing(self) -> Outcome:
        """Typing counts when its text reads right and nothing else is expected after it."""
        goal = self.typing_goal()
        if goal is None:
            return NOTHING
        if self.position == len(self.practice.inputs) - 1 and self._typed_right():
            return self._right(self.state, goal[0])
        return NOTHING

    def _consume_typing(self) -> bool:
        """Before any other input: typing that reads right is done. False when the
        practice still waits for typing that does not read right."""
        if self.typing_goal() is None:
            return True
        if not self._typed_right():
            return False
        self.position += 1
        return True

    def _typed_right(self) -> bool:
        goal = self.typing_goal()
        assert goal is not None
        value = self.state.fields.get(goal[0])
        return isinstance(value, str) and typed_answer_matches(goal[1], value)

    def _check_typing(self) -> Line:
        return phrases.CHECK_TYPING

    def _types_into_goal(self, element_id: str) -> bool:
        """The element only types into (or erases) the field the practice waits for."""
        goal = self.typing_goal()
        element = self.mock.element(self.state, element_id)
        if goal is None or element is None or not element.on_tap:
            return False
        return all(
            goal[0] in (a.into if a.type is not None else None, a.erase, a.clear)
            for a in element.on_tap
        )

    def _next_key(self, field_id: str, text: str) -> str | None:
        """The app's own key that types the next letter, or removes a wrong one."""
        value = self.state.fields.get(field_id)
        typed = normalised(value if isinstance(value, str) else "")
        want = normalised(text)
        digits_only = typed.replace("-", "")
        if want.replace("-", "").startswith(digits_only) and set(want) <= set("0123456789-"):
            rest = want.replace("-", "")[len(digits_only) :]
        elif want.startswith(typed):
            rest = want[len(typed) :]
        else:
            rest = None
        for element in self.mock.visible(self.state):
            for action in element.on_tap:
                if rest and action.type == rest[:1] and action.into == field_id:
                    return element.id
                if rest is None and action.erase == field_id:
                    return element.id
        return None

    def _way_back(self) -> str | None:
        return self._undo_from(self.state, self._detour[-1])

    def _undo_from(self, state: MockState, goal: MockState) -> str | None:
        """The one input that turns `state` into `goal`, if there is one."""
        if self.mock.can_go_back(state) and self.mock.back(state).key() == goal.key():
            return BACK_KEY
        for element in self.mock.visible(state):
            if element.tappable and self.mock.press(state, element.id).key() == goal.key():
                return element.id
        return None
