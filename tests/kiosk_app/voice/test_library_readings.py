"""Every Korean line of the lesson library as the kiosk hands it to espeak-ng (read aloud,
then the sound changes written out: narration.for_espeak) and the phonemes espeak-ng makes
of it (`espeak-ng -v ko -q -x`), against the readings a person checked
(library_readings.tsv). A change in the library, the readers or espeak-ng fails here until
someone listens to the changed lines and accepts them:

    SARANGBANG_ACCEPT_READINGS=1 .venv/bin/python -m pytest \
        tests/kiosk_app/voice/test_library_readings.py

rewrites the file; `git diff` then shows what changed, line by line.
"""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kiosk_app.voice.narration import pieces
from kiosk_app.voice.prefetch import lesson_lines
from lessons.korean_reading import read_aloud
from lessons.library import load_library

READINGS = Path(__file__).with_name("library_readings.tsv")
HEADER = "# read aloud\tgiven to espeak-ng\tespeak-ng's phonemes (-v ko -x)\n"


def espeak_phonemes(text: str) -> str:
    done = subprocess.run(
        ["espeak-ng", "-v", "ko", "-q", "-x", text],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return " ".join(done.stdout.split())


def library_readings() -> list[tuple[str, str, str]]:
    """(read aloud, given to espeak-ng, phonemes) for every piece of every Korean line."""
    said: dict[str, str] = {}
    for lesson in load_library().lessons.values():
        for line in lesson_lines(lesson, "ko"):
            read = [p for p in pieces(line, "ko", read_aloud) if isinstance(p, str)]
            given = [p for p in pieces(line, "ko") if isinstance(p, str)]
            for plain, text in zip(read, given, strict=True):
                said.setdefault(text, plain)
    texts = sorted(said, key=lambda text: said[text])
    with ThreadPoolExecutor(2) as pool:
        phonemes = list(pool.map(espeak_phonemes, texts))
    return [(said[text], text, sound) for text, sound in zip(texts, phonemes, strict=True)]


def test_every_library_line_reads_as_a_person_checked() -> None:
    rows = library_readings()
    text = HEADER + "".join("\t".join(row) + "\n" for row in rows)
    if os.environ.get("SARANGBANG_ACCEPT_READINGS"):
        READINGS.write_text(text, "utf-8")
    known = READINGS.read_text("utf-8").splitlines()[1:]
    now = text.splitlines()[1:]
    gone, new = sorted(set(known) - set(now)), sorted(set(now) - set(known))
    assert not (gone or new), (
        f"{len(new)} readings changed or new, {len(gone)} gone; listen to them, then accept "
        "(see this test's docstring):\n"
        + "\n".join([*(f"- {row}" for row in gone[:10]), *(f"+ {row}" for row in new[:10])])
    )
    assert len(rows) > 900
