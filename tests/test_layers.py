"""The tree's layers (docs/architecture.md), read from the imports: a lower package never
imports a higher one, so each can be understood, tested and shipped without those above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
# package (or folder) → what it must never import
NEVER = {
    "lessons": ("kiosk_app", "robot_bridge", "central", "deploy"),
    "robot_bridge": ("kiosk_app", "central", "deploy"),
    "robot_bridge/protocol": (
        "robot_bridge.link", "robot_bridge.robots", "robot_bridge.classes",
        "robot_bridge.library", "robot_bridge.sync",
    ),
    "robot_bridge/link": ("robot_bridge.robots", "robot_bridge.classes", "robot_bridge.library"),
    "central": ("kiosk_app", "deploy"),
    "kiosk_app": ("central", "deploy"),
    "kiosk_app/teaching": ("kivy",),
    "kiosk_app/storage": ("kivy",),
}  # fmt: skip


def imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("folder", sorted(NEVER))
def test_no_package_imports_one_above_it(folder: str) -> None:
    banned = NEVER[folder]
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: imports {name}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, name in imports(path)
        if any(name == b or name.startswith(b + ".") for b in banned)
    ]
    assert not wrong, "\n".join(wrong)
