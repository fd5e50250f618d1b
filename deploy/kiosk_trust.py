"""Whose lesson libraries a kiosk takes, in the TOML install-center writes for it: the
`[library]` table with `trusted_keys = ["ed25519:…"]` (kiosk_app/config.py). A kiosk's TOML
is made once and then the operator's (its PIN, its secrets' paths, edits by hand), so a
later run changes that one line and nothing else: it replaces the `trusted_keys`
assignment of the `[library]` table, or adds the table at the end, and keeps the edit only
if the document then parses to exactly what it was with the new key. Standard library only.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

_LIBRARY_HEADER = re.compile(r"^\s*\[\s*library\s*\]\s*(?:#.*)?\s*\Z")
_ANY_HEADER = re.compile(r"^\s*\[")
_ASSIGNMENT = re.compile(r"^\s*trusted_keys\s*=")


class TrustEditError(ValueError):
    """The TOML cannot be given the key by changing one line; the message says why."""


def trusted_keys_line(key: str) -> str:
    return f'trusted_keys = ["{key}"]\n'


def library_table(key: str) -> str:
    """The `[library]` table a kiosk's TOML ends with when central's key is known."""
    return (
        "[library]\n"
        "# central's key (sarangbang-central publish-key): the published lesson libraries it\n"
        "# signed are taken. deploy/install-center sets this line from the credentials file.\n"
        + trusted_keys_line(key)
    )


def with_trusted_key(text: str, key: str) -> str:
    """`text` with `[library] trusted_keys = [key]` and every other line as it was;
    TrustEditError if it is not TOML or that one change cannot be made safely."""
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TrustEditError(f"it is not TOML: {exc}") from None
    if _trusted(before) == [key]:
        return text
    lines = text.splitlines(keepends=True)
    header = next((n for n, line in enumerate(lines) if _LIBRARY_HEADER.match(line)), None)
    if header is None:
        ending = "" if not text or text.endswith("\n") else "\n"
        edited = text + ending + "\n" + library_table(key)
    else:
        end = next(
            (n for n in range(header + 1, len(lines)) if _ANY_HEADER.match(lines[n])), len(lines)
        )
        start = next((n for n in range(header + 1, end) if _ASSIGNMENT.match(lines[n])), None)
        if start is None:
            lines.insert(header + 1, trusted_keys_line(key))
        else:
            stop = _assignment_end(lines, start, end)
            lines[start:stop] = [trusted_keys_line(key)]
        edited = "".join(lines)
    _check_edit(before, edited, key)
    return edited


def _trusted(document: dict[str, Any]) -> Any:
    library = document.get("library")
    return library.get("trusted_keys") if isinstance(library, dict) else None


def _assignment_end(lines: list[str], start: int, end: int) -> int:
    """The line after a `trusted_keys = [...]` that may run over several lines (keys hold
    no brackets, so counting them finds the closing one)."""
    depth = 0
    for n in range(start, end):
        code = lines[n].split("#", 1)[0]
        depth += code.count("[") - code.count("]")
        if depth <= 0:
            return n + 1
    return end


def _check_edit(before: dict[str, Any], edited: str, key: str) -> None:
    library = before.get("library", {})
    try:
        after = tomllib.loads(edited)
    except tomllib.TOMLDecodeError:
        after = None
    if not isinstance(library, dict) or after != {
        **before,
        "library": {**library, "trusted_keys": [key]},
    }:
        raise TrustEditError(
            "its [library] table is written in a way this installer does not edit "
            "(inline or dotted keys)"
        )
