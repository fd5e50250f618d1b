"""Standard lines the session speaks when a lesson does not give its own."""

from __future__ import annotations

from lessons.model import Line, Text

HINT_DEFAULTS = (
    Line(ko="천천히 다시 찾아보세요.", en="Take your time and look again."),
    Line(ko="반짝이는 곳을 눌러 보세요.", en="Tap the place that is shining."),
    Line(
        ko="제가 한번 보여 드릴게요. 보신 대로 눌러 보세요.",
        en="Let me show you. Then tap it yourself.",
    ),
)
PRACTICE_SUCCESS = Line(ko="잘하셨어요!", en="Well done!")
CHECK_TYPING = Line(
    ko="글자를 한 번 더 확인해 보세요. 틀린 글자는 지우고 다시 쓰면 돼요.",
    en="Check the letters once more. Delete a wrong one and type it again.",
)
NEXT_TAP = Line(ko="좋아요. 다음 것도 눌러 보세요.", en="Good. Now tap the next one.")
HELP_COMING = Line(
    ko="도움을 요청했어요. 선생님이 곧 오실 거예요.",
    en="Help is on the way. A teacher will come soon.",
)
LESSON_MASTERED = Line(
    ko="수업을 모두 마치셨어요. 정말 잘하셨어요!",
    en="You have finished the lesson. Very well done!",
)
LESSON_FINISHED = Line(
    ko="수업을 마치셨어요. 수고하셨어요. 다음에 한 번 더 연습해 봐요.",
    en="You have finished the lesson. Thank you. Let's practise once more next time.",
)


# A quiz's choices read aloud by their ordinals, which a learner can say back to the
# kiosk's voice commands (「일 번」 is not one of them: measured, it is heard as 「이 번」)
ORDINALS_KO = ("첫 번째", "두 번째", "세 번째", "네 번째")


def choices_line(choices: list[Text]) -> Line:
    """Read the quiz choices aloud: '첫 번째, 빨간색. 두 번째, 초록색.'"""

    def clean(text: str) -> str:
        return text.replace("[", "(").replace("]", ")")

    ko = " ".join(f"{ORDINALS_KO[n]}, {clean(c.ko)}." for n, c in enumerate(choices))
    en = " ".join(f"Number {n}, {clean(c.get('en'))}." for n, c in enumerate(choices, 1))
    return Line(ko=ko, en=en)
