#!/usr/bin/env python3
"""Render a deploy template: `render.py TEMPLATE OUT key=value ...` (${key} → value).

Stops with the name of any placeholder left without a value.
"""

from __future__ import annotations

import string
import sys
from pathlib import Path


def render(template: Path, values: dict[str, str]) -> str:
    try:
        return string.Template(template.read_text()).substitute(values)
    except KeyError as exc:
        raise SystemExit(f"{template}: no value for ${{{exc.args[0]}}}") from None


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        raise SystemExit(__doc__)
    values = dict(arg.split("=", 1) for arg in argv[2:])
    out = Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(Path(argv[0]), values))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
