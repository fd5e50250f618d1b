"""The content linter (lessons/lint*.py): each rule on tiny lessons written as a writer would,
the baseline that only shrinks, and the bundled library against its baseline."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from pydantic import BaseModel

from lessons import BUNDLED_LIBRARY
from lessons.cli import main
from lessons.korean_reading import digit_by_digit, sino
from lessons.library import check_library
from lessons.lint import LintProblem, lint_library
from lessons.lint_rules import TextAt, plain_ending, sentences, spoken_forms
from lessons.lint_speech import UNSPOKEN, suggestion
from lessons.lint_words import MAX_SENTENCE_CHARS
from lessons.model import Line

BASELINE = BUNDLED_LIBRARY / "lint-baseline.txt"

SCREENS = {
    "dialer": """
        id: dialer
        title: {ko: 전화, en: Phone}
        app: phone
        columns: 3
        fields: {number: ""}
        elements:
          - {id: key-1, kind: keypad_key, label: "1", on_tap: {type: "1", into: number}}
          - {id: key-2, kind: keypad_key, label: "2", on_tap: {type: "2", into: number}}
          - {id: key-9, kind: keypad_key, label: "9", on_tap: {type: "9", into: number}}
          - {id: call, kind: button, label: {ko: 통화, en: Call}, role: success}
    """,
    "sms": """
        id: sms
        title: {ko: 문자, en: Message}
        app: messages
        elements:
          - {id: link, kind: button, label: {ko: "http://scam.top/kr", en: "http://scam.top/kr"}}
          - {id: delete, kind: button, label: {ko: 삭제, en: Delete}}
    """,
    "store": """
        id: store
        title: {ko: 앱 받기, en: Get the app}
        app: browser
        elements:
          - {id: install, kind: button, label: {ko: 설치, en: Install}}
    """,
    "bank-pin": """
        id: bank-pin
        title: {ko: 비밀번호 입력, en: Enter your PIN}
        app: bank
        fields: {pin: ""}
        elements:
          - {id: pin, kind: text_field, label: {ko: 비밀번호, en: PIN}, shows: pin}
          - {id: ok, kind: button, label: {ko: 확인, en: OK}}
    """,
}


def lint_steps(tmp_path: Path, steps: str, **lesson: str) -> list[LintProblem]:
    """Lint one lesson whose `steps:` are given as YAML (indented as in a file)."""
    (tmp_path / "lessons").mkdir()
    (tmp_path / "screens").mkdir()
    for name, text in SCREENS.items():
        (tmp_path / "screens" / f"{name}.yaml").write_text(textwrap.dedent(text), "utf-8")
    head = {
        "title": "{ko: 전화 걸기, en: Making a call}",
        "summary": "{ko: 전화를 걸어요., en: Make a call.}",
        **lesson,
    }
    text = "id: t\nversion: 1\nlevel: 1\nminutes: 5\n"
    text += "".join(f"{key}: {value}\n" for key, value in head.items())
    text += "steps:\n" + textwrap.indent(textwrap.dedent(steps).strip("\n"), "  ") + "\n"
    (tmp_path / "lessons" / "t.yaml").write_text(text, "utf-8")
    library, problems = check_library(tmp_path)
    assert not problems, [str(p) for p in problems]
    return lint_library(library)


def rules(problems: list[LintProblem]) -> list[str]:
    return [p.rule for p in problems]


SAY = '- id: s\n  say: {{ko: "{ko}", en: "{en}"}}\n'


def lint_say(tmp_path: Path, ko: str, en: str = "Hello.") -> list[LintProblem]:
    return lint_steps(tmp_path, SAY.format(ko=ko, en=en))


# ---- L1 sentence length -----------------------------------------------------------------


def test_a_long_sentence_is_reported_with_its_length_in_both_languages(tmp_path: Path) -> None:
    long = "오늘은 " + "가" * (MAX_SENTENCE_CHARS - 5) + "요."  # 41 characters with spaces
    [problem] = lint_say(tmp_path, f"좋아요. {long}")
    assert problem.rule == "L1"
    assert problem.field == "steps[0].say.ko" and problem.line == 9
    assert "문장이 너무 길어요 (41자" in problem.message
    assert "sentence too long (41 characters" in problem.message
    assert str(problem).startswith(
        f"{tmp_path}/lessons/t.yaml:9: steps[0].say.ko (step 1, 's'): [L1 "
    )


def test_a_sentence_of_the_limit_passes_and_cues_do_not_count(tmp_path: Path) -> None:
    half = "가" * (MAX_SENTENCE_CHARS // 2 - 1)
    exact = f"{half} {half}."  # MAX_SENTENCE_CHARS with the space and the stop
    assert len(exact) == MAX_SENTENCE_CHARS
    assert lint_say(tmp_path, f"[wave] {half} [nod] {half}.") == []


def test_sentences_split_after_a_stop_and_a_closing_quote() -> None:
    assert sentences("좋아요. 'ㄱ'을 눌러요! 정말요? 네") == [
        "좋아요.",
        "'ㄱ'을 눌러요!",
        "정말요?",
        "네",
    ]


# ---- L2 polite speech ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    ["갤러리에서 고른다", "원래 번호로 전화한다.", "얼른 전화해 줘", "폰 고장 났어", "같이 하자"],
)
def test_plain_endings_are_caught(sentence: str) -> None:
    assert plain_ending(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "초록색",
        "음량 올리기 버튼",
        "설정 → 디스플레이",
        "전화를 받아요.",
        "확인합니다.",
        "눌러 보세요",
        "어디에 있을까요?",
        "바다",
        "'엄마, 나 폰 고장 났어' 하는 문자예요.",
    ],
)
def test_polite_speech_and_noun_phrases_pass(sentence: str) -> None:
    assert not plain_ending(sentence)


def test_exam_style_choices_are_reported_but_short_names_are_not(tmp_path: Path) -> None:
    found = lint_steps(
        tmp_path,
        """
        - id: q
          quiz:
            question: {ko: 사진은 어디에서 볼까요?, en: Where do you see photos?}
            choices: [{ko: 갤러리에서 고른다, en: Pick it in the Gallery}, {ko: 초록색, en: Green}]
            answer: 1
            right: {ko: 맞아요., en: Right.}
            wrong: {ko: 아쉬워요., en: Not quite.}
        """,
    )
    assert [(p.rule, p.field) for p in found] == [("L2", "steps[0].quiz.choices[0].ko")]
    assert "고른다" in found[0].message and "존댓말" in found[0].message


def test_plain_speech_inside_quotes_is_a_quotation(tmp_path: Path) -> None:
    assert lint_say(tmp_path, "'엄마, 폰 고장 났어. 연락 줘.' 이런 문자가 와요.") == []


# ---- L3 a sentence that ends before a cue -------------------------------------------------


def test_a_greeting_glued_to_the_next_sentence_by_a_cue_is_reported(tmp_path: Path) -> None:
    found = lint_say(
        tmp_path, "안녕하세요 [bow] 오늘은 전화를 배워요.", "Hello [bow] Today we learn."
    )
    assert [(p.rule, p.field) for p in found] == [
        ("L3", "steps[0].say.en"),
        ("L3", "steps[0].say.ko"),
    ]
    assert "안녕하세요 … 오늘은" in found[1].message


def test_a_cue_at_its_word_inside_a_sentence_or_after_a_stop_is_fine(tmp_path: Path) -> None:
    ko = "안녕하세요. [bow] 이 버튼을 [point:screen] 누르세요. [nod] 꼭 필요 [pause] 없어요."
    en = "Hello. [bow] Tap [point:screen] Settings. [nod]"
    assert lint_say(tmp_path, ko, en) == []


def test_a_short_answer_before_a_cue_is_a_sentence(tmp_path: Path) -> None:
    found = lint_say(tmp_path, "네 [nod] 맞아요.", "Yes. [nod] Right.")
    assert [(p.rule, p.field) for p in found] == [("L3", "steps[0].say.ko")]


# ---- L4 spoken forms ----------------------------------------------------------------------


def test_what_the_voice_reads_well_passes(tmp_path: Path) -> None:
    """The kiosk reads these aloud as meant (lessons/korean_reading.py): no finding."""
    assert lint_say(tmp_path, "Wi-Fi와 QR을 켜고 '+'를 눌러요. 119, 010-1234-5678.") == []
    line = "'SEOUL_Secure'를 누르세요. 20명, 100%, E5 좌석이에요."
    (tmp_path / "more").mkdir()
    assert lint_say(tmp_path / "more", line) == []


def test_what_the_voice_cannot_read_as_meant_is_reported(tmp_path: Path) -> None:
    found = lint_say(tmp_path, "Galaxy를 고르고 2번 누르세요. 9시~10시예요.")
    messages = " ".join(p.message for p in found)
    assert set(rules(found)) == {"L4"}
    for written in ("「Galaxy」", "「2번」", "「~」"):
        assert written in messages


def test_digit_by_digit_and_sino_korean_numbers() -> None:
    assert digit_by_digit("112") == "일일이"
    assert digit_by_digit("02-120") == "공이, 일이공"
    assert [sino(n) for n in (0, 10, 12, 3500, 10000, 21000)] == [
        "영", "십", "십이", "삼천오백", "만", "이만천"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("3,500원", "삼천오백 원"),
        ("10시", "열 시"),
        ("10:30", "열 시 삼십 분"),
        ("8일", "팔 일"),
        ("4자리", "네 자리"),
        ("119에", "일일구"),
        ("273번", "이칠삼 번"),
        ("2번", "두 번 (횟수) / 이 번 (번호)"),
        ("010-1234-5678", "공일공, 일이삼사, 오육칠팔"),
        ("s", "에스"),
        ("QR", "큐알"),
        ("Wi-Fi", "와이파이"),
        ("+", "더하기"),
    ],
)
def test_a_spoken_form_is_suggested_for_each_kind_of_written_thing(written: str, said: str) -> None:
    match = UNSPOKEN.search(written)
    assert match is not None and suggestion(match) == said


class _Spoken(BaseModel):
    ko: str | None = None
    en: str | None = None


class _LineWithSpeak(Line):
    """A Line with the spoken form another branch adds (`speak:`)."""

    speak: _Spoken | None = None


def test_a_line_with_its_own_spoken_form_passes() -> None:
    line = _LineWithSpeak(ko="2번 누르세요.", speak=_Spoken(ko="두 번 누르세요."))
    assert list(spoken_forms(TextAt(("say",), line, True, True, "say"))) == []
    plain = Line(ko="2번 누르세요.")
    assert [f.rule for f in spoken_forms(TextAt(("say",), plain, True, True, "say"))] == [
        "L4 spoken-form"
    ]


def test_shown_text_is_not_spoken(tmp_path: Path) -> None:
    steps = SAY.format(ko="번호가 보여요.", en="See the number.")
    steps += '  show: {text: {ko: "경찰 112", en: "Police 112"}}\n'
    assert lint_steps(tmp_path, steps) == []


# ---- L5 cues in plain text ----------------------------------------------------------------


def test_a_cue_in_a_title_is_reported(tmp_path: Path) -> None:
    """(A cue in a quiz choice is refused by `check` itself: tests/lessons/test_check.py.)"""
    found = lint_steps(
        tmp_path,
        """
        - id: q
          quiz:
            question: {ko: "어느 쪽일까요? [think]", en: "Which one? [think]"}
            choices: [{ko: "초록색 [1]", en: Green}, {ko: 빨간색, en: Red}]
            answer: 1
            right: {ko: 맞아요., en: Right.}
            wrong: {ko: 아쉬워요., en: Not quite.}
        """,
        title='{ko: "전화 [wave]", en: Calls}',
    )
    assert [(p.rule, p.field) for p in found] == [("L5", "title.ko")]
    assert "[wave]" in found[0].message


# ---- L6 English ---------------------------------------------------------------------------


def test_english_missing_or_much_longer_is_reported(tmp_path: Path) -> None:
    steps = "- id: a\n  say: {ko: 전화를 받아요.}\n"
    steps += SAY.format(ko="눌러요.", en="Now press the big green button at the bottom, slowly.")
    steps = steps.replace("id: s", "id: b")
    found = lint_steps(tmp_path, steps)
    assert [(p.rule, p.field) for p in found] == [
        ("L6", "steps[0].say"),
        ("L6", "steps[1].say.en"),
    ]
    assert "영어가 없어요" in found[0].message and "English is missing" in found[0].message


def test_short_english_fits_whatever_its_ratio(tmp_path: Path) -> None:
    assert lint_say(tmp_path, "도장.", "Your name seal.") == []


# ---- L7 glossary --------------------------------------------------------------------------


def test_two_names_for_one_thing_are_reported_after_the_first(tmp_path: Path) -> None:
    steps = SAY.format(ko="전원 버튼을 눌러요.", en="Press the power button.")
    steps += SAY.format(ko="측면 버튼을 눌러요.", en="Press the side key.").replace(
        "id: s", "id: t"
    )
    found = lint_steps(tmp_path, steps)
    assert [(p.rule, p.field) for p in found] == [("L7", "steps[1].say.ko")]
    assert "「측면 버튼」" in found[0].message and "「전원 버튼」" in found[0].message


def test_two_names_in_one_sentence_explain_each_other(tmp_path: Path) -> None:
    steps = SAY.format(ko="인터넷 주소, 링크는 누르지 마세요.", en="Never tap a link.")
    steps += SAY.format(ko="링크는 위험해요.", en="Links are risky.").replace("id: s", "id: t")
    assert lint_steps(tmp_path, steps) == []


# ---- L9 plain words -----------------------------------------------------------------------


def test_a_word_a_senior_may_mishear_is_reported_but_not_a_quoted_label(tmp_path: Path) -> None:
    found = lint_say(tmp_path, "휴대폰을 세워서 드세요. '화면 터치'는 누르지 않아요.")
    assert [p.rule for p in found] == ["L9"] and "들고 계세요" in found[0].message


def test_a_word_that_only_ends_like_one_is_fine(tmp_path: Path) -> None:
    assert lint_say(tmp_path, "카드를 만드세요.") == []


# ---- L8 unsafe patterns -------------------------------------------------------------------

PRACTICE = """
- id: {id}
  practice:
    screen: {screen}
    instruction: {{ko: 해 보세요., en: Try it.}}
    {target}
"""


def practice(step_id: str, screen: str, target: str) -> str:
    return PRACTICE.format(id=step_id, screen=screen, target=target)


def test_dialling_119_in_a_practice_is_unsafe(tmp_path: Path) -> None:
    steps = practice("dial", "dialer", "targets: [key-1, key-1, key-9, call]")
    [problem] = lint_steps(tmp_path, steps)
    assert problem.rule == "L8" and "119" in problem.message
    assert problem.field == "steps[0].practice.targets"


def test_dialling_a_family_number_is_fine(tmp_path: Path) -> None:
    assert lint_steps(tmp_path, practice("dial", "dialer", "targets: [key-2, key-1, call]")) == []


def test_a_pin_typed_right_after_a_call_is_unsafe(tmp_path: Path) -> None:
    steps = practice("call", "dialer", "targets: [key-2, call]")
    steps += practice("pin", "bank-pin", "do: [{type: '1234', into: pin}, {tap: ok}]")
    found = lint_steps(tmp_path, steps)
    assert [(p.rule, p.field) for p in found] == [("L8", "steps[1].practice")]
    assert "비밀번호" in found[0].message and "PIN" in found[0].message


def test_a_pin_typed_on_its_own_is_fine(tmp_path: Path) -> None:
    steps = practice("pin", "bank-pin", "do: [{type: '1234', into: pin}, {tap: ok}]")
    assert lint_steps(tmp_path, steps) == []


def test_tapping_a_link_in_a_text_and_installing_are_unsafe(tmp_path: Path) -> None:
    steps = practice("link", "sms", "target: link") + practice("get", "store", "target: install")
    found = lint_steps(tmp_path, steps)
    assert [(p.rule, p.field) for p in found] == [
        ("L8", "steps[0].practice"),
        ("L8", "steps[1].practice"),
    ]
    assert "링크" in found[0].message and "설치" in found[1].message


def test_deleting_the_scam_text_is_fine(tmp_path: Path) -> None:
    assert lint_steps(tmp_path, practice("del", "sms", "target: delete")) == []


# ---- the command and its baseline ---------------------------------------------------------


def test_the_command_fails_on_a_finding_and_a_baseline_lets_it_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lint_say(tmp_path, "안녕하세요 [bow] 오늘은 배워요.", "Hello. [bow] Today we learn.")
    assert main(["lint", str(tmp_path)]) == 1
    out = capsys.readouterr()
    assert "t.yaml:9: steps[0].say.ko (step 1, 's'): [L3 cue-sentence]" in out.out
    assert "1 finding(s) (L3 1)" in out.err

    baseline = tmp_path / "baseline.txt"
    assert main(["lint", str(tmp_path), "--write-baseline", str(baseline)]) == 0
    assert "lessons/t.yaml: steps[0].say.ko: L3\n" in baseline.read_text("utf-8")
    assert main(["lint", str(tmp_path), "--baseline", str(baseline)]) == 0


def test_a_fixed_finding_must_leave_the_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lint_say(tmp_path, "안녕하세요. 오늘은 배워요.")
    baseline = tmp_path / "baseline.txt"
    baseline.write_text("# known\nlessons/t.yaml: steps[0].say.ko: L3\n", "utf-8")
    assert main(["lint", str(tmp_path), "--baseline", str(baseline)]) == 1
    assert "is fixed" in capsys.readouterr().out


def test_the_bundled_library_has_no_finding_beyond_its_baseline() -> None:
    assert main(["lint", str(BUNDLED_LIBRARY), "--baseline", str(BASELINE)]) == 0
