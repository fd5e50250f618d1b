"""The checks behind `lessons check` and `load_library`: every lesson and screen file of a
library read, validated and cross-checked (cues, pictures, lengths, tracks, each practice
played through its screens), each problem with its file, line and field (`Problem`).

Apart from lessons/library.py, which holds the library and its problems and calls this.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from lessons.check_messages import names_like
from lessons.cues import Cue, CueError, Pause, parse_line
from lessons.glyph_check import glyph_problems, screen_texts
from lessons.hangul import with_topic
from lessons.library import Library, Problem, field_path, step_name
from lessons.lint_rules import TextAt, texts_of_step
from lessons.lint_words import MAX_ENGLISH_RATIO, MAX_TEXT_CHARS
from lessons.mock_check import MockChecker
from lessons.model import Lesson, Practice, Quiz, Screen, Step
from lessons.png import PictureError, png_size
from lessons.tracks import track_problem, track_tags
from lessons.yaml_source import Loc, Source, YamlError, load_yaml

_PRACTICE_PICTURE = (
    "a practice step shows no picture: its simulated screen needs the room "
    "(give the picture to the narration step before it)"
)
_M = TypeVar("_M", bound=BaseModel)


class LibraryChecker:
    def __init__(
        self,
        library: Library,
        walk: bool | frozenset[Path] = True,
        files: tuple[list[Path], list[Path]] | None = None,
    ) -> None:
        self.library = library
        self.files = files  # (screens, lessons) to check instead of the library's folders
        self.problems: list[Problem] = []
        self.broken_screens: dict[str, Path] = {}  # screen files that did not load, by name
        # lessons that did not load: the steps that did, checked all the same
        self.partial: list[tuple[Source, list[tuple[int, Step]]]] = []
        self.sources: dict[str, Source] = {}  # lessons' files by lesson id
        self.screen_sources: dict[str, Source] = {}  # a screen may share a lesson's id
        self.mocks = MockChecker(
            library.screens, self.screen_sources, self.report, self._check_picture, walk=walk
        )

    def report(self, source: Source, loc: Loc, message: str, ko: str = "") -> None:
        name = field_path(loc)
        self.problems.append(
            Problem(
                source.path, source.line_of(loc), name, message, step_name(name, source.data), ko
            )
        )

    def run(self) -> None:
        root = self.library.root
        if self.files is not None:
            screen_files, lesson_files = self.files
        else:
            screen_files, lesson_files = (
                _yaml_files(root / "screens"),
                _yaml_files(root / "lessons"),
            )
            if not (root / "lessons").is_dir():
                self.problems.append(
                    Problem(
                        root,
                        0,
                        "",
                        "no 'lessons' folder here: give a library folder (with lessons/ and "
                        "screens/ in it) or a lesson file",
                        ko="여기에 'lessons' 폴더가 없어요: lessons/ 와 screens/ 가 든 폴더나 "
                        "수업 파일을 주세요",
                    )
                )
            for folder in (root / "screens", root / "lessons"):
                self._misnamed(folder)
        for path in screen_files:
            screen = self._load(path, Screen)
            if screen:
                self._add_screen(screen)
            else:
                self.broken_screens[path.stem] = path
        for path in lesson_files:
            lesson = self._load(path, Lesson)
            if lesson:
                self._add_lesson(lesson)
        self.mocks.check_screens()
        for lesson in self.library.lessons.values():
            self._check_lesson(lesson, self.sources[lesson.id])
        for source, steps in self.partial:
            self._check_steps(steps, source)
        self.mocks.check_unreached_screens()
        self._check_cycles()
        self._check_tracks()

    def _misnamed(self, folder: Path) -> None:
        """A file in lessons/ or screens/ meant as YAML but not read, its name not ending in
        .yaml (an editor's `hello.yaml.txt`, `hello.YAML`): the library would pass without it."""
        if not folder.is_dir():
            return
        for path in sorted(folder.iterdir()):
            match = _YAML_NAME.match(path.name)
            if not path.is_file() or not match or path.suffix in (".yaml", ".yml"):
                continue
            fixed = f"{match[1]}.{match[2].lower()}"
            self.problems.append(
                Problem(
                    path,
                    0,
                    "",
                    f"not read: the name must end in .yaml; rename it to '{fixed}'",
                    ko=f"읽지 않았어요: 파일 이름이 .yaml 로 끝나야 해요; '{fixed}' 로 이름을 "
                    "바꿔 주세요",
                )
            )

    def _load(self, path: Path, model: type[_M]) -> _M | None:
        try:
            source = load_yaml(path)
        except YamlError as exc:
            self.problems.append(Problem(path, exc.line, "", exc.message))
            return None
        try:
            item = model.model_validate(source.data)
        except ValidationError as exc:
            for error in exc.errors():
                self.report(source, tuple(error["loc"]), _plain_message(error))
            if model is Lesson:
                self._keep_valid_steps(source, path)
            return None
        item_id = getattr(item, "id")  # noqa: B009 - both models have an id
        if item_id != path.stem:
            self.report(source, ("id",), f"id '{item_id}' must match the file name '{path.name}'")
        (self.screen_sources if model is Screen else self.sources)[item_id] = source
        return item

    def _add_screen(self, screen: Screen) -> None:
        source = self.screen_sources[screen.id]
        seen: set[str] = set()
        for i, element in enumerate(screen.elements):
            if element.id in seen:
                self.report(source, ("elements", i, "id"), f"duplicate element id '{element.id}'")
            seen.add(element.id)
        self._check_screen_glyphs(screen, source)
        self.library.screens[screen.id] = screen

    def _add_lesson(self, lesson: Lesson) -> None:
        self.library.lessons[lesson.id] = lesson

    def _keep_valid_steps(self, source: Source, path: Path) -> None:
        """A lesson that is not valid as a whole: its id against its file name and the steps
        that are valid on their own are still checked, so that every problem is reported at
        once, not the first few and then the rest after they are fixed."""
        data = source.data if isinstance(source.data, dict) else {}
        lesson_id = data.get("id")
        if isinstance(lesson_id, str) and lesson_id != path.stem:
            self.report(source, ("id",), f"id '{lesson_id}' must match the file name '{path.name}'")
        raw_steps = data.get("steps")
        steps: list[Any] = raw_steps if isinstance(raw_steps, list) else []
        valid: list[tuple[int, Step]] = []
        for i, raw in enumerate(steps):
            try:
                valid.append((i, Step.model_validate(raw)))
            except ValidationError:
                continue  # its errors are reported with the lesson's
        self.partial.append((source, valid))

    def _check_lesson(self, lesson: Lesson, source: Source) -> None:
        self._check_steps(list(enumerate(lesson.steps)), source)
        if lesson.picture:
            self._check_picture(lesson.picture, source, ("picture",))
        for item in _lesson_texts(lesson):
            self._check_text(item, source)
        for i, required in enumerate(lesson.requires):
            loc = ("requires", i)
            if required == lesson.id:
                self.report(source, loc, "a lesson cannot require itself")
            elif required not in self.library.lessons:
                self.report(source, loc, f"no lesson '{required}' in the library")

    def _check_steps(self, steps: list[tuple[int, Step]], source: Source) -> None:
        seen: set[str] = set()
        for i, step in steps:
            if step.id in seen:
                self.report(source, ("steps", i, "id"), f"duplicate step id '{step.id}'")
            seen.add(step.id)
            for item in texts_of_step(step, i):
                self._check_text(item, source)
            if step.practice:
                self._check_practice(step.practice, source, i)
            if step.quiz:
                self._check_quiz(step.quiz, source, ("steps", i, "quiz", "answer"))
            if step.show and step.show.picture:
                loc: Loc = ("steps", i, "show", "picture")
                self._check_picture(step.show.picture, source, loc)
                if step.practice:
                    self.report(source, loc, _PRACTICE_PICTURE)

    def _check_text(self, item: TextAt, source: Source) -> None:
        """A text longer than can fit the tablet (MAX_TEXT_CHARS), and a robot cue where it
        is not a cue but text (a quiz choice is read aloud as 「첫 번째, (point:screen) …」)."""
        limit = MAX_TEXT_CHARS[item.kind]
        for language, most in (("ko", limit), ("en", int(limit * MAX_ENGLISH_RATIO))):
            written = item.text.ko if language == "ko" else item.text.en
            if not written:
                continue
            length = len(_shown(written))
            loc = (*item.loc, language)
            if length > most:
                self.report(
                    source,
                    loc,
                    f"too long to fit the tablet: {length} characters, at most {most} for "
                    f"{_KIND_EN[item.kind]}: shorten it or split it into two steps",
                    f"너무 길어서 화면에 다 안 들어가요: {length}자, "
                    f"{with_topic(_KIND_KO[item.kind])} {most}자까지예요: "
                    "줄이거나 두 단계로 나눠 주세요",
                )
            self._check_glyphs(written, source, loc)
            if item.kind == "choice":
                for cue in _cues_in(written):
                    self.report(
                        source,
                        loc,
                        f"'{cue}' in a quiz choice is not a cue: it would be shown and read "
                        "aloud as text; take it out (put a cue in the question instead)",
                        f"「{cue}」: 보기에서는 신호가 아니라 글자로 읽혀요; 지우고 신호는 질문에 "
                        "넣어 주세요",
                    )

    def _check_glyphs(self, text: str, source: Source, loc: Loc) -> None:
        for message, ko in glyph_problems(text):
            self.report(source, loc, message, ko)

    def _check_screen_glyphs(self, screen: Screen, source: Source) -> None:
        for loc, text in screen_texts(screen):
            self._check_glyphs(text, source, loc)

    def _check_picture(self, name: str, source: Source, loc: Loc) -> None:
        path = self.library.picture(name)
        if not path.is_file():
            self.report(source, loc, f"no picture file '{name}' in {path.parent}")
            return
        try:
            png_size(path)
        except PictureError as exc:
            self.report(source, loc, f"'{name}' {exc}")

    def _check_practice(self, practice: Practice, source: Source, step: int) -> None:
        practice_loc: Loc = ("steps", step, "practice")
        screen_id = practice.screen
        if screen_id in self.broken_screens:
            path = self.broken_screens[screen_id]
            self.report(
                source,
                (*practice_loc, "screen"),
                f"the screen file {path} has problems, so this practice cannot be checked: "
                f"fix it first (run: sarangbang-lessons check {path})",
                f"화면 파일 {path} 에 문제가 있어서 이 연습을 확인할 수 없어요: 그 파일을 먼저 "
                f"고쳐 주세요 (sarangbang-lessons check {path})",
            )
            return
        if screen_id not in self.library.screens:
            known = names_like(screen_id, self.library.screens)
            self.report(source, (*practice_loc, "screen"), f"no screen '{screen_id}' ({known})")
            return
        self.mocks.check_practice(practice, source, practice_loc)

    def _check_quiz(self, quiz: Quiz, source: Source, loc: Loc) -> None:
        answers = quiz.answer if isinstance(quiz.answer, list) else [quiz.answer]
        listed = isinstance(quiz.answer, list)
        for j, answer in enumerate(answers):
            where = (*loc, j) if listed else loc
            if answer > len(quiz.choices):
                self.report(
                    source,
                    where,
                    f"answer {answer} is out of range: there are {len(quiz.choices)} choices",
                )
            elif answer in answers[:j]:
                self.report(source, where, f"answer {answer} is given twice")
        if quiz.answers >= set(range(1, len(quiz.choices) + 1)):
            self.report(source, loc, "every choice is right: give at least one wrong choice")

    def _check_tracks(self) -> None:
        """A library that uses tracks puts each lesson in exactly one (lessons/tracks.py);
        one that uses none (a writer's first lessons, a test's) is not asked for them."""
        lessons = self.library.lessons.values()
        if not any(track_tags(lesson.tags) for lesson in lessons):
            return
        for lesson in lessons:
            problem = track_problem(lesson)
            if problem:
                self.report(self.sources[lesson.id], ("tags",), problem)

    def _check_cycles(self) -> None:
        lessons = self.library.lessons
        state: dict[str, str] = {}

        def visit(lesson_id: str, trail: list[str]) -> None:
            state[lesson_id] = "visiting"
            for i, required in enumerate(lessons[lesson_id].requires):
                if required not in lessons or state.get(required) == "done":
                    continue
                if state.get(required) == "visiting":
                    cycle = [*trail[trail.index(required) :], required]
                    self.report(
                        self.sources[lesson_id],
                        ("requires", i),
                        f"'requires' goes round in a circle: {' → '.join(cycle)}",
                    )
                    continue
                visit(required, [*trail, required])
            state[lesson_id] = "done"

        for lesson_id in sorted(lessons):
            if lesson_id not in state:
                visit(lesson_id, [lesson_id])


_KIND_EN = {
    "title": "a title",
    "summary": "a summary",
    "show": "shown text",
    "say": "a narration",
    "instruction": "an instruction",
    "hint": "a hint",
    "wrong": "a wrong-answer line",
    "success": "a success line",
    "question": "a question",
    "right": "a right-answer line",
    "choice": "a quiz choice",
}
_KIND_KO = {
    "title": "제목",
    "summary": "요약",
    "show": "화면 글",
    "say": "설명",
    "instruction": "안내",
    "hint": "도움말",
    "wrong": "틀렸을 때 말",
    "success": "잘했을 때 말",
    "question": "질문",
    "right": "맞혔을 때 말",
    "choice": "보기",
}
_YAML_NAME = re.compile(r"^(.+?)\.(yaml|yml)\b", re.IGNORECASE)
_BRACKETED = re.compile(r"(?<!\[)\[([^\[\]]+)\](?!\])")


def _lesson_texts(lesson: Lesson) -> list[TextAt]:
    return [
        TextAt(("title",), lesson.title, False, False, "title"),
        TextAt(("summary",), lesson.summary, False, False, "summary"),
    ]


def _shown(text: str) -> str:
    """A text as shown, robot cues left out."""
    try:
        return parse_line(text).spoken_text
    except CueError:
        return text


def _cues_in(text: str) -> list[str]:
    """The robot cues and pauses written in a text that is not a line (a quiz choice)."""
    found = []
    for match in _BRACKETED.finditer(text):
        try:
            segments = parse_line(match.group()).segments
        except CueError:
            continue
        if any(isinstance(s, Cue | Pause) for s in segments):
            found.append(match.group())
    return found


def _yaml_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def _plain_message(error: Any) -> str:
    kind, message = error["type"], error["msg"]
    if kind == "missing":
        return "required, but missing"
    if kind == "extra_forbidden":
        return "unknown field (is it misspelt?)"
    if kind == "string_pattern_mismatch":
        return f"'{error['input']}' must be lowercase letters, digits and dashes, like 'video-call'"
    if kind == "value_error":
        return str(message).removeprefix("Value error, ")
    return str(message)
