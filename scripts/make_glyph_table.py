"""Write lessons/glyphs.txt: the characters the kiosk's fonts draw, as code point ranges.

The kiosk draws text in NanumGothic (Debian's fonts-nanum) and, for the symbols it lacks
(⌫ ✓ − ☀ …), in DejaVu Sans (fonts-dejavu-core); colour emoji it cannot draw at all (Kivy's
SDL2 text renderer crashes on Noto Color Emoji). `lessons check` names every character of
a lesson that neither font draws, and the kiosk picks DejaVu for the runs Nanum lacks, both
from this table, so that neither needs the fonts or a font library to decide.

    .venv/bin/pip install -e '.[pictures]'     # fontTools
    .venv/bin/python scripts/make_glyph_table.py
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from fontTools.ttLib import TTFont

NANUM = ("/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
         "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf")  # fmt: skip
DEJAVU = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
          "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")  # fmt: skip
OUT = Path(__file__).parents[1] / "lessons" / "glyphs.txt"


def drawn(paths: Iterable[str]) -> set[int]:
    """The code points every one of the fonts (regular and bold) has a glyph for."""
    sets = [set(TTFont(path).getBestCmap()) for path in paths]
    return set.intersection(*sets)


def ranges(points: set[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for point in sorted(points):
        if out and point == out[-1][1] + 1:
            out[-1] = (out[-1][0], point)
        else:
            out.append((point, point))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    nanum = drawn(NANUM)
    fallback = drawn(DEJAVU) - nanum
    lines = ["# written by scripts/make_glyph_table.py: code point ranges (hex) the kiosk draws"]
    for name, points in (("nanum", nanum), ("fallback", fallback)):
        lines.append(f"[{name}]")
        lines += [f"{a:04X}-{b:04X}" if a != b else f"{a:04X}" for a, b in ranges(points)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(nanum)} code points in NanumGothic, {len(fallback)} more in DejaVu")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
