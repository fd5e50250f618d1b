"""`sarangbang-lessons` (`python -m lessons`): check or lint a library, print its schema, walk a
lesson."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from lessons.library import (
    BUNDLED_LIBRARY,
    Problem,
    check_files,
    check_library,
    library_root_of,
)
from lessons.model import Lesson, Screen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sarangbang-lessons", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate lesson and screen files or a library")
    check.add_argument("paths", nargs="*", type=Path, default=[BUNDLED_LIBRARY])
    check.add_argument(
        "--lang",
        choices=["ko", "en", "both"],
        default="both",
        help="the language of the messages (default: both, Korean / English)",
    )

    lint = commands.add_parser(
        "lint", help="check what a careful editor would (docs/lesson-format.md, 'Lint')"
    )
    lint.add_argument("paths", nargs="*", type=Path, default=[BUNDLED_LIBRARY])
    lint.add_argument(
        "--baseline", type=Path, help="known findings not to report (a file that only shrinks)"
    )
    lint.add_argument(
        "--write-baseline", type=Path, metavar="FILE", help="write today's findings to FILE"
    )

    schema = commands.add_parser("schema", help="print the JSON Schema of lesson (or screen) files")
    schema.add_argument("--screen", action="store_true", help="schema of practice screens")

    walk = commands.add_parser("walk", help="walk through a lesson in the terminal")
    walk.add_argument("lesson", nargs="?", help="lesson id (default: all, one after another)")
    walk.add_argument("--library", type=Path, default=BUNDLED_LIBRARY)
    walk.add_argument("--lang", choices=["ko", "en"], default="ko")
    walk.add_argument("--auto", action="store_true", help="answer every step by itself")

    args = parser.parse_args(argv)
    if args.command == "check":
        return run_check(args.paths, args.lang)
    if args.command == "lint":
        from lessons.lint import run_lint

        return run_lint(args.paths, args.baseline, args.write_baseline)
    if args.command == "schema":
        model = Screen if args.screen else Lesson
        print(json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2))
        return 0
    from lessons.terminal_walk import run_walk

    return run_walk(args.library, args.lesson, args.lang, args.auto)


def _in_a_library(path: Path) -> bool:
    root = library_root_of(path)
    return (root / "lessons").is_dir() or (root / "screens").is_dir()


def _not_yaml(path: Path) -> Problem:
    """A file given by name that is not a .yaml file: it is not checked, and says so."""
    stem, dot, _ = path.name.partition(".yaml")
    if dot:
        ko = f"파일 이름이 .yaml 로 끝나야 해요: '{stem}.yaml' 로 이름을 바꿔 주세요"
        en = f"not checked: the name must end in .yaml; rename it to '{stem}.yaml'"
    else:
        ko = "수업이나 화면 파일이 아니에요: 이름이 .yaml 로 끝나는 파일만 확인해요"
        en = "not checked: lesson and screen files are the ones whose name ends in .yaml"
    return Problem(path, 0, "", en, ko=ko)


NOTHING_CHECKED = (
    "확인한 수업이 하나도 없어요: 수업 파일(.yaml)이나 lessons/ 가 든 폴더를 주세요",
    "nothing was checked: give a lesson file (.yaml) or a library folder with lessons/ in it",
)


def run_check(paths: Sequence[Path], language: str = "both") -> int:
    """Check each path (a file or a library folder); print every problem; 1 if any, or if
    nothing was checked. A file is checked against the library around it (only its own
    problems are printed), or on its own when it is in none."""
    for missing in (p for p in paths if not p.exists()):
        print(f"{missing}: no such file or folder / 그런 파일이나 폴더가 없어요", file=sys.stderr)
        return 1
    problems: list[Problem] = []
    counts = {"lessons": 0, "screens": 0}
    files = [p for p in paths if p.is_file()]
    problems += [_not_yaml(p) for p in files if p.suffix not in (".yaml", ".yml")]
    files = [p for p in files if p.suffix in (".yaml", ".yml")]
    folders = [p for p in paths if p.is_dir()]
    in_library = [p for p in files if _in_a_library(p)]
    roots = [library_root_of(p) for p in [*folders, *in_library]]
    for root in dict.fromkeys(roots):
        wanted = [p.resolve() for p in in_library if library_root_of(p) == root]
        whole = any(library_root_of(f) == root for f in folders) or not wanted
        # a file in a library is checked against it all, but only its own practices are
        # walked for dead ends (the slow part: seconds for the whole library)
        library, found = check_library(root, walk=True if whole else frozenset(wanted))
        if whole:
            counts["lessons"] += len(library.lessons)
            counts["screens"] += len(library.screens)
        else:
            found = [p for p in found if p.file.resolve() in wanted]
            counts["screens"] += sum(1 for p in wanted if p.parent.name == "screens")
            counts["lessons"] += sum(1 for p in wanted if p.parent.name != "screens")
        problems.extend(found)
    alone = [p for p in files if not _in_a_library(p)]
    if alone:
        library, found = check_files(alone)
        problems.extend(found)
        counts["lessons"] += len(library.lessons)
        counts["screens"] += len(library.screens)
    for problem in problems:
        print(problem.render(language))
    if problems:
        print(f"{len(problems)} problem(s) found / 문제 {len(problems)}개", file=sys.stderr)
        return 1
    if not counts["lessons"] and not counts["screens"]:
        ko, en = NOTHING_CHECKED
        print({"ko": ko, "en": en}.get(language, f"{ko} / {en}"), file=sys.stderr)
        return 1
    print(f"ok: {plural(counts['lessons'], 'lesson')}, {plural(counts['screens'], 'screen')}")
    return 0


def plural(count: int, noun: str) -> str:
    """'1 lesson', '36 lessons'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
