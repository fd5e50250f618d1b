"""Walk a lesson in the terminal: the session machine with text in and text out."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

from lessons.autoplay import play_expected
from lessons.library import LibraryError, load_library
from lessons.mock_engine import label_text
from lessons.model import Language, Lesson, Line, Screen
from lessons.session import LessonSession, StepView


def run_walk(root: Path, lesson_id: str | None, language: Language, auto: bool) -> int:
    try:
        library = load_library(root)
    except LibraryError as exc:
        print(exc)
        return 1
    if lesson_id and lesson_id not in library.lessons:
        print(f"no lesson '{lesson_id}' (known: {', '.join(sorted(library.lessons))})")
        return 1
    for lesson in [library.lessons[lesson_id]] if lesson_id else library.lessons.values():
        _walk(lesson, library.screens, language, auto)
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


def _ask(session: LessonSession, view: StepView, language: Language) -> list[Line]:
    step = view.step
    run = session.practice_run()
    if step.practice and not view.practice_done and run is not None:
        print(f"   [{run.state.screen}]")
        for element in run.mock.visible(run.state):
            mark = "" if element.tappable else " (not a button)"
            print(f"     {element.id}: {label_text(element, run.state, language)}{mark}")
        reply = input(
            "   tap which? (or: hold ID, type FIELD TEXT, swipe up, back; n=next, h=help) > "
        ).strip()
        return (
            _practice_reply(session, reply)
            if reply not in ("", "n", "h")
            else (session.help() if reply == "h" else session.next())
        )
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


def _practice_reply(session: LessonSession, reply: str) -> list[Line]:
    verb, _, rest = reply.partition(" ")
    if verb == "hold":
        return session.hold(rest)
    if verb == "type":
        field, _, text = rest.partition(" ")
        return session.typed(field, text)
    if verb == "swipe":
        return session.swipe(rest)
    if verb == "back":
        return session.back_key()
    return session.tap(reply)


def _say(lines: list[Line], language: Language) -> None:
    for line in lines:
        print(f"   🔊 {line.spoken(language)}")
