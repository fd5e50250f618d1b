"""Voice commands → lesson inputs, on real library steps: the same inputs as the buttons."""

from __future__ import annotations

from dataclasses import replace

from kiosk_app.teaching.voice_actions import Action, LessonAction, lesson_action, words_for
from kiosk_app.voice.commands import COUNTERS, ORDINALS, PHRASES, Command, VoiceCommand
from lessons.library import load_library
from lessons.model import Quiz, Text
from lessons.phrases import ORDINALS_KO
from lessons.session import LessonSession, StepView
from tests.kiosk_app.conftest import ManualClock

LESSON = load_library().lessons["phone-call"]


def view_at(kind: str) -> StepView:
    session = LessonSession(LESSON, clock=ManualClock(), learner_id="x")
    session.start()
    while not (kind == "first" or getattr(session.view.step, kind) is not None):
        session.next()
    return session.view


def say(command: Command, choice: int | None = None) -> VoiceCommand:
    return VoiceCommand(command, choice)


def test_moving_commands_map_to_the_buttons_inputs() -> None:
    view = view_at("quiz")
    assert lesson_action(say(Command.NEXT), view) == LessonAction(Action.NEXT)
    assert lesson_action(say(Command.AGAIN), view) == LessonAction(Action.REPEAT)
    assert lesson_action(say(Command.BACK), view) == LessonAction(Action.BACK)
    assert lesson_action(say(Command.HOME), view) == LessonAction(Action.HOME)
    assert lesson_action(say(Command.HELP), view) == LessonAction(Action.HELP)


def test_back_on_the_first_step_is_no_action() -> None:
    assert lesson_action(say(Command.BACK), view_at("first")) is None


def test_quiz_answers_by_number_only_where_there_is_such_a_choice() -> None:
    view = view_at("quiz")
    count = len(view.step.quiz.choices)  # type: ignore[union-attr]
    assert lesson_action(say(Command.ANSWER, 1), view) == LessonAction(Action.ANSWER, 1)
    assert lesson_action(say(Command.ANSWER, count + 1), view) is None
    assert lesson_action(say(Command.ANSWER, 1), view_at("practice")) is None


def test_yes_and_no_answer_a_yes_no_question_and_nothing_else() -> None:
    view = view_at("quiz")
    assert lesson_action(say(Command.YES), view) is None  # choices are not yes/no
    quiz = view.step.quiz
    assert quiz is not None
    yes_no = Quiz.model_validate(
        quiz.model_dump() | {"choices": [{"ko": "네."}, {"ko": "아니요"}], "answer": 2}
    )
    asked = replace(view, step=view.step.model_copy(update={"quiz": yes_no}))
    assert lesson_action(say(Command.YES), asked) == LessonAction(Action.ANSWER, 1)
    assert lesson_action(say(Command.NO), asked) == LessonAction(Action.ANSWER, 2)
    assert isinstance(yes_no.choices[0], Text)


def test_the_learner_is_told_the_words_that_work_on_each_step() -> None:
    """Every word the prompt names is one the grammar takes and that acts on that step."""
    first, quiz = view_at("first"), view_at("quiz")
    assert words_for(first) == ["다음", "다시", "도와줘"]  # no 이전 on the first step
    assert (
        words_for(quiz)[: len(quiz.step.quiz.choices)]
        == list(  # type: ignore[union-attr]
            ORDINALS_KO[: len(quiz.step.quiz.choices)]  # type: ignore[union-attr]
        )
    )
    heard = {phrase: command for phrase, command in PHRASES.items()}
    for view in (first, quiz):
        for words in words_for(view):
            *ordinal, last = words.split()
            if ordinal:  # 첫 번째: an ordinal and its counter
                assert ordinal[0] in ORDINALS and last in COUNTERS
                command = VoiceCommand(Command.ANSWER, ORDINALS[ordinal[0]])
            else:
                command = heard[last]
            assert lesson_action(command, view) is not None, words


def test_a_yes_no_quiz_is_told_네_and_아니요() -> None:
    view = view_at("quiz")
    quiz = view.step.quiz
    assert quiz is not None
    yes_no = Quiz.model_validate(
        quiz.model_dump() | {"choices": [{"ko": "네."}, {"ko": "아니요"}], "answer": 2}
    )
    asked = replace(view, step=view.step.model_copy(update={"quiz": yes_no}))
    assert words_for(asked) == ["첫 번째", "두 번째", "네", "아니요"]
