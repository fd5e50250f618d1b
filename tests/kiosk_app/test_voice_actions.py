"""Voice commands → lesson inputs, on real library steps: the same inputs as the buttons."""

from __future__ import annotations

from dataclasses import replace

from kiosk_app.teaching.voice_actions import (
    Action,
    HomeAnswer,
    LessonAction,
    home_answer,
    lesson_action,
    phrases_for,
    words_for,
)
from kiosk_app.voice.commands import (
    Command,
    HeardWord,
    Interpretation,
    VoiceCommand,
    interpret,
    phrase_for,
)
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
    """Every word the prompt names is one the grammar takes and that acts on that step:
    off a quiz, the buttons' own labels."""
    first, quiz = view_at("first"), view_at("quiz")
    assert words_for(first) == ["다음", "다시 듣기", "도와주세요", "처음으로"]  # no 이전
    assert words_for(view_at("practice")) == ["다음", "다시 듣기", "이전", "도와주세요", "처음으로"]
    choices = len(quiz.step.quiz.choices)  # type: ignore[union-attr]
    assert words_for(quiz)[:choices] == list(ORDINALS_KO[:choices])
    for view in (first, quiz):
        for said in words_for(view):
            words = [HeardWord(word, 1.0) for word in phrase_for(said).split()]
            command = interpret(words).command
            assert command is not None and lesson_action(command, view) is not None, said


def test_only_네_leaves_the_lesson_when_asked() -> None:
    def answer(command: Command | None, reason: str = "", asked: int = 1) -> HomeAnswer:
        heard = Interpretation(say(command) if command else None, reason)
        return home_answer(heard, asked)

    assert answer(Command.YES) is HomeAnswer.LEAVE
    assert answer(Command.NO) is HomeAnswer.STAY
    assert answer(None, "nothing") is HomeAnswer.STAY  # silence: stay in the lesson
    assert answer(None, "silent_input") is HomeAnswer.STAY
    assert answer(None, "unsure") is HomeAnswer.ASK_AGAIN
    assert answer(Command.NEXT) is HomeAnswer.ASK_AGAIN  # not an answer to the question
    assert answer(Command.HOME, asked=2) is HomeAnswer.STAY  # asked twice: stay
    assert answer(Command.YES, asked=2) is HomeAnswer.LEAVE


def test_a_yes_no_quiz_is_told_네_and_아니요() -> None:
    view = view_at("quiz")
    quiz = view.step.quiz
    assert quiz is not None
    yes_no = Quiz.model_validate(
        quiz.model_dump() | {"choices": [{"ko": "네."}, {"ko": "아니요"}], "answer": 2}
    )
    asked = replace(view, step=view.step.model_copy(update={"quiz": yes_no}))
    assert words_for(asked) == ["첫 번째", "두 번째", "네", "아니요"]


def test_a_quizs_choices_as_written_are_its_answers_until_it_is_answered() -> None:
    view = view_at("quiz")
    quiz = view.step.quiz
    assert quiz is not None
    phrases = phrases_for(view)
    assert list(phrases.values()) == [
        say(Command.ANSWER, n) for n in range(1, len(quiz.choices) + 1)
    ]
    for text, command in phrases.items():
        assert text and not text.endswith((".", "?", "!")), text  # as said, not as punctuated
        assert lesson_action(command, view) == LessonAction(Action.ANSWER, command.choice)
    assert phrases_for(replace(view, quiz_correct=True)) == {}
    assert phrases_for(view_at("practice")) == {}


def test_a_choice_that_is_a_commands_own_word_answers_the_quiz() -> None:
    """restaurant-kiosk asks which button goes back: 「이전」 said is that choice, not a step
    back out of the quiz; off the quiz (answered), 이전 goes back again."""
    view = view_at("quiz")
    quiz = view.step.quiz
    assert quiz is not None
    buttons = Quiz.model_validate(
        quiz.model_dump()
        | {"choices": [{"ko": "이전"}, {"ko": "결제하기"}, {"ko": "장바구니 담기"}], "answer": 1}
    )
    asked = replace(view, step=view.step.model_copy(update={"quiz": buttons}))
    assert lesson_action(say(Command.BACK), asked) == LessonAction(Action.ANSWER, 1)
    assert lesson_action(say(Command.NEXT), asked) == LessonAction(Action.NEXT)
    answered = replace(asked, quiz_correct=True)
    assert lesson_action(say(Command.BACK), answered) == LessonAction(Action.BACK)


def test_a_choice_is_listened_for_as_it_is_said_not_as_it_is_punctuated() -> None:
    view = view_at("quiz")
    quiz = view.step.quiz
    assert quiz is not None
    marked = Quiz.model_validate(
        quiz.model_dump()
        | {"choices": [{"ko": "빨간색 '종료'"}, {"ko": "설정 → 배터리"}, {"ko": "(전원) 버튼."}]}
    )
    asked = replace(view, step=view.step.model_copy(update={"quiz": marked}))
    assert list(phrases_for(asked)) == ["빨간색 종료", "설정 배터리", "전원 버튼"]
