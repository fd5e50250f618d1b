"""Walk a lesson in the terminal: the session machine with text in and text out."""

from __future__ import annotations

import time
from pathlib import Path

from lessons.library import LibraryError, load_library
from lessons.model import Language, Lesson, Line
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
        screens = {s.id: [e.id for e in s.elements] for s in library.screens.values()}
        _walk(lesson, screens, language, auto)
    return 0


def _walk(lesson: Lesson, screens: dict[str, list[str]], language: Language, auto: bool) -> None:
    print(f"\n=== {lesson.title.get(language)} ({lesson.id} v{lesson.version}) ===")
    session = LessonSession(lesson, clock=time.time)
    _say(session.start(), language)
    while not session.finished:
        view = session.view
        print(f"-- {view.position_label} [{view.step.kind}] {view.step.id}")
        if auto:
            _say(_auto_input(session, view), language)
        else:
            _say(_ask(session, view, screens), language)
    events = session.take_events()
    print(f"== mastered: {session.mastered}; {len(events)} progress events")


def _auto_input(session: LessonSession, view: StepView) -> list[Line]:
    step = view.step
    if step.practice and not view.practice_done:
        lines = session.tap(view.expected_target or "") if view.hint_level else session.tap("?")
        return lines
    if step.quiz and not view.quiz_correct:
        return session.answer(min(step.quiz.answers))
    return session.next()


def _ask(session: LessonSession, view: StepView, screens: dict[str, list[str]]) -> list[Line]:
    step = view.step
    if step.practice and not view.practice_done:
        ids = ", ".join(screens[step.practice.screen])
        reply = input(f"   tap which? ({ids}; n=next, h=help) > ").strip()
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
    return session.tap(reply) if step.practice else []


def _say(lines: list[Line], language: Language) -> None:
    for line in lines:
        print(f"   🔊 {line.spoken(language)}")
