"""`sarangbang-lessons` (`python -m lessons`): check or lint a library, print its schema, walk a
lesson."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from lessons.library import BUNDLED_LIBRARY, check_library, library_root_of
from lessons.model import Lesson, Screen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sarangbang-lessons", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate lesson and screen files or a library")
    check.add_argument("paths", nargs="*", type=Path, default=[BUNDLED_LIBRARY])

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
        return run_check(args.paths)
    if args.command == "lint":
        from lessons.lint import run_lint

        return run_lint(args.paths, args.baseline, args.write_baseline)
    if args.command == "schema":
        model = Screen if args.screen else Lesson
        print(json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2))
        return 0
    from lessons.terminal_walk import run_walk

    return run_walk(args.library, args.lesson, args.lang, args.auto)


def run_check(paths: Sequence[Path]) -> int:
    """Check each path (a file or a library folder); print every problem; 1 if any."""
    problems = []
    counts = {"lessons": 0, "screens": 0}
    for root in dict.fromkeys(library_root_of(p) for p in paths):
        library, found = check_library(root)
        wanted = [p.resolve() for p in paths if p.is_file() and library_root_of(p) == root]
        if wanted:
            found = [p for p in found if p.file.resolve() in wanted]
        problems.extend(found)
        counts["lessons"] += len(library.lessons)
        counts["screens"] += len(library.screens)
    for missing in (p for p in paths if not p.exists()):
        print(f"{missing}: no such file or folder", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"ok: {counts['lessons']} lessons, {counts['screens']} screens")
    return 0
