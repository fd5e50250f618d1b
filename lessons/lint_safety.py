"""The content linter's unsafe patterns (L8): practice that could teach a senior a habit a
scammer or an emergency line would regret. What a practice does is read from its expected
inputs (taps, typing) and the screens' elements, not from its words.

- a secret (PIN, password, account or card number) typed right after a call or a message:
  a scam call or text asks for exactly this next; practise it where the learner starts on
  her own;
- 112 or 119 dialled in a practice: a senior may repeat it on a real phone (use a family
  number);
- an app installed after tapping a link in a text: how smishing installs remote-control and
  banking-theft apps;
- a link in a text message tapped as the right answer: the first step of almost every
  smishing case; the right answer is not to tap it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lessons.lint_rules import Finding
from lessons.lint_words import (
    CALL_OR_MESSAGE_APPS,
    EMERGENCY_NUMBERS,
    INSTALL,
    LINK,
    MESSAGE_APPS,
    SECRET,
)
from lessons.model import Element, Lesson, Practice, Screen
from lessons.yaml_source import Loc

_SECRET, _LINK, _INSTALL = (re.compile(p, re.IGNORECASE) for p in (SECRET, LINK, INSTALL))
_CALL_OR_MESSAGE_SCREEN = re.compile(r"call|dial|sms|message|chat", re.IGNORECASE)


def _element(screens: dict[str, Screen], practice: Practice, element_id: str) -> Element | None:
    """The element a practice input names: on its screen, or on a screen a tap led to."""
    first = screens.get(practice.screen)
    found = first.element(element_id) if first else None
    if found is None:
        found = next((e for s in screens.values() if (e := s.element(element_id))), None)
    return found


def _words(element: Element | None, *more: str) -> str:
    """An element's id, labels and detail, and `more`: what the patterns are matched with."""
    if element is None:
        return " ".join(more)
    texts = [element.label.ko, element.label.en or ""]
    if element.detail:
        texts += [element.detail.ko, element.detail.en or ""]
    return " ".join([element.id, *texts, *more])


def dialled(screens: dict[str, Screen], practice: Practice) -> str:
    """The digits a practice dials: typed digits and the keys tapped (a key's label is its
    digit, or its id ends in one: key-1)."""
    digits = ""
    for one in practice.inputs:
        if one.type is not None:
            digits += re.sub(r"\D", "", one.type)
        elif one.tap:
            element = _element(screens, practice, one.tap)
            label = element.label.ko.strip() if element else ""
            key = re.fullmatch(r"key-(\d)", one.tap)
            digits += label if re.fullmatch(r"\d", label) else key.group(1) if key else ""
    return digits


def _app(screens: dict[str, Screen], practice: Practice) -> str:
    screen = screens.get(practice.screen)
    return screen.app if screen else ""


def _calls_or_messages(screens: dict[str, Screen], practice: Practice) -> bool:
    return _app(screens, practice) in CALL_OR_MESSAGE_APPS or bool(
        _CALL_OR_MESSAGE_SCREEN.search(practice.screen)
    )


def _types_secret(screens: dict[str, Screen], practice: Practice) -> bool:
    """The practice types or keys in something its screen or field calls a secret."""
    typed = [one for one in practice.inputs if one.type is not None]
    if not typed and not dialled(screens, practice):
        return False
    screen = screens.get(practice.screen)
    where = [
        practice.screen,
        screen.title.ko if screen else "",
        screen.title.en or "" if screen else "",
    ]
    for one in typed:
        where.append(_words(_element(screens, practice, one.into or ""), one.into or ""))
    return bool(_SECRET.search(" ".join(where)))


def _taps(screens: dict[str, Screen], practice: Practice, pattern: re.Pattern[str]) -> bool:
    return any(
        one.tap and pattern.search(_words(_element(screens, practice, one.tap)))
        for one in practice.inputs
    )


def unsafe(lesson: Lesson, screens: dict[str, Screen]) -> Iterator[Finding]:
    """L8: the unsafe patterns of the table above, one finding per practice and pattern."""
    recent: list[Practice | None] = []  # the practices of the two steps before this one
    link_tapped = False
    for i, step in enumerate(lesson.steps):
        practice = step.practice
        if practice is None:
            recent = [*recent[-1:], None]
            continue
        loc: Loc = ("steps", i, "practice")
        if _types_secret(screens, practice) and any(
            p is not None and _calls_or_messages(screens, p) for p in recent
        ):
            yield Finding(
                loc,
                "L8 unsafe",
                "전화나 문자 바로 다음에 비밀번호·계좌번호를 입력하는 연습이에요: 사기범이 "
                "바로 이렇게 시켜요. 혼자 앱을 여는 연습으로 바꾸고 '전화로 시키면 절대 "
                "입력하지 않아요'라고 말해 주세요",
                "a PIN, password or account number is typed right after a call or a message: "
                "that is what a scammer asks next; start it on the learner's own and say never "
                "to type it for a caller",
            )
        number = dialled(screens, practice)
        if number in EMERGENCY_NUMBERS:
            yield Finding(
                (*loc, "targets" if practice.targets else "do"),
                "L8 unsafe",
                f"연습에서 {number}에 전화를 걸어요: 어르신이 실제 휴대폰에서 따라 할 수 "
                "있어요. 가족 번호로 바꿔 주세요",
                f"the practice dials {number}: a senior may repeat it on a real phone; "
                "dial a family number instead",
            )
        in_messages = _app(screens, practice) in MESSAGE_APPS
        if in_messages and _taps(screens, practice, _LINK):
            link_tapped = True
            yield Finding(
                loc,
                "L8 unsafe",
                "문자 속 링크를 누르는 것이 정답이에요: 링크는 누르지 않는 것이 정답이 "
                "되게 바꿔 주세요",
                "tapping a link in a text message is the right answer: make not tapping it "
                "the right answer",
            )
        if link_tapped and _taps(screens, practice, _INSTALL):
            yield Finding(
                loc,
                "L8 unsafe",
                "문자 속 링크를 누른 뒤 앱을 설치해요: 앱은 앱 스토어(Play 스토어)에서만 "
                "설치하는 연습으로 바꿔 주세요",
                "an app is installed after tapping a link in a text: install apps only from "
                "the app store",
            )
        recent = [*recent[-1:], practice]
