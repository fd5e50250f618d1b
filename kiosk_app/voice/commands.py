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

# Words a learner may say for each command. Every word is in the Korean model's vocabulary
# (checked by a test). Synonyms were added where measured accuracy of the main word was low
# on synthetic speech (docs/voice.md has the numbers): 넘겨/넘어가 for 다음, 홈 for 처음.
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
}
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
    """Every word the recogniser may hear: commands, numbers, counters, fillers."""
    words = [*PHRASES, *NUMBERS, *ORDINALS, *COUNTERS, *FILLERS]
    return list(dict.fromkeys(words))


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
        if word in PHRASES:
            found.append((PHRASES[word], [heard[index]]))
        index += 1
    return found


def _choice(word: str, after: str | None) -> int | None:
    if after == "번" and word in NUMBERS:
        return NUMBERS[word]
    if after == "번째" and word in ORDINALS:
        return ORDINALS[word]
    return None
