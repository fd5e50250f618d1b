"""The content linter's rules on the words of a lesson (L1–L7); the unsafe patterns (L8) are
in lessons/lint_safety.py and the runner in lessons/lint.py.

Each rule is a function from one text of a lesson (`TextAt`) or the whole lesson to
findings; each finding says what is wrong and how to fix it, in Korean and in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lessons import Language
from lessons.cues import Cue, CueError, Pause, Words, parse_line
from lessons.korean_reading import reads_well
from lessons.lint_speech import UNSPOKEN
from lessons.lint_speech import suggestion as suggest
from lessons.lint_words import (
    EN_STARTERS,
    ENGLISH_SHORT,
    GLOSSARY,
    KO_WHOLE,
    MAX_ENGLISH_RATIO,
    MAX_SENTENCE_CHARS,
    NOUNS_IN_DA,
    PLAIN_ENDINGS,
    PLAIN_WORDS,
    POLITE_ENDINGS,
)
from lessons.model import Lesson, Step, Text
from lessons.yaml_source import Loc

# The field of a Line that says how it is spoken where that differs from how it is written
# (another branch adds it as `speak: {ko: …, en: …}`). Only `spoken_form` reads it.
SPOKEN_FORM_FIELD = "speak"


@dataclass(frozen=True)
class Finding:
    """One thing an editor would change: where (`loc` in the lesson file), which rule, and
    what to do, in Korean and in English."""

    loc: Loc
    rule: str
    ko: str
    en: str

    @property
    def message(self) -> str:
        return f"[{self.rule}] {self.ko} / {self.en}"


@dataclass(frozen=True)
class TextAt:
    """A text of a lesson, where it is, and whether it is spoken aloud (`spoken`) and may
    carry robot cues (`line`: a Line, not a plain Text)."""

    loc: Loc
    text: Text
    spoken: bool
    line: bool
    kind: str


def texts_of(lesson: Lesson) -> Iterator[TextAt]:
    """Every text of a lesson in the order a learner meets it."""
    yield TextAt(("title",), lesson.title, False, False, "title")
    yield TextAt(("summary",), lesson.summary, False, False, "summary")
    for i, step in enumerate(lesson.steps):
        yield from texts_of_step(step, i)


def texts_of_step(step: Step, i: int) -> Iterator[TextAt]:
    """Every text of step `i` (counted from 0, as its place `steps[i]` in the file)."""
    at: Loc = ("steps", i)
    if step.show and step.show.text:
        yield TextAt((*at, "show", "text"), step.show.text, False, False, "show")
    if step.say:
        yield TextAt((*at, "say"), step.say, True, True, "say")
    if step.practice:
        p, pat = step.practice, (*at, "practice")
        yield TextAt((*pat, "instruction"), p.instruction, True, True, "instruction")
        for j, hint in enumerate(p.hints):
            yield TextAt((*pat, "hints", j), hint, True, True, "hint")
        for j, one in enumerate(p.do or []):
            if one.hint:
                yield TextAt((*pat, "do", j, "hint"), one.hint, True, True, "hint")
        for element, line in p.wrong.items():
            yield TextAt((*pat, "wrong", element), line, True, True, "wrong")
        if p.success:
            yield TextAt((*pat, "success"), p.success, True, True, "success")
    if step.quiz:
        q, qat = step.quiz, (*at, "quiz")
        yield TextAt((*qat, "question"), q.question, True, True, "question")
        for j, choice in enumerate(q.choices):
            yield TextAt((*qat, "choices", j), choice, True, False, "choice")
        yield TextAt((*qat, "right"), q.right, True, True, "right")
        yield TextAt((*qat, "wrong"), q.wrong, True, True, "wrong")


def spoken_form(text: Text, language: Language) -> str | None:
    """The line's own spoken form in `language`, when the writer gave one."""
    form = getattr(text, SPOKEN_FORM_FIELD, None)
    said = getattr(form, language, None) if form is not None else None
    return said if isinstance(said, str) else None


def written(text: Text, language: Language) -> str | None:
    """The text as written in `language` (None when that language is missing)."""
    return text.ko if language == "ko" else text.en


def said(text: Text, language: Language) -> str:
    """What is said (or read) in `language`: the spoken form if given, cues removed."""
    raw = spoken_form(text, language) or written(text, language) or ""
    try:
        return parse_line(raw).spoken_text
    except CueError:  # a plain Text (a choice) with brackets: read as they are
        return " ".join(raw.split())


_END = re.compile(r"(?<=[.?!…])[\"'」’”)]*\s+")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”|「[^」]*」")


def sentences(text: str) -> list[str]:
    """A text split after . ? ! … (and a closing quote) followed by a space."""
    return [s for s in (part.strip() for part in _END.split(text)) if s]


def _where(item: TextAt, language: Language) -> Loc:
    return (*item.loc, language)


# ---- L1 -------------------------------------------------------------------------------


def sentence_length(item: TextAt) -> Iterator[Finding]:
    """L1: a spoken Korean sentence longer than a senior follows in one breath
    (MAX_SENTENCE_CHARS characters with spaces, cues removed)."""
    if not item.spoken:
        return
    for sentence in sentences(said(item.text, "ko")):
        if len(sentence) > MAX_SENTENCE_CHARS:
            n = len(sentence)
            yield Finding(
                _where(item, "ko"),
                "L1 sentence-length",
                f"문장이 너무 길어요 ({n}자, {MAX_SENTENCE_CHARS}자까지): 「{sentence[:20]}…」 "
                "두 문장으로 나눠 주세요",
                f"sentence too long ({n} characters, at most {MAX_SENTENCE_CHARS}): "
                "split it in two",
            )


# ---- L2 -------------------------------------------------------------------------------


def _last_word(sentence: str) -> str:
    """The last Hangul word of a sentence, quoted speech and trailing marks left out."""
    words = re.findall(r"[가-힣]+", _QUOTED.sub(" ", sentence))
    return words[-1] if words else ""


def plain_ending(sentence: str) -> bool:
    """True when a Korean sentence ends in 해라체 or 반말 (「갤러리에서 고른다」, 「전화해 줘」),
    False for polite speech and for a noun phrase (「초록색」, 「음량 올리기 버튼」)."""
    word = _last_word(sentence)
    if not word or word.endswith(POLITE_ENDINGS):
        return False
    if word.endswith("다") and len(word) > 1 and word not in NOUNS_IN_DA:
        return True
    if word.endswith(PLAIN_ENDINGS):
        return True
    # past or existence in 반말: 났어, 했어, 있어, 없어 (a final ㅆ or ㅄ before 어/아/야)
    if len(word) > 1 and word[-1] in "어아야":
        final = (ord(word[-2]) - 0xAC00) % 28
        return final in (20, 18)  # ㅆ, ㅄ
    return False


def polite_speech(item: TextAt) -> Iterator[Finding]:
    """L2: a Korean sentence that does not end in polite speech (존댓말): 해라체 like
    「갤러리에서 고른다」 (an exam's choice) or 반말. A noun phrase is fine."""
    for sentence in sentences(_QUOTED.sub("「」", said(item.text, "ko"))):
        if plain_ending(sentence):
            yield Finding(
                _where(item, "ko"),
                "L2 polite",
                f"「{_last_word(sentence)}」: 존댓말로 끝내 주세요 (-요, -세요, -니다), "
                "보기는 「…해요」나 짧은 이름으로 써 주세요",
                f"'{_last_word(sentence)}' is plain or exam-style speech: end it politely "
                "(-요, -세요, -니다); a choice may also be a short noun phrase",
            )


# ---- L3 -------------------------------------------------------------------------------

_STOP = ".?!…,:;~'\")」’”"


def _ends_sentence(word: str) -> bool:
    """A Korean word that ends a sentence: a polite ending (not 필요, 중요, 수요일) or a
    greeting or answer that is a sentence of its own (안녕하세요, 네)."""
    nouns = word.endswith(("필요", "중요", "요일"))
    return word in KO_WHOLE or (word.endswith(POLITE_ENDINGS) and not nouns)


def sentence_before_cue(item: TextAt) -> Iterator[Finding]:
    """L3: words that end a sentence right before a cue with no full stop
    (「안녕하세요 [bow] 오늘은…」 is said 「안녕하세요 오늘은…」)."""
    if not item.line:
        return
    for language in ("ko", "en"):
        raw = spoken_form(item.text, language) or written(item.text, language)
        if not raw:
            continue
        segments = parse_line(raw).segments
        for i, segment in enumerate(segments[:-1]):
            if not isinstance(segment, Words) or not isinstance(segments[i + 1], Cue | Pause):
                continue
            after = next((s for s in segments[i + 1 :] if isinstance(s, Words)), None)
            if after is None or segment.text.endswith(tuple(_STOP)):
                continue
            ko_end = language == "ko" and _ends_sentence(_last_word(segment.text))
            en_end = language == "en" and after.text.split()[0].strip(",.!?") in EN_STARTERS
            if ko_end or en_end:
                words = f"{segment.text.split()[-1]} … {after.text.split()[0]}"
                yield Finding(
                    _where(item, language),
                    "L3 cue-sentence",
                    f"신호 앞에서 문장이 끝나요 ({words}): 신호 앞에 마침표를 찍어 주세요 "
                    f"(「안녕하세요. [bow] 오늘은…」)",
                    f"a sentence ends before the cue ({words}) with no full stop: once the "
                    "cue is removed the two run together; put a full stop before the cue",
                )


# ---- L4 -------------------------------------------------------------------------------


def spoken_forms(item: TextAt) -> Iterator[Finding]:
    """L4: Latin letters, digits or symbols in a spoken Korean text that the kiosk's reader
    (lessons/korean_reading.py) cannot say as meant, and no spoken form: an unknown Latin
    word, an unknown symbol, or a count that reads as a number (2번 누르세요)."""
    if not item.spoken or spoken_form(item.text, "ko"):
        return
    seen: set[str] = set()
    for match in UNSPOKEN.finditer(said(item.text, "ko")):
        found = match.group().strip()
        written = match.group("number") or found
        if found in seen or reads_well(written, match.group("counter") or ""):
            continue
        seen.add(found)
        suggestion = suggest(match)
        yield Finding(
            _where(item, "ko"),
            "L4 spoken-form",
            f"「{found}」: 이대로는 소리 내어 읽기 어려워요. 「{suggestion}」처럼 한글로 "
            "쓰거나 말할 때의 형태(speak)를 따로 적어 주세요",
            f"'{found}' is not read aloud well: write it as said ({suggestion}) or give the "
            "line a spoken form (speak:)",
        )


# ---- L5 -------------------------------------------------------------------------------

_BRACKETED = re.compile(r"(?<!\[)\[([^\[\]]+)\](?!\])")


def cue_in_plain_text(item: TextAt) -> Iterator[Finding]:
    """L5: a robot cue in a title, summary, shown text or quiz choice, where it is not a
    cue but text: a choice is read aloud as 「첫 번째, (point:screen) …」."""
    if item.line:
        return
    for language in ("ko", "en"):
        for match in _BRACKETED.finditer(written(item.text, language) or ""):
            try:
                segments = parse_line(match.group()).segments
            except CueError:
                continue
            if any(isinstance(s, Cue | Pause) for s in segments):
                yield Finding(
                    _where(item, language),
                    "L5 cue-in-text",
                    f"「{match.group()}」: 여기서는 신호가 아니라 글자로 읽혀요; 지우거나 "
                    "질문이나 설명 줄로 옮겨 주세요",
                    f"'{match.group()}' is not a cue here: it is shown and read aloud as "
                    "text; remove it or move it to the question or a narration",
                )


# ---- L6 -------------------------------------------------------------------------------


def english(item: TextAt) -> Iterator[Finding]:
    """L6: English missing, or much longer than its Korean (it must still fit the 10-inch
    tablet): more than MAX_ENGLISH_RATIO times the Korean's characters."""
    if not item.text.en:
        yield Finding(
            item.loc,
            "L6 english",
            "영어가 없어요: en: 을 적어 주세요",
            "English is missing: add en:",
        )
        return
    ko, en = said(item.text, "ko"), said(item.text, "en")
    if len(en) > ENGLISH_SHORT and len(en) > MAX_ENGLISH_RATIO * len(ko):
        yield Finding(
            _where(item, "en"),
            "L6 english",
            f"영어가 한국어보다 너무 길어요 ({len(en)}자 / {len(ko)}자): 짧게 줄여 주세요",
            f"English is much longer than the Korean ({len(en)} against {len(ko)} "
            f"characters, at most {MAX_ENGLISH_RATIO:g}×): shorten it to fit the tablet",
        )


# ---- L9 -------------------------------------------------------------------------------


def plain_words(item: TextAt) -> Iterator[Finding]:
    """L9: a word a senior may mishear or not know (「세워서 드세요」 is also heard as "eat
    it"; 터치, 스와이프), outside quotes, with the plain word to use."""
    if not item.spoken:
        return
    text = _QUOTED.sub("「」", said(item.text, "ko"))
    for word, plain in PLAIN_WORDS.items():
        if re.search(rf"(?<![가-힣]){word}", text):
            yield Finding(
                _where(item, "ko"),
                "L9 plain-word",
                f"「{word}」: 어르신이 잘못 듣거나 모르실 수 있어요. 「{plain}」로 바꿔 주세요",
                f"'{word}' may be misheard or unknown to a senior: say {plain} instead",
            )


TEXT_RULES = (
    sentence_length,
    polite_speech,
    sentence_before_cue,
    spoken_forms,
    cue_in_plain_text,
    english,
    plain_words,
)


# ---- L7 -------------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    return "".join(text.split())


def glossary(lesson: Lesson) -> Iterator[Finding]:
    """L7: one thing called by two names in one lesson (「전원 버튼」 and later 「측면 버튼
    (전원)」). The first name the lesson uses is its name; two names in one sentence
    explain each other and are fine."""
    chosen: dict[int, str] = {}
    for item in texts_of(lesson):
        for sentence in sentences(said(item.text, "ko")):
            flat = _squeeze(sentence)
            for g, names in enumerate(GLOSSARY):
                used = [n for n in names if _squeeze(n) in flat]
                if not used:
                    continue
                first = chosen.setdefault(g, used[0])
                if len(used) == 1 and used[0] != first:
                    yield Finding(
                        _where(item, "ko"),
                        "L7 glossary",
                        f"「{used[0]}」: 이 수업에서는 「{first}」라고 불렀어요. "
                        "한 이름으로 맞춰 주세요",
                        f"'{used[0]}' names what this lesson called '{first}' before: use one name",
                    )
