"""Load and check a lesson library: lessons/, screens/ and pictures/ under one folder.

Every problem names its file, line and field, and all problems are reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from lessons import BUNDLED_LIBRARY as BUNDLED_LIBRARY  # re-exported
from lessons.mock_check import MockChecker
from lessons.model import Lesson, Practice, Quiz, Screen
from lessons.png import PictureError, png_size
from lessons.tracks import track_problem, track_tags
from lessons.yaml_source import Loc, Source, YamlError, load_yaml

_PRACTICE_PICTURE = (
    "a practice step shows no picture: its simulated screen needs the room "
    "(give the picture to the narration step before it)"
)
_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True, order=True)
class Problem:
    file: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


class LibraryError(Exception):
    """The library has problems; `problems` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass
class Library:
    root: Path
    lessons: dict[str, Lesson] = field(default_factory=dict)
    screens: dict[str, Screen] = field(default_factory=dict)

    def picture(self, name: str) -> Path:
        return self.root / "pictures" / name

    def screen_for(self, lesson_id: str, step_index: int) -> Screen:
        practice = self.lessons[lesson_id].steps[step_index].practice
        assert practice is not None, "only practice steps have a screen"
        return self.screens[practice.screen]


def field_path(loc: Loc) -> str:
    """('steps', 3, 'practice', 'target') -> 'steps[3].practice.target'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def load_library(root: Path = BUNDLED_LIBRARY, *, walk: bool = False) -> Library:
    """Load the library at `root`; raise LibraryError listing every problem. The walk for
    dead ends is left out unless asked for: it takes a second or two of a center box's CPU,
    and a library is walked by `sarangbang-lessons check` (and the tests) before it ships."""
    library, problems = check_library(root, walk=walk)
    if problems:
        raise LibraryError(problems)
    return library


def check_library(root: Path, *, walk: bool = True) -> tuple[Library, list[Problem]]:
    """Load what is valid and collect every problem in the library at `root` (`walk`: also
    walk each practice's states for dead ends)."""
    checker = _Checker(Library(root), walk)
    checker.run()
    return checker.library, sorted(set(checker.problems))


def library_root_of(path: Path) -> Path:
    """The library folder for a lesson/screen file or folder given on the command line."""
    path = path.resolve()
    for candidate in [path, *path.parents]:
        if (candidate / "lessons").is_dir() or (candidate / "screens").is_dir():
            return candidate
    return path if path.is_dir() else path.parent


class _Checker:
    def __init__(self, library: Library, walk: bool = True) -> None:
        self.library = library
        self.problems: list[Problem] = []
        self.sources: dict[str, Source] = {}  # lessons' files by lesson id
        self.screen_sources: dict[str, Source] = {}  # a screen may share a lesson's id
        self.mocks = MockChecker(
            library.screens, self.screen_sources, self.report, self._check_picture, walk=walk
        )

    def report(self, source: Source, loc: Loc, message: str) -> None:
        self.problems.append(Problem(source.path, source.line_of(loc), field_path(loc), message))

    def run(self) -> None:
        root = self.library.root
        if not (root / "lessons").is_dir():
            self.problems.append(Problem(root, 0, "", "no 'lessons' folder here"))
        for path in _yaml_files(root / "screens"):
            screen = self._load(path, Screen)
            if screen:
                self._add_screen(screen)
        for path in _yaml_files(root / "lessons"):
            lesson = self._load(path, Lesson)
            if lesson:
                self._add_lesson(lesson)
        self.mocks.check_screens()
        for lesson in self.library.lessons.values():
            self._check_lesson(lesson, self.sources[lesson.id])
        self.mocks.check_unreached_screens()
        self._check_cycles()
        self._check_tracks()

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
        self.library.screens[screen.id] = screen

    def _add_lesson(self, lesson: Lesson) -> None:
        self.library.lessons[lesson.id] = lesson

    def _check_lesson(self, lesson: Lesson, source: Source) -> None:
        seen: set[str] = set()
        for i, step in enumerate(lesson.steps):
            if step.id in seen:
                self.report(source, ("steps", i, "id"), f"duplicate step id '{step.id}'")
            seen.add(step.id)
            if step.practice:
                self._check_practice(step.practice, source, i)
            if step.quiz:
                self._check_quiz(step.quiz, source, ("steps", i, "quiz", "answer"))
            if step.show and step.show.picture:
                loc: Loc = ("steps", i, "show", "picture")
                self._check_picture(step.show.picture, source, loc)
                if step.practice:
                    self.report(source, loc, _PRACTICE_PICTURE)
        if lesson.picture:
            self._check_picture(lesson.picture, source, ("picture",))
        for i, required in enumerate(lesson.requires):
            loc = ("requires", i)
            if required == lesson.id:
                self.report(source, loc, "a lesson cannot require itself")
            elif required not in self.library.lessons:
                self.report(source, loc, f"no lesson '{required}' in the library")

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
        if screen_id not in self.library.screens:
            known = ", ".join(sorted(self.library.screens)) or "none"
            self.report(
                source, (*practice_loc, "screen"), f"no screen '{screen_id}' (known: {known})"
            )
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
