"""`sarangbang-lessons lint`: the content linter — what a careful editor checks in a lesson
once the checker (`check`) has found it well formed: sentences a senior follows in one
breath, polite speech, cues that do not glue sentences together, words the voice can say,
cues where they are read as text, English that fits, one name for one thing, and no unsafe
practice. The rules are in lessons/lint_rules.py and lessons/lint_safety.py; the numbers and
tables, with their sources, in lessons/lint_words.py; the writer's guide is the "Lint"
section of docs/lesson-format.md.

A baseline file lists findings that are known and not yet fixed (one
`FILE: FIELD: RULE` a line, FILE inside the library); they are not reported, a finding not
in it fails, and a baseline entry that is no longer found fails too, so the baseline only
shrinks. The goal is an empty baseline.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lessons.library import Library, check_library, field_path, library_root_of, step_name
from lessons.lint_rules import TEXT_RULES, Finding, glossary, texts_of
from lessons.lint_safety import unsafe
from lessons.model import Lesson
from lessons.yaml_source import YamlError, load_yaml


@dataclass(frozen=True, order=True)
class LintProblem:
    """A finding placed in its file: `FILE:LINE: field: [rule] 한국어 / English`."""

    file: Path
    line: int
    field: str
    rule: str
    message: str
    step: str = dataclasses.field(
        default="", compare=False
    )  # "step 4, 'answer-call'", as in `check`

    def __str__(self) -> str:
        name = f"{self.field} ({self.step})" if self.step else self.field
        return f"{self.file}:{self.line}: {name}: {self.message}"

    def key(self, root: Path) -> str:
        """How the baseline names it: file inside the library, field and rule (no line, so
        that an edit above it does not make it new)."""
        try:
            name = self.file.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            name = self.file.as_posix()
        return f"{name}: {self.field}: {self.rule}"


def lint_lesson(lesson: Lesson, library: Library) -> list[Finding]:
    """Every finding of every rule in one lesson, in the order of the rules."""
    found: list[Finding] = []
    for item in texts_of(lesson):
        for rule in TEXT_RULES:
            found.extend(rule(item))
    found.extend(glossary(lesson))
    found.extend(unsafe(lesson, library.screens))
    return found


def _lesson_file(root: Path, lesson_id: str) -> Path:
    folder = root / "lessons"
    return next(
        (p for p in (folder / f"{lesson_id}.yaml", folder / f"{lesson_id}.yml") if p.is_file()),
        folder / f"{lesson_id}.yaml",
    )


def lint_library(library: Library) -> list[LintProblem]:
    """Lint every lesson of a loaded library; each finding with its file and line."""
    problems: list[LintProblem] = []
    for lesson_id in sorted(library.lessons):
        path = _lesson_file(library.root, lesson_id)
        try:
            source = load_yaml(path)
        except YamlError:  # the checker reports it
            continue
        for finding in lint_lesson(library.lessons[lesson_id], library):
            problems.append(
                LintProblem(
                    path,
                    source.line_of(finding.loc),
                    field_path(finding.loc),
                    finding.rule.split()[0],
                    finding.message,
                    step_name(field_path(finding.loc), source.data),
                )
            )
    return sorted(problems)


def read_baseline(path: Path) -> Counter[str]:
    """The baseline's entries (a line each; `#` starts a comment), counted."""
    if not path.is_file():
        return Counter()
    entries = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return Counter(entry for entry in entries if entry)


def baseline_text(problems: Iterable[LintProblem], root: Path) -> str:
    """A baseline listing `problems` (sorted, one a line) with a header saying what it is."""
    lines = sorted(problem.key(root) for problem in problems)
    header = (
        "# Known lint findings not fixed yet (sarangbang-lessons lint --baseline).\n"
        "# This list only shrinks: fix a finding and delete its line. The goal is an empty file.\n"
    )
    return header + "".join(f"{line}\n" for line in lines)


def run_lint(
    paths: Sequence[Path], baseline: Path | None = None, write_baseline: Path | None = None
) -> int:
    """Lint each library (or the library around each file); print every finding not in the
    baseline; 1 if any, or if a baseline entry is no longer found (delete it)."""
    failed = False
    all_problems: list[LintProblem] = []
    roots = list(dict.fromkeys(library_root_of(p) for p in paths))
    for missing in (p for p in paths if not p.exists()):
        print(f"{missing}: no such file or folder", file=sys.stderr)
        return 1
    lessons = 0
    for root in roots:
        # the walk for dead ends is check's (seconds of CPU); lint reads the words
        library, check_problems = check_library(root, walk=False)
        if check_problems:
            print(
                f"{root}: {len(check_problems)} problem(s) from 'check' — lessons with them "
                "are not linted (run: sarangbang-lessons check)",
                file=sys.stderr,
            )
        wanted = [p.resolve() for p in paths if p.is_file()]
        found = [p for p in lint_library(library) if not wanted or p.file.resolve() in wanted]
        lessons += sum(
            1 for i in library.lessons if not wanted or _lesson_file(root, i).resolve() in wanted
        )
        all_problems.extend(found)
        known = read_baseline(baseline) if baseline else Counter()
        seen: Counter[str] = Counter()
        for problem in found:
            key = problem.key(root)
            seen[key] += 1
            if seen[key] > known[key] and not write_baseline:
                print(problem)
                failed = True
        if baseline and not wanted and not write_baseline:
            for key, count in sorted((known - seen).items()):
                print(
                    f"{baseline}: '{key}' is fixed ({count}×): 고쳐졌어요, 이 줄을 지워 주세요 / "
                    "delete this line from the baseline",
                )
                failed = True
    if write_baseline:
        root = roots[0]
        write_baseline.write_text(baseline_text(all_problems, root), encoding="utf-8")
        print(f"wrote {len(all_problems)} finding(s) to {write_baseline}")
        return 0
    by_rule = Counter(p.rule for p in all_problems)
    summary = ", ".join(f"{rule} {n}" for rule, n in sorted(by_rule.items())) or "none"
    print(f"lint: {lessons} lessons, {len(all_problems)} finding(s) ({summary})", file=sys.stderr)
    if lessons == 0:
        print("no lessons were linted", file=sys.stderr)
        return 1
    return 1 if failed else 0
