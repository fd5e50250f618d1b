"""A small copy of the bundled library for tests that publish and fetch it (checking and
loading the whole library takes seconds; two lessons, a fraction of one)."""

from __future__ import annotations

import shutil
from pathlib import Path

from lessons import BUNDLED_LIBRARY

LESSONS = ("phone-call", "phone-basics")  # neither requires a lesson outside the two


def small_library(root: Path, lessons: tuple[str, ...] = LESSONS) -> Path:
    """`lessons` of the bundled library, with every screen and picture, at `root`."""
    shutil.copytree(BUNDLED_LIBRARY, root)
    for lesson in (root / "lessons").iterdir():
        if lesson.stem not in lessons:
            lesson.unlink()
    return root
