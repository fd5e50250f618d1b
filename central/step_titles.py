"""What the dashboard calls a lesson's step: its number and the first sentence the learner
hears or reads there ("4단계: 딸에게 전화를 걸어 봐요."), never its id (`dial-number`).
Lesson steps have no title of their own; their first sentence is what an instructor
remembers of them. Pure: the lessons are passed in."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from lessons import Language
from lessons.model import Lesson, Line, Step

MAX_CHARS = 48  # one line of the stuck table's step column
MIN_CHARS = 10  # "안녕하세요." says nothing of the step: the next sentence is added
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def step_line(step: Step) -> Line | None:
    """What a step says or asks: a practice's instruction, a quiz's question, or its line."""
    if step.practice is not None:
        return step.practice.instruction
    if step.quiz is not None:
        return step.quiz.question
    return step.say


def step_text(step: Step, lang: Language) -> str:
    """The first sentence (two if it is a greeting) of what the step says or asks, cues
    left out."""
    line = step_line(step)
    text = line.shown(lang) if line is not None else ""
    sentence = ""
    for part in _SENTENCE_END.split(text):
        sentence = f"{sentence} {part}".strip()
        if len(sentence) >= MIN_CHARS:
            break
    return sentence if len(sentence) <= MAX_CHARS else sentence[: MAX_CHARS - 1].rstrip() + "…"


def step_titles(
    lessons: Mapping[str, Lesson], wanted: Iterable[tuple[str, str]], lang: Language
) -> dict[tuple[str, str], tuple[int, str]]:
    """(lesson id, step id) → (step number from 1, its text), for the steps of `wanted` the
    library has (a step a kiosk reported that the library lacks is left out)."""
    found = {}
    for lesson_id, step_id in set(wanted):
        lesson = lessons.get(lesson_id)
        if lesson is None:
            continue
        for number, step in enumerate(lesson.steps, start=1):
            if step.id == step_id:
                found[(lesson_id, step_id)] = (number, step_text(step, lang))
                break
    return found
