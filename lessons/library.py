"""Load and check a lesson library: lessons/, screens/ and pictures/ under one folder.

Every problem names its file, line and field, and all problems are reported at once.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lessons import BUNDLED_LIBRARY as BUNDLED_LIBRARY  # re-exported
from lessons.model import Lesson, Screen
from lessons.yaml_source import Loc, YamlError, load_yaml


@dataclass(frozen=True, order=True)
class Problem:
    """A problem in a file: where, and what to do in English (`message`) and, when the
    checker has it, Korean (`ko`; else lessons/check_messages.py translates `message`).
    `step` names a step the way a writer counts: "step 4, 'answer-call'" for `steps[3]`."""

    file: Path
    line: int
    field: str
    message: str
    step: str = dataclasses.field(default="", compare=False)
    ko: str = dataclasses.field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}: {where}{self.message}"

    def render(self, language: str = "both") -> str:
        """As `check` prints it: `FILE:LINE: FIELD (step N, 'id'): 한국어 / English`
        (`language`: ko, en or both)."""
        from lessons.check_messages import korean

        ko = self.ko or korean(self.message)
        if language == "en" or not ko:
            text = self.message
        else:
            text = ko if language == "ko" else f"{ko} / {self.message}"
        name = f"{self.field} ({self.step})" if self.step else self.field
        where = f"{name}: " if name else ""
        return f"{self.file}:{self.line}: {where}{text}"


_STEP = re.compile(r"^steps\[(\d+)\]")


def step_name(field_name: str, data: Any) -> str:
    """How a writer names the step a field is in: `steps[3]…` → "step 4, 'answer-call'"
    (the file counts from 0, a writer and the kiosk from 1); "" outside the steps."""
    match = _STEP.match(field_name)
    if not match:
        return ""
    i = int(match[1])
    steps = data.get("steps") if isinstance(data, dict) else None
    step = steps[i] if isinstance(steps, list) and i < len(steps) else None
    step_id = step.get("id") if isinstance(step, dict) else None
    return f"step {i + 1}, '{step_id}'" if isinstance(step_id, str) else f"step {i + 1}"


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


def check_library(
    root: Path, *, walk: bool | frozenset[Path] = True
) -> tuple[Library, list[Problem]]:
    """Load what is valid and collect every problem in the library at `root` (`walk`: also
    walk each practice's states for dead ends; a set of resolved lesson paths: only theirs)."""
    from lessons.library_check import LibraryChecker  # it reports in this module's terms

    checker = LibraryChecker(Library(root), walk)
    checker.run()
    return checker.library, sorted(set(checker.problems))


def check_files(paths: list[Path], *, walk: bool = True) -> tuple[Library, list[Problem]]:
    """Check lesson and screen files on their own, with no library around them: a file in a
    folder named `screens`, or with `elements:`, is a screen; any other a lesson."""
    screens: list[Path] = []
    lessons: list[Path] = []
    for path in paths:
        try:
            data = load_yaml(path).data
        except YamlError:
            data = None
        is_screen = path.parent.name == "screens" or (isinstance(data, dict) and "elements" in data)
        (screens if is_screen else lessons).append(path)
    root = paths[0].resolve().parent if paths else Path()
    from lessons.library_check import LibraryChecker

    checker = LibraryChecker(Library(root), walk, (screens, lessons))
    checker.run()
    return checker.library, sorted(set(checker.problems))


def library_root_of(path: Path) -> Path:
    """The library folder for a lesson/screen file or folder given on the command line."""
    path = path.resolve()
    for candidate in [path, *path.parents]:
        if (candidate / "lessons").is_dir() or (candidate / "screens").is_dir():
            return candidate
    return path if path.is_dir() else path.parent
