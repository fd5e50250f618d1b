"""Which lines a lesson will say, in the order a learner meets them, for pre-synthesis."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from kiosk_app.voice.narration import Narrator
from lessons import phrases
from lessons.model import Language, Lesson, Line, Step


def step_lines(step: Step) -> tuple[list[Line], list[Line]]:
    """(what the step says when it opens, what it may say later: hints, feedback)."""
    if step.practice is not None:
        practice = step.practice
        later = [*practice.hints, practice.success or phrases.PRACTICE_SUCCESS]
        return [practice.instruction], later
    if step.quiz is not None:
        quiz = step.quiz
        return [quiz.question, phrases.choices_line(quiz.choices)], [quiz.right, quiz.wrong]
    assert step.say is not None
    return [step.say], []


def lesson_lines(lesson: Lesson, language: Language) -> list[str]:
    """Every line `lesson` may say (with cues, so pauses survive), in the order met, once."""
    ordered: list[Line] = []
    for step in lesson.steps:
        opening, later = step_lines(step)
        ordered += opening + later
    ordered += [*phrases.HINT_DEFAULTS, phrases.NEXT_TAP, phrases.HELP_COMING]
    ordered += [phrases.LESSON_MASTERED, phrases.LESSON_FINISHED]
    return list(dict.fromkeys(line.speech(language) for line in ordered))


def prefetch_lesson(
    narrator: Narrator, lesson: Lesson, language: Language, rate_factor: float
) -> list[Future[Path]]:
    """Queue every line of `lesson` for background synthesis, first step first."""
    return [
        narrator.render([text], language, rate_factor, urgent=False)
        for text in lesson_lines(lesson, language)
    ]
