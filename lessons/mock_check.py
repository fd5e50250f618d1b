"""The checker's half for screens that change (docs/lesson-format.md, "Screens that change").

It proves, with a FILE:LINE message for each mistake, that

- every `go:` names a screen, and every field an action, `shows`, `when` or a practice's
  `start.fields` uses is declared (with the right kind of value) on a screen reached from
  where the practice starts;
- each practice's inputs lead through the screens: played from the start state, each one
  can be done in the state where it is needed (the first that cannot is reported, with the
  screen and what is there instead);
- no state a learner can reach from a practice's start is a dead end: nothing to tap that
  changes anything and no back key (the screen where the practice ends aside);
- every element a `wrong:` names is on a screen of that practice; every typed answer can
  be typed on both keyboards a learner may have (천지인, 두벌식) or on the number pad;
- icons and photos in chats are pictures that exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lessons.check_messages import names_like
from lessons.dead_ends import find_dead_end
from lessons.keyboard import Layout, can_type
from lessons.mock_engine import Mock, MockError, MockState
from lessons.mock_model import Action, Bubble, FieldValue, Input
from lessons.model import Device, Element, ElementKind, Practice, Screen
from lessons.practice_run import BACK_KEY, PracticeRun
from lessons.typed_answer import FINAL_PUNCTUATION
from lessons.yaml_source import Loc, Source

KEYBOARDS: tuple[tuple[Layout, str], ...] = (("cheonjiin", "천지인"), ("qwerty", "두벌식"))
PHONE_NUMBER = frozenset("0123456789-")

Report = Callable[[Source, Loc, str], None]
CheckPicture = Callable[[str, Source, Loc], None]


def kind_of(value: object) -> str:
    """A field value's kind, as a writer says it."""
    if isinstance(value, bool):
        return "on/off (true/false)"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, list):
        return "a chat (a list of messages)"
    return "text"


@dataclass(frozen=True)
class _Use:
    """A field used by a screen: where, which field, and the kind it must hold (None: any)."""

    loc: Loc
    name: str
    kind: str | None
    what: str  # what uses it, for the message: 'toggle'
    given: object = None  # the value a `set:` or `when:` gives it


@dataclass
class MockChecker:
    """Checks the screens and practices of one library; `report` collects problems."""

    screens: Mapping[str, Screen]
    sources: Mapping[str, Source]
    report: Report
    check_picture: CheckPicture
    # walk each practice's states for dead ends (the slow part): all, none, or only the
    # practices of these lesson files (resolved paths; a writer checking one lesson)
    walk: bool | frozenset[Path] = True
    _reported: set[tuple[str, Loc]] = field(default_factory=set)
    _reached: set[str] = field(default_factory=set)

    # ---- screens ------------------------------------------------------------------------

    def check_screens(self) -> None:
        """What each screen says on its own: its `go:` screens and its pictures."""
        for screen in self.screens.values():
            source = self.sources[screen.id]
            for i, element in enumerate(screen.elements):
                if element.icon:
                    self.check_picture(element.icon, source, ("elements", i, "icon"))
                for loc, action in _actions(source, i, element):
                    if action.go is not None and action.go not in self.screens:
                        known = names_like(action.go, self.screens)
                        self.report(source, (*loc, "go"), f"no screen '{action.go}' ({known})")
                    if action.picture:
                        self.check_picture(action.picture, source, (*loc, "picture"))
            for name, value in screen.fields.items():
                self._check_bubbles(value, source, ("fields", name))

    def check_unreached_screens(self) -> None:
        """Fields of screens no practice reaches, against the screens they go to and from."""
        for screen_id in sorted(set(self.screens) - self._reached):
            group = _connected(self.screens, screen_id)
            self._check_fields(screen_id, group)
            self._reached |= set(group)

    # ---- practices ----------------------------------------------------------------------

    def check_practice(self, practice: Practice, source: Source, loc: Loc) -> None:
        """Fields, `wrong:`, typing, the expected inputs played through, and dead ends."""
        screen_id = practice.screen
        reach = reachable(self.screens, screen_id)
        self._reached |= set(reach)
        self._check_fields(screen_id, reach)
        if not self._check_start(practice, source, loc):
            return
        self._check_wrong(practice, source, loc, reach)
        self._check_typing(practice, source, loc)
        end = self._play(practice, source, loc)
        if end is not None and self._walks(source):
            self._check_dead_ends(practice, source, loc, end)

    def _walks(self, source: Source) -> bool:
        if isinstance(self.walk, bool):
            return self.walk
        return source.path.resolve() in self.walk

    def _check_start(self, practice: Practice, source: Source, loc: Loc) -> bool:
        declared = Mock(self.screens).start(practice.screen).fields
        ok = True
        for name, value in practice.start.fields.items():
            where = (*loc, "start", "fields", name)
            self._check_bubbles(value, source, where)
            if name not in declared:
                self.report(
                    source,
                    where,
                    f"no field '{name}' in the `fields:` of '{practice.screen}' or a screen "
                    f"it leads to (declared: {', '.join(sorted(declared)) or 'none'})",
                )
                ok = False
            elif kind_of(value) != kind_of(declared[name]):
                self.report(
                    source,
                    where,
                    f"field '{name}' holds {kind_of(declared[name])}, not {kind_of(value)}",
                )
                ok = False
        return ok

    def _check_wrong(self, practice: Practice, source: Source, loc: Loc, reach: list[str]) -> None:
        ids = {e.id for s in reach for e in self.screens[s].elements} | {BACK_KEY}
        for element_id in practice.wrong:
            if element_id not in ids:
                self.report(
                    source,
                    (*loc, "wrong", element_id),
                    f"no element '{element_id}' on the screens this practice reaches "
                    f"({', '.join(reach)}; the phone's back key is '{BACK_KEY}')",
                )

    def _check_typing(self, practice: Practice, source: Source, loc: Loc) -> None:
        for i, expected in enumerate(practice.do or []):
            if expected.type is not None:
                problem = untypeable(expected.type)
                if problem:
                    self.report(source, (*loc, "do", i, "type"), problem)

    # ---- fields -------------------------------------------------------------------------

    def _check_fields(self, start: str, reach: list[str]) -> None:
        declared: dict[str, tuple[str, str]] = {}  # name -> (kind, screen)
        for screen_id in reach:
            screen, source = self.screens[screen_id], self.sources[screen_id]
            for name, value in screen.fields.items():
                kind = kind_of(value)
                first = declared.setdefault(name, (kind, screen_id))
                if first[0] != kind:
                    self._once(
                        source,
                        ("fields", name),
                        f"field '{name}' holds {kind} here but {first[0]} on screen "
                        f"'{first[1]}' (one field, one kind of value)",
                    )
        for screen_id in reach:
            source = self.sources[screen_id]
            for use in _uses(source, self.screens[screen_id]):
                self._check_use(source, use, declared, start)

    def _check_use(
        self, source: Source, use: _Use, declared: Mapping[str, tuple[str, str]], start: str
    ) -> None:
        if use.name not in declared:
            names = ", ".join(sorted(declared)) or "none"
            self._once(
                source,
                use.loc,
                f"no field '{use.name}' in the `fields:` of '{start}' or a screen it leads to "
                f"(declared: {names})",
            )
        elif use.kind is not None and declared[use.name][0] != use.kind:
            kind, where = declared[use.name]
            holds = f"field '{use.name}' holds {kind} (declared on screen '{where}')"
            if use.what in ("set", "when"):
                message = f"{holds}, but this `{use.what}:` gives it {use.kind} {use.given!r}"
            else:
                message = f"{use.what} needs {use.kind}, but {holds}"
            self._once(source, use.loc, message)

    def _check_bubbles(self, value: FieldValue, source: Source, loc: Loc) -> None:
        if isinstance(value, list):
            for j, bubble in enumerate(value):
                if isinstance(bubble, Bubble) and bubble.picture:
                    self.check_picture(bubble.picture, source, (*loc, j, "picture"))

    def _once(self, source: Source, loc: Loc, message: str) -> None:
        key = (str(source.path), loc)
        if key not in self._reported:
            self._reported.add(key)
            self.report(source, loc, message)

    # ---- the expected inputs, played ----------------------------------------------------

    def _play(self, practice: Practice, source: Source, loc: Loc) -> MockState | None:
        """Play the expected inputs; report the first that cannot be done. The end state."""
        try:
            run = PracticeRun(practice, self.screens)
        except MockError as exc:
            self.report(source, (*loc, "screen"), f"the practice cannot start: {exc}")
            return None
        inputs = practice.inputs
        done: list[str] = []
        for i, expected in enumerate(inputs):
            where = _input_loc(practice, loc, i)
            problem = self._cannot(run, expected, done)
            if problem is None:
                try:
                    problem = _carry_out(run, expected, i, len(inputs))
                except MockError as exc:
                    problem = f"on screen '{run.state.screen}' this input fails: {exc}"
            if problem is not None:
                self.report(source, where, problem)
                return None
            done.append(describe(expected))
        return run.state

    def _cannot(self, run: PracticeRun, expected: Input, done: list[str]) -> str | None:
        """Why `expected` cannot be done in the run's state; None when it can."""
        mock, state = run.mock, run.state
        screen = mock.screen(state)
        here = f"'{screen.id}'"
        problem = self._cannot_here(run, expected, here)
        if problem is not None and done:
            problem += f"; reached by: {', '.join(done)}"
        return problem

    def _cannot_here(self, run: PracticeRun, expected: Input, here: str) -> str | None:
        mock, state = run.mock, run.state
        screen = mock.screen(state)
        if expected.back:
            if screen.frame is not Device.PHONE:
                return (
                    f"screen {here} is on a {screen.frame.value} with no back key: "
                    f"tap its own button that goes back"
                )
            if not mock.can_go_back(state):
                return (
                    f"the back key does nothing on screen {here}: there is no screen to go back to"
                )
            return None
        if expected.type is not None and expected.into is not None:
            fields = [
                e for e in mock.visible(state) if e.kind is ElementKind.TEXT_FIELD and e.shows
            ]
            if not any(e.shows == expected.into for e in fields):
                shown = ", ".join(f"{e.id} (shows {e.shows})" for e in fields) or "none"
                return (
                    f"no text field showing '{expected.into}' on screen {here} "
                    f"to type into (text fields: {shown})"
                )
            return None
        element_id = expected.tap or expected.hold
        if element_id is None:
            return None  # a swipe: every screen scrolls
        return _cannot_press(mock, state, element_id, here, hold=expected.hold is not None)

    # ---- dead ends ----------------------------------------------------------------------

    def _check_dead_ends(
        self, practice: Practice, source: Source, loc: Loc, end: MockState
    ) -> None:
        mock = Mock(self.screens)
        start = mock.start(practice.screen, practice.start.fields)
        stuck = find_dead_end(mock, start, end.screen, practice.inputs)
        if stuck is not None:
            self.report(source, (*loc, "screen"), stuck)


# ---- helpers --------------------------------------------------------------------------


def reachable(screens: Mapping[str, Screen], start: str) -> list[str]:
    """`start` and every screen its taps and long presses `go` to, near ones first."""
    return Mock(screens).reachable(start)


def _connected(screens: Mapping[str, Screen], start: str) -> list[str]:
    """Every screen joined to `start` by `go:` either way."""
    seen = [start]
    for screen_id in seen:
        near = [*_goes(screens[screen_id])]
        near += [s for s, other in screens.items() if screen_id in _goes(other)]
        seen += [s for s in near if s in screens and s not in seen]
    return seen


_FILLED = re.compile(r"\{(\w+)\}")  # a field's value shown in a label: {count}


def _goes(screen: Screen) -> Iterator[str]:
    for element in screen.elements:
        for action in (*element.on_tap, *element.on_hold):
            if action.go is not None:
                yield action.go


def _actions(source: Source, index: int, element: Element) -> Iterator[tuple[Loc, Action]]:
    """Each action of an element with its place in the file (`on_tap: {go: x}` is one)."""
    raw = source.data["elements"][index] if isinstance(source.data, dict) else {}
    for which, actions in (("on_tap", element.on_tap), ("on_hold", element.on_hold)):
        base: Loc = ("elements", index, which)
        listed = isinstance(raw, dict) and isinstance(raw.get(which), list)
        for j, action in enumerate(actions):
            yield ((*base, j) if listed else base), action


def _uses(source: Source, screen: Screen) -> Iterator[_Use]:
    """Every field the screen's elements use, with the kind each use needs."""
    for i, element in enumerate(screen.elements):
        if element.shows is not None:
            chat = element.kind is ElementKind.CHAT
            kind = kind_of([]) if chat else None
            yield _Use(("elements", i, "shows"), element.shows, kind, "a chat element")
        for name, value in (element.when or {}).items():
            yield _Use(("elements", i, "when", name), name, kind_of(value), "when", value)
        for loc, action in _actions(source, i, element):
            yield from _action_uses(loc, action)
        for part in ("label", "detail"):  # 「합계 {total}원」: filled in from a field
            text = getattr(element, part)
            names = (
                {n for lang in ("ko", "en") for n in _FILLED.findall(text.get(lang))}
                if text
                else set()
            )
            for name in sorted(names):
                yield _Use(("elements", i, part), name, None, f"'{{{name}}}' in the {part}")


def _action_uses(loc: Loc, action: Action) -> Iterator[_Use]:
    text, chat = kind_of(""), kind_of([])
    if action.type is not None and action.into:
        yield _Use((*loc, "into"), action.into, text, "'type'")
    for verb in ("erase", "clear", "send"):
        name = getattr(action, verb)
        if name is not None:
            yield _Use((*loc, verb), name, text, f"'{verb}'")
    if action.toggle is not None:
        yield _Use((*loc, "toggle"), action.toggle, kind_of(True), "'toggle'")
    for name, value in (action.set or {}).items():
        yield _Use((*loc, "set", name), name, kind_of(value), "set", value)
    for name in action.add or {}:
        yield _Use((*loc, "add", name), name, kind_of(0), "'add'")
    if action.into and action.type is None:
        yield _Use((*loc, "into"), action.into, chat, "sending into a chat")


def _input_loc(practice: Practice, loc: Loc, i: int) -> Loc:
    if practice.target is not None:
        return (*loc, "target")
    if practice.targets is not None:
        return (*loc, "targets", i)
    expected = practice.inputs[i]
    return (*loc, "do", i, expected.kind)


def describe(expected: Input) -> str:
    """An input as a writer wrote it: `tap call`, `type '119' into number`, `back`."""
    if expected.type is not None:
        return f"type '{expected.type}' into {expected.into}"
    if expected.swipe is not None:
        return f"swipe {expected.swipe.value}"
    if expected.back:
        return "back"
    return f"{expected.kind} {expected.element}"


def _cannot_press(
    mock: Mock, state: MockState, element_id: str, here: str, hold: bool
) -> str | None:
    screen = mock.screen(state)
    element = screen.element(element_id)
    shown = [e for e in mock.visible(state) if e.tappable]
    has = ", ".join(e.id for e in shown) or "nothing"
    if element is None:
        return f"no element '{element_id}' on screen {here} (has: {has})"
    if mock.element(state, element_id) is None:
        condition = ", ".join(
            f"{k}: {v!r} (now {state.fields.get(k)!r})" for k, v in (element.when or {}).items()
        )
        return (
            f"'{element_id}' is not shown on screen {here}: it is shown only while "
            f"{condition} (shown: {has})"
        )
    if element.kind in (ElementKind.LABEL, ElementKind.CHAT):
        what = "a label" if element.kind is ElementKind.LABEL else "a chat"
        return f"'{element_id}' is {what} on '{screen.id}'; it cannot be tapped"
    if element.disabled:
        return f"'{element_id}' is disabled on '{screen.id}': a tap on it does nothing (has: {has})"
    if hold and not element.on_hold:
        return f"'{element_id}' on '{screen.id}' does nothing when held (it has no on_hold)"
    return None


def _carry_out(run: PracticeRun, expected: Input, index: int, total: int) -> str | None:
    """Do `expected` as a learner would; a problem when the practice did not take it."""
    if expected.type is not None and expected.into is not None:
        run.typed(expected.into, expected.type)
        waiting = index < total - 1 and run.expected is expected  # counts with the next input
        if run.position > index or waiting:
            return None
    elif expected.tap is not None:
        run.tap(expected.tap)
    elif expected.hold is not None:
        run.hold(expected.hold)
    elif expected.swipe is not None:
        run.swipe(expected.swipe.value)
    else:
        run.back()
    if run.position > index:
        return None
    return f"the practice did not take '{describe(expected)}' on screen '{run.state.screen}'"


def untypeable(text: str) -> str | None:
    """Why a learner could not type `text` on her keyboard; None when she can."""
    essential = text.strip().rstrip(FINAL_PUNCTUATION)  # the answer check lets these go
    if set(essential) <= PHONE_NUMBER:
        return None  # the number pad types digits; a phone number's hyphens come by themselves
    for layout, name in KEYBOARDS:
        if not can_type(essential, layout):
            missing = [c for c in dict.fromkeys(essential) if not can_type(c, layout)]
            what = ", ".join(f"'{c}'" for c in missing) if missing else "this order of letters"
            return (
                f"'{text}' cannot be typed on the {name} keyboard ({what} not on it); "
                f"a learner may have 천지인 or 두벌식"
            )
    return None
