#!/usr/bin/env python3
"""Render a deploy template: `render.py TEMPLATE OUT key=value ... key@=FILE ...`.

`${key}` becomes `value`; with `key@=FILE` it becomes FILE's content (a password stays off
the command line, where `ps` and the shell history would show it). OUT is written readable
by its owner and group only (0640). Stops with the name of any placeholder left without a
value.
"""

from __future__ import annotations

import os
import string
import sys
from pathlib import Path


def render(template: Path, values: dict[str, str]) -> str:
    try:
        return string.Template(template.read_text()).substitute(values)
    except KeyError as exc:
        raise SystemExit(f"{template}: no value for ${{{exc.args[0]}}}") from None


def parse_values(args: list[str]) -> dict[str, str]:
    """`key=value` and `key@=FILE` arguments as a dict of values."""
    values: dict[str, str] = {}
    for arg in args:
        key, sep, value = arg.partition("=")
        if not sep:
            raise SystemExit(f"not key=value or key@=FILE: {arg!r}")
        if key.endswith("@"):
            try:
                key, value = key[:-1], Path(value).read_text().strip()
            except OSError as exc:
                raise SystemExit(f"{key[:-1]}: cannot read {value}: {exc.strerror}") from None
        values[key] = value
    return values


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        raise SystemExit(__doc__)
    text = render(Path(argv[0]), parse_values(argv[2:]))
    out = Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.touch(mode=0o640, exist_ok=True)
    os.chmod(out, 0o640)
    out.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
