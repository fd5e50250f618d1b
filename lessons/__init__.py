"""Sarangbang lessons: the lesson format, the bundled library and the lesson session.

Only the two names below live here, so that a program can know the languages and where the
bundled library is without importing pydantic and the models (the kiosk's first frame).
"""

from pathlib import Path
from typing import Literal

Language = Literal["ko", "en"]
BUNDLED_LIBRARY = Path(__file__).parent / "library"
