"""Walk a lesson in the terminal: the session machine with text in and text out.

A practice's screen is listed by what a learner sees (each element's label, numbered); a
reply names an element by its number, its label or its id. An empty Enter on a practice
asks again (only `n` skips it), and the walk ends cleanly when input runs out.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from lessons.autoplay import play_expected
from lessons.library import LibraryError, load_library
from lessons.mock_engine import label_text
from lessons.model import Element, Language, Lesson, Line, Screen
from lessons.session import LessonSession, StepView

PRACTICE_PROMPT = (
    "   tap which? (a number or label; or: hold N, type N TEXT, swipe up, back; n=skip, h=help) > "
)
ASK_AGAIN = "   (tap something: a number or a label from the list — or n to skip this practice)"
INPUT_ENDED = "\n(input ended: the walk stops here / 입력이 끝나서 여기서 멈춰요)"


def run_walk(root: Path, lesson_id: str | None, language: Language, auto: bool) -> int:
    try:
        library = load_library(root)
    except LibraryError as exc:
        print(exc)
        return 1
    if lesson_id and lesson_id not in library.lessons:
        print(f"no lesson '{lesson_id}' (known: {', '.join(sorted(library.lessons))})")
        return 1
    try:
        for lesson in [library.lessons[lesson_id]] if lesson_id else library.lessons.values():
            _walk(lesson, library.screens, language, auto)
    except (EOFError, KeyboardInterrupt):
        print(INPUT_ENDED)
        return 1
    return 0


def _walk(lesson: Lesson, screens: Mapping[str, Screen], language: Language, auto: bool) -> None:
    print(f"\n=== {lesson.title.get(language)} ({lesson.id} v{lesson.version}) ===")
    session = LessonSession(lesson, clock=time.time, screens=screens)
    _say(session.start(), language)
    while not session.finished:
        view = session.view
        print(f"-- {view.position_label} [{view.step.kind}] {view.step.id}")
        if auto:
            _say(_auto_input(session, view), language)
        else:
            _say(_ask(session, view, language), language)
    events = session.take_events()
    print(f"== mastered: {session.mastered}; {len(events)} progress events")


def _auto_input(session: LessonSession, view: StepView) -> list[Line]:
    step = view.step
    if step.practice and not view.practice_done:
        return play_expected(session)
    if step.quiz and not view.quiz_correct:
        return session.answer(min(step.quiz.answers))
    return session.next()


def element_lines(elements: list[Element], labels: list[str]) -> list[str]:
    """How a screen is listed: `N) label`, the id in brackets only where the label does not
    tell the element apart (no label, or two elements with the same one)."""
    count = Counter(labels)
    lines = []
    for n, (element, label) in enumerate(zip(elements, labels, strict=True), 1):
        needs_id = not label.strip() or count[label] > 1
        shown = f"{label} [{element.id}]" if needs_id else label
        mark = "" if element.tappable else " (not a button)"
        lines.append(f"     {n}) {shown}{mark}")
    return lines


def resolve(name: str, elements: list[Element], labels: list[str]) -> str:
    """The element id a reply names: by its number in the list, its label or its id."""
    name = name.strip()
    if name.isdigit() and 1 <= int(name) <= len(elements):
        return elements[int(name) - 1].id
    by_label = [e.id for e, label in zip(elements, labels, strict=True) if label == name]
    if len(by_label) == 1 and name not in {e.id for e in elements}:
        return by_label[0]
    return name


def _ask(session: LessonSession, view: StepView, language: Language) -> list[Line]:
    step = view.step
    run = session.practice_run()
    if step.practice and not view.practice_done and run is not None:
        elements = run.mock.visible(run.state)
        labels = [label_text(e, run.state, language) for e in elements]
        print(f"   [{run.state.screen}]")
        print("\n".join(element_lines(elements, labels)))
        while not (reply := input(PRACTICE_PROMPT).strip()):
            print(ASK_AGAIN)
        if reply == "h":
            return session.help()
        if reply == "n":
            return session.next()
        return _practice_reply(session, reply, elements, labels)
    elif step.quiz and not view.quiz_correct:
        reply = input(f"   answer 1–{len(step.quiz.choices)} (n=next, h=help) > ").strip()
    else:
        reply = input("   [enter]=next, b=back, r=repeat, h=help > ").strip()
    actions = {"": session.next, "n": session.next, "b": session.back, "r": session.repeat}
    if reply == "h":
        return session.help()
    if reply in actions:
        return actions[reply]()
    if step.quiz and reply.isdigit():
        return session.answer(int(reply))
    return []


def _practice_reply(
    session: LessonSession, reply: str, elements: list[Element], labels: list[str]
) -> list[Line]:
    verb, _, rest = reply.partition(" ")
    if verb == "hold":
        return session.hold(resolve(rest, elements, labels))
    if verb == "type":
        name, _, text = rest.partition(" ")
        element_id = resolve(name, elements, labels)
        element = next((e for e in elements if e.id == element_id), None)
        field = element.shows if element is not None and element.shows else name
        return session.typed(field, text)
    if verb == "swipe":
        return session.swipe(rest)
    if verb == "back" and not rest:
        return session.back_key()
    return session.tap(resolve(reply, elements, labels))


def _say(lines: list[Line], language: Language) -> None:
    for line in lines:
        print(f"   🔊 {line.spoken(language)}")
