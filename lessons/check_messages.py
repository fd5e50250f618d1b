"""The checker's messages in Korean, the writer's language: each English message of
`sarangbang-lessons check` (lessons/library.py, mock_check.py, dead_ends.py, the models'
own checks and pydantic's) matched to its Korean, with what to do. `check` prints
`한국어 / English` (`--lang ko|en|both`); a message with no Korean here is printed in English.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from lessons.yaml_source import NOT_UTF8, YAML_ADVICE

# (English, as a regular expression; Korean, with \1… for the English's groups), the first
# that matches the whole message wins.
TABLE: tuple[tuple[str, str], ...] = (
    (r"required, but missing", "꼭 있어야 하는데 없어요: 이 이름과 값을 적어 주세요"),
    (
        r"unknown field \(is it misspelt\?\)",
        "모르는 이름이에요: 철자를 확인해 주세요 (docs/lesson-format.md 에 있는 이름만 써요)",
    ),
    (
        r"'(.*)' must be lowercase letters, digits and dashes, like 'video-call'",
        r"'\1': 영어 소문자, 숫자, '-' 만 쓸 수 있어요 (예: 'video-call')",
    ),
    (
        r"id '(.*)' must match the file name '(.*)'",
        r"id '\1' 와 파일 이름 '\2' 가 같아야 해요: 둘 중 하나를 고쳐 주세요",
    ),
    (
        r"duplicate step id '(.*)'",
        r"단계 id '\1' 가 두 번 있어요: 하나를 다른 이름으로 바꿔 주세요",
    ),
    (
        r"duplicate element id '(.*)'",
        r"요소 id '\1' 가 두 번 있어요: 하나를 다른 이름으로 바꿔 주세요",
    ),
    (
        r"no screen '(.*)' \(did you mean (.*)\?\)",
        r"화면 '\1' 이 없어요 (혹시 \2?): 이름을 고치거나 screens/\1.yaml 을 만들어 주세요",
    ),
    (
        r"no screen '(.*)' \(known: (.*)\)",
        r"화면 '\1' 이 없어요 (있는 화면: \2): 이름을 고치거나 screens/\1.yaml 을 만들어 주세요",
    ),
    (
        r"no lesson '(.*)' in the library",
        r"수업 '\1' 이 없어요: requires 의 이름을 고치거나 지워 주세요",
    ),
    (
        r"(?:Value error, )?icon_only needs an icon: picture to draw",
        "icon_only 는 그릴 그림이 있어야 해요: icon: 그림 이름을 적거나 icon_only 를 지워 주세요",
    ),
    (
        r"a lesson cannot require itself",
        "수업이 자기 자신을 requires 에 넣을 수 없어요: 지워 주세요",
    ),
    (
        r"'requires' goes round in a circle: (.*)",
        r"requires 가 빙 돌아 제자리로 와요: \1 — 하나를 지워 주세요",
    ),
    (
        r"no picture file '(.*)' in (.*)",
        r"그림 파일 '\1' 이 \2 에 없어요: 그림을 넣거나 이름을 고쳐 주세요",
    ),
    (
        r"'(.*)' is not a PNG picture \(it is a (.*); save it as PNG\)",
        r"'\1' 은 PNG 그림이 아니에요 (\2): PNG 로 저장해 주세요",
    ),
    (r"'(.*)' is cut short.*", r"'\1' 그림 파일이 잘렸어요: 다시 저장하거나 복사해 주세요"),
    (r"'(.*)' is damaged.*", r"'\1' 그림 파일이 망가졌어요: 다시 저장하거나 복사해 주세요"),
    (
        r"'(.*)' must be a file in the library's pictures/ folder.*",
        r"'\1': 그림은 pictures/ 폴더 안의 파일 이름으로 적어 주세요 (예: 'bus.png')",
    ),
    (
        r"a practice step shows no picture.*",
        "연습 단계에는 그림을 넣을 수 없어요 (화면이 자리를 차지해요): "
        "앞의 설명 단계로 옮겨 주세요",
    ),
    (
        r"answer (\d+) is out of range: there are (\d+) choices",
        r"정답 \1 번이 없어요: 보기는 \2 개예요; 정답 번호를 고쳐 주세요",
    ),
    (r"answer (\d+) is given twice", r"정답 \1 번을 두 번 적었어요: 하나를 지워 주세요"),
    (r"every choice is right.*", "보기가 모두 정답이에요: 틀린 보기를 하나 이상 넣어 주세요"),
    (
        r"a step needs exactly one of say, practice, quiz \(found: (.*)\)",
        r"한 단계에는 say, practice, quiz 중 하나만 있어야 해요 (지금: \1): 단계를 나눠 주세요",
    ),
    (
        r"give one of 'target'.*",
        "target(한 번 누르기), targets(차례로 누르기), do(누르기·쓰기·밀기) 중 하나를 적어 주세요",
    ),
    (
        r"unknown cue '(.*?)' \(known: (.*?)\).*",
        r"모르는 신호 '\1' 예요 (쓸 수 있는 신호: \2): 철자를 고쳐 주세요",
    ),
    (
        r"put the robot cues and pauses in 'speak\.ko'.*",
        "로봇 신호와 쉼은 'speak.ko'(말하는 것)에 넣고 'ko'(보이는 글)에서는 빼 주세요",
    ),
    (
        r"no element '(.*?)' on screen '(.*?)' \(has: (.*?)\)(.*)",
        r"화면 '\2' 에 '\1' 이 없어요 (있는 것: \3)\4: 화면 파일의 id 로 고쳐 주세요",
    ),
    (
        r"no element '(.*?)' on the screens this practice reaches \((.*)\)",
        r"이 연습이 가는 화면 어디에도 '\1' 이 없어요 (\2): 화면 파일의 id 로 고쳐 주세요",
    ),
    (
        r"no field '(.*?)' in the `fields:` of '(.*?)' or a screen it leads to \(declared: (.*)\)",
        r"'\2' 화면과 그 화면이 가는 화면의 fields: 에 '\1' 이 없어요 (있는 것: \3): 이름을 "
        r"고치거나 fields: 에 넣어 주세요",
    ),
    (
        r"'(.*?)' is disabled on '(.*?)'.*",
        r"'\1' 은 '\2' 에서 눌리지 않는 버튼이에요 (disabled): 다른 버튼을 적어 주세요",
    ),
    (
        r"'(.*?)' is a (label|chat) on '(.*?)'; it cannot be tapped(.*)",
        r"'\1' 은 '\3' 의 글자일 뿐 누를 수 없어요\4: 버튼의 id 를 적어 주세요",
    ),
    (
        r"'(.*?)' on '(.*?)' does nothing when held.*",
        r"'\1' 을 길게 눌러도 아무 일도 없어요 (on_hold 가 없어요): 화면에 on_hold 를 넣거나 "
        r"tap 으로 바꿔 주세요",
    ),
    (
        r"a learner gets stuck on screen '(.*?)'.*",
        r"화면 '\1' 에서 배우는 분이 갇혀요: 눌러서 나갈 수 있는 버튼을 넣어 주세요",
    ),
    (
        r"'(.*?)' cannot be typed on the (.*?) keyboard \((.*?) not on it\).*",
        r"'\1' 은 \2 자판으로 쓸 수 없어요 (\3 이 없어요): 쓸 수 있는 글자로 바꿔 주세요",
    ),
    (
        r"the back key does nothing on screen '(.*?)'.*",
        r"화면 '\1' 에서는 뒤로 가기 키로 갈 곳이 없어요: "
        r"back 을 지우거나 다른 입력으로 바꿔 주세요",
    ),
    (
        r"screen '(.*?)' is on a (.*?) with no back key.*",
        r"화면 '\1' 은 뒤로 가기 키가 없는 \2 예요: 화면의 '뒤로' 버튼을 누르게 해 주세요",
    ),
    (
        r"'(.*?)' is not shown on screen '(.*?)': it is shown only while (.*)",
        r"'\1' 은 지금 화면 '\2' 에 보이지 않아요 (보이는 때: \3): 순서를 고쳐 주세요",
    ),
    (
        r"no text field showing '(.*?)' on screen '(.*?)'.*",
        r"화면 '\2' 에 '\1' 을 쓰는 칸이 없어요: into 에 글 칸의 이름을 적어 주세요",
    ),
    (
        r"field '(.*?)' holds (.*?) here but (.*?) on screen '(.*?)'.*",
        r"'\1' 에 여기서는 \2, 화면 '\4' 에서는 \3 이 들어가요: 한 가지로 맞춰 주세요",
    ),
    (
        r"field '(.*?)' holds (.*?), not (.*)",
        r"'\1' 에는 \2 이 들어가야 해요 (지금: \3): 값을 고쳐 주세요",
    ),
    (
        r"field '(.*?)' holds (.*?) \(declared on screen '(.*?)'\), "
        r"but this `(.*?):` gives it (.*)",
        r"'\1' 에는 \2 이 들어가는데 (화면 '\3'), 이 \4: 에는 \5 이 있어요: 값을 고쳐 주세요",
    ),
    (
        r"'toggle' needs on/off \(true/false\), but field '(.*?)' holds (.*?) .*",
        r"toggle 은 켜기/끄기(true/false) 칸에만 써요: '\1' 에는 \2 이 들어가요",
    ),
    (r"Input should be a valid string", "글자를 적어 주세요"),
    (r"Input should be a valid integer.*", "숫자를 적어 주세요"),
    (r"Input should be a valid list", "'-' 로 시작하는 줄들의 목록으로 적어 주세요"),
    (
        r"Input should be a valid dictionary.*",
        "이름: 값 의 묶음(아래 줄에 들여 써서)으로 적어 주세요",
    ),
    (r"Input should be less than or equal to (\d+)", r"\1 이하의 숫자로 적어 주세요"),
    (r"Input should be greater than or equal to (\d+)", r"\1 이상의 숫자로 적어 주세요"),
    (r"List should have at least (\d+) items?.*", r"적어도 \1 개를 적어 주세요"),
    (r"List should have at most (\d+) items?.*", r"\1 개까지만 적어 주세요"),
)
_COMPILED = [(re.compile(english), ko) for english, ko in TABLE]


def korean(message: str) -> str:
    """The Korean for one of the checker's English messages; "" when there is none."""
    for pattern, ko in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            return match.expand(ko)
    if message.startswith("broken YAML:"):
        for words, ko, _ in YAML_ADVICE:
            if words in message:
                return f"YAML 형식이 깨졌어요: {ko}"
        return "YAML 형식이 깨졌어요: 이 줄과 바로 위 줄의 들여쓰기와 따옴표를 확인해 주세요"
    if message.startswith("not UTF-8 text"):
        return NOT_UTF8[0]
    return ""


KNOWN_SHOWN = 12  # names listed when none is like the one given


def names_like(name: str, names: Iterable[str]) -> str:
    """What a message about an unknown `name` adds: the known names closest to it
    ("did you mean 'call-incoming'?"), else the first KNOWN_SHOWN known names, not all of
    a library's hundred screens."""
    known = sorted(names)
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.7)
    if close:
        return "did you mean " + ", ".join(f"'{c}'" for c in close) + "?"
    more = f", … ({len(known) - KNOWN_SHOWN} more)" if len(known) > KNOWN_SHOWN else ""
    return "known: " + (", ".join(known[:KNOWN_SHOWN]) or "none") + more
