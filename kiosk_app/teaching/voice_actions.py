"""A voice command → what the lesson player does, given what is on screen. Pure.

The same LessonRun inputs as the buttons. A command that does not fit the screen (이전 on
the first step, 세 번째 with two choices, 네 with no yes/no question) is no action: the
kiosk asks again instead of guessing. A spoken command that leaves the lesson (처음으로)
asks first, and only 네 leaves (`home_answer`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from kiosk_app.voice.commands import PHRASES, Command, Interpretation, VoiceCommand, said_as
from lessons.phrases import ORDINALS_KO
from lessons.session import StepView


class Action(StrEnum):
    NEXT = "next"
    REPEAT = "repeat"
    BACK = "back"
    HOME = "home"
    HELP = "help"
    ANSWER = "answer"


@dataclass(frozen=True)
class LessonAction:
    action: Action
    choice: int | None = None  # 1-based, for ANSWER


SIMPLE: dict[Command, Action] = {
    Command.NEXT: Action.NEXT,
    Command.AGAIN: Action.REPEAT,
    Command.BACK: Action.BACK,
    Command.HOME: Action.HOME,
    Command.HELP: Action.HELP,
}
# Quiz choices that are a yes or a no, as a lesson writes them (punctuation aside).
YES_CHOICES = ("네", "예", "맞아요")
NO_CHOICES = ("아니요", "아니오", "아니에요", "아니")


def lesson_action(command: VoiceCommand, view: StepView) -> LessonAction | None:
    """What `command` does on the step in `view`, or None when it does not apply there. On
    a quiz, a command's own word that is one of the choices is that choice (restaurant-kiosk
    asks which button goes back: 「이전」 said answers it, not leaves the quiz)."""
    quiz = view.step.quiz
    if quiz is not None and not view.quiz_correct and command.command in SIMPLE:
        said = {said_as(p) for p, c in PHRASES.items() if c == command} | {
            p for p, c in PHRASES.items() if c == command
        }
        matching = [n for n, choice in enumerate(quiz.choices, 1) if _bare(choice.ko) in said]
        if len(matching) == 1:
            return LessonAction(Action.ANSWER, matching[0])
    if command.command in SIMPLE:
        action = SIMPLE[command.command]
        if action is Action.BACK and view.index == 0:
            return None
        return LessonAction(action)
    if quiz is None:
        return None
    choices = [choice.ko for choice in quiz.choices]
    if command.command is Command.ANSWER:
        choice = command.choice
        ok = choice is not None and 1 <= choice <= len(choices)
        return LessonAction(Action.ANSWER, choice) if ok else None
    words = YES_CHOICES if command.command is Command.YES else NO_CHOICES
    matching = [n for n, text in enumerate(choices, 1) if _bare(text) in words]
    return LessonAction(Action.ANSWER, matching[0]) if len(matching) == 1 else None


def _bare(text: str) -> str:
    return text.strip().rstrip(".!?,。 ").strip()


# Words the learner is told to say: the lesson buttons' own labels, which the grammar takes
# (kiosk_app/voice/commands.py: 도와주세요 is heard as its words 도와줘 세요)
MOVING_WORDS = ("다음", "다시 듣기", "이전", "도와주세요", "처음으로")
# The answers to 「처음으로 갈까요?」
HOME_WORDS = ("네", "아니요")


class HomeAnswer(StrEnum):
    LEAVE = "leave"
    STAY = "stay"
    ASK_AGAIN = "ask_again"


def home_answer(heard: Interpretation, asked: int) -> HomeAnswer:
    """What the answer to 「처음으로 갈까요?」 decides: 네 leaves; 아니요, silence and a second
    unclear answer stay (a senior is never taken out of a lesson on a guess); a first
    unclear answer asks again. `asked`: how many times the question has been asked."""
    command = heard.command.command if heard.command else None
    if command is Command.YES:
        return HomeAnswer.LEAVE
    if command is Command.NO or heard.reason in ("nothing", "silent_input") or asked >= 2:
        return HomeAnswer.STAY
    return HomeAnswer.ASK_AGAIN


def words_for(view: StepView) -> list[str]:
    """What the prompt tells the learner to say (and the screen shows) on this step: a
    quiz's choices by their ordinals (and 네 / 아니요 where the choices are those), else the
    buttons' labels (no 이전 on the first step)."""
    quiz = view.step.quiz
    if quiz is not None and not view.quiz_correct:
        choices = [_bare(choice.ko) for choice in quiz.choices]
        yes_no = [
            w for w in ("네", "아니요") if any(c in YES_CHOICES + NO_CHOICES for c in choices)
        ]
        return [*ORDINALS_KO[: len(choices)], *yes_no]  # as the choices are read aloud
    return [w for w in MOVING_WORDS if not (w == "이전" and view.index == 0)]


def phrases_for(view: StepView) -> dict[str, VoiceCommand]:
    """What the learner may say on this step besides the commands: a quiz's choices as
    written (「119에 전화해요」 → that choice), heard by Whisper (vosk's grammar is fixed).
    A choice that is a command's own word (네, 아니요) stays that command (the recogniser
    skips it)."""
    quiz = view.step.quiz
    if quiz is None or view.quiz_correct:
        return {}
    choices = [(_spoken(choice.ko), n) for n, choice in enumerate(quiz.choices, 1)]
    return {text: VoiceCommand(Command.ANSWER, n) for text, n in choices if text}


# Marks a choice is written with but nobody says: quotes, brackets, arrows
_UNSAID = re.compile(r"[\"'‘’“”「」『』()\[\]<>→←·…]")


def _spoken(text: str) -> str:
    """A choice as it is said: 「빨간색 '종료'」 → 빨간색 종료."""
    return _bare(" ".join(_UNSAID.sub(" ", text).split()))
