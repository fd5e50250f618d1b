"""Voice commands as words: the grammar vosk listens for, and heard words → a command.

Pure: no audio, no vosk. The recogniser hands `interpret` the words it heard, each with its
confidence; anything unsure, mixed or long is rejected ("please say it again") rather than
forced onto a command. A wrong command is worse for a senior than being asked again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Command(StrEnum):
    NEXT = "next"
    AGAIN = "again"
    BACK = "back"
    HOME = "home"
    HELP = "help"
    YES = "yes"
    NO = "no"
    ANSWER = "answer"  # a quiz choice; `VoiceCommand.choice` says which


@dataclass(frozen=True)
class VoiceCommand:
    command: Command
    choice: int | None = None  # 1..4 for ANSWER

    def __str__(self) -> str:
        return f"{self.command}:{self.choice}" if self.choice else str(self.command)


# The language of the words below (and of the recognition model): a kiosk set to another
# language offers no speak button, rather than one that never understands its learner.
COMMANDS_LANGUAGE = "ko"

# Words a learner may say for each command (a phrase of words is heard as those words in
# that order). Every word is in the Korean model's vocabulary (checked by a test). Synonyms
# were added where measured accuracy of the main word was low on synthetic speech
# (docs/voice.md has the numbers): 넘겨/넘어가 for 다음, 홈 for 처음. The lesson screen's
# buttons are commands by their labels too (다시 듣기, 처음으로, 도와주세요: `LABEL_WORDS`).
PHRASES: dict[str, VoiceCommand] = {
    "다음": VoiceCommand(Command.NEXT),
    "넘겨": VoiceCommand(Command.NEXT),
    "넘어가": VoiceCommand(Command.NEXT),
    "다시": VoiceCommand(Command.AGAIN),
    "이전": VoiceCommand(Command.BACK),
    "처음": VoiceCommand(Command.HOME),
    "홈": VoiceCommand(Command.HOME),
    "도와줘": VoiceCommand(Command.HELP),
    "네": VoiceCommand(Command.YES),
    "예": VoiceCommand(Command.YES),
    "아니요": VoiceCommand(Command.NO),
    "다시 듣기": VoiceCommand(Command.AGAIN),
    "다시듣기": VoiceCommand(Command.AGAIN),  # the model has it as one word, too
    "처음으로": VoiceCommand(Command.HOME),
    "도와줘 세요": VoiceCommand(Command.HELP),
}
# A button label as the model's words. 도와주세요 is not in its vocabulary; it is heard as
# 도와줘 세요 (세요 is; 도와주 is too, but measured, 도와주 세요 took 도와줘 from 5 of 6
# voices to 2 and heard 도와주세요 no better).
LABEL_WORDS: dict[str, str] = {"도와주세요": "도와줘 세요"}
_PHRASE_WORDS = sorted(
    ((tuple(phrase.split()), command) for phrase, command in PHRASES.items()),
    key=lambda item: -len(item[0]),
)
# Quiz answers: a number then 번 ("삼 번") or an ordinal then 번째 ("세 번째"). 일 and 이
# are left out: measured, "일 번" was heard as "이 번" (a wrong answer), and 이 as 이전.
NUMBERS: dict[str, int] = {"삼": 3, "사": 4}
ORDINALS: dict[str, int] = {"첫": 1, "두": 2, "세": 3, "네": 4}
COUNTERS = ("번", "번째")

# A learner's hesitation before (or instead of) a command. Without somewhere to go in the
# grammar, vosk forced them onto the nearest command: measured, 「음」 was heard as 네 or
# 다음, 「어」 and 「아」 as 아니요 or 도와줘, and executed.
HESITATIONS: tuple[str, ...] = ("음", "어", "아")

# Words the grammar also allows so that other speech has somewhere to go instead of being
# forced onto the nearest command. Hearing one rejects the utterance. Only longer words:
# measured, short ones (어, 음, 날씨, 좋아요) swallowed real commands (다시 → 날씨).
# 일 and 이 stay as fillers: without them "예", "이 번" and "이 버튼이 …" were heard as
# 이전 or 다음 and executed.
FILLERS: tuple[str, ...] = (
    "일",
    "이",
    "고맙습니다",
    "감사합니다",
    "안녕하세요",
    "그래요",
    "선생님",
    "우리",
    "손자",
    "화장실",
    "주세요",
    "천천히",
    # measured: without them 「잘 안 보여요」 and 「처음 봐요」 were heard as a command
    "보여요",
    "봐요",
    "있어요",
    *HESITATIONS,
)

# A command word heard with less confidence than this is asked again. Set from the
# measured confidences in docs/voice.md: right words mostly score 1.0, forced ones lower.
MIN_CONFIDENCE = 0.9
# Words heard besides the command. Measured: allowing one extra word let "이 전" and
# "네 홈" through as wrong commands; asking again is cheaper for a senior than a wrong step.
MAX_EXTRA_WORDS = 0


@dataclass(frozen=True)
class HeardWord:
    word: str
    confidence: float


@dataclass(frozen=True)
class Interpretation:
    """A command, or why there is none (a key: nothing / unsure / not_a_command / mixed)."""

    command: VoiceCommand | None
    reason: str = ""

    @property
    def accepted(self) -> bool:
        return self.command is not None


def grammar() -> list[str]:
    """Every phrase the recogniser may hear: commands, quiz answers, fillers. vosk makes a
    bigram model of them, so a phrase's words are likely in their order (다시 → 듣기) and
    hardly apart. Measured (docs/voice.md): as phrases rather than loose words, the button
    labels went from 1 to 7 of 30 heard, the other commands from 29 to 34 of 114."""
    answers = [*(f"{w} 번" for w in NUMBERS), *(f"{w} 번째" for w in ORDINALS)]
    return list(dict.fromkeys([*PHRASES, *answers, *FILLERS]))


def words() -> list[str]:
    """Every word of the grammar once (each must be in the model's vocabulary)."""
    return list(dict.fromkeys(word for phrase in grammar() for word in phrase.split()))


def phrase_for(label: str) -> str:
    """The phrase of `PHRASES` a button's label is heard as: '도와주세요' → '도와줘 세요'."""
    return LABEL_WORDS.get(label, label)


def phrase_of(command: VoiceCommand) -> str:
    """A grammar phrase `interpret` reads as `command` (an answer as its ordinal: '두 번째')."""
    if command.command is Command.ANSWER:
        return next(f"{word} 번째" for word, n in ORDINALS.items() if n == command.choice)
    return next(phrase for phrase, said in PHRASES.items() if said == command)


def said_as(phrase: str) -> str:
    """What a learner says for a phrase of `PHRASES`: '도와줘 세요' → '도와주세요'."""
    return next((label for label, heard in LABEL_WORDS.items() if heard == phrase), phrase)


def interpret(heard: Sequence[HeardWord], min_confidence: float = MIN_CONFIDENCE) -> Interpretation:
    """The command in `heard`, or a rejection; never a guess."""
    if not heard:
        return Interpretation(None, "nothing")
    if any(word.word in FILLERS for word in heard):
        return Interpretation(None, "not_a_command")
    found = _commands_in(heard)
    if not found:
        return Interpretation(None, "not_a_command")
    commands = {command for command, _ in found}
    if len(commands) > 1:
        return Interpretation(None, "mixed")
    command, used = found[0]
    if len(heard) - len(used) > MAX_EXTRA_WORDS:
        return Interpretation(None, "not_a_command")
    if min(word.confidence for word in used) < min_confidence:
        return Interpretation(None, "unsure")
    return Interpretation(command)


def _commands_in(heard: Sequence[HeardWord]) -> list[tuple[VoiceCommand, list[HeardWord]]]:
    """Each command found, with the words that make it (a number and its counter are one)."""
    found: list[tuple[VoiceCommand, list[HeardWord]]] = []
    index = 0
    while index < len(heard):
        word = heard[index].word
        after = heard[index + 1].word if index + 1 < len(heard) else None
        choice = _choice(word, after)
        if choice is not None:
            found.append((VoiceCommand(Command.ANSWER, choice), list(heard[index : index + 2])))
            index += 2
            continue
        phrase = _phrase_at(heard, index)
        if phrase is None:
            index += 1
            continue
        command, length = phrase
        found.append((command, list(heard[index : index + length])))
        index += length
    return found


def _phrase_at(heard: Sequence[HeardWord], index: int) -> tuple[VoiceCommand, int] | None:
    """The longest phrase whose words are heard from `index` on, and its length in words."""
    for words, command in _PHRASE_WORDS:
        if tuple(w.word for w in heard[index : index + len(words)]) == words:
            return command, len(words)
    return None


def _choice(word: str, after: str | None) -> int | None:
    if after == "번" and word in NUMBERS:
        return NUMBERS[word]
    if after == "번째" and word in ORDINALS:
        return ORDINALS[word]
    return None
