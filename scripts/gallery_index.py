"""Write artifacts/practice/index.html: every screenshot the practice play-through took
(tests/kiosk_app/test_practice_play.py: one per distinct state of the simulated app), side by
side by lesson and step, so a writer or reviewer can see every screen state of the library
without running a lesson. `make gallery` plays the library and then runs this."""

from __future__ import annotations

import html
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "practice"
# {screen}-{language}-{size}-{lesson}-{step}-{n}.png, as test_practice_play names them
NAME = re.compile(
    r"^(?P<screen>.+?-\d+x\d+)-(?P<lang>ko|en)-(?P<size>\d)-(?P<lesson>.+)-(?P<step>\d+)-(?P<n>\d+)\Z"
)


def main() -> int:
    shots = sorted(SHOTS.glob("*.png"))
    if not shots:
        print(f"no screenshots in {SHOTS}: run `make gallery` (it plays the library first)")
        return 1
    groups: dict[tuple[str, str, str], list[tuple[int, int, Path]]] = defaultdict(list)
    for path in shots:
        found = NAME.match(path.stem)
        if found:
            key = (found["lesson"], found["screen"], f"{found['lang']}, text size {found['size']}")
            groups[key].append((int(found["step"]), int(found["n"]), path))
    parts = [
        "<!doctype html><meta charset=utf-8><title>Sarangbang practice gallery</title>",
        "<style>body{font-family:sans-serif;margin:1em}figure{display:inline-block;margin:4px;"
        "width:320px;vertical-align:top}img{width:100%;border:1px solid #999}"
        "figcaption{font-size:13px}</style>",
        f"<h1>Practice gallery: {len(shots)} states</h1>",
    ]
    for (lesson, screen, what), items in sorted(groups.items()):
        parts.append(
            f"<h2>{html.escape(lesson)} · {html.escape(screen)} · {html.escape(what)}</h2>"
        )
        for step, _, path in sorted(items):
            name = html.escape(path.name)
            parts.append(
                f'<figure><a href="{name}"><img loading=lazy src="{name}"></a>'
                f"<figcaption>step {step}</figcaption></figure>"
            )
    (SHOTS / "index.html").write_text("\n".join(parts), encoding="utf-8")
    print(f"{SHOTS / 'index.html'}: {len(shots)} screenshots in {len(groups)} groups")
    return 0


if __name__ == "__main__":
    sys.exit(main())
