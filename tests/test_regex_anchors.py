"""A check written with Python's `re` that ends in `$` also passes the text with one newline
after it: "kim\\n" was a slug, "abcdefgh\\n" an event id, and such ids reached central's
database, its CSV export and its log lines. Every pattern of ours ends with \\Z instead
(pydantic's `pattern=` runs Rust's regex, where `$` is the end of the text: not affected)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from central.batch_reader import read_batch
from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import SyncProtocolError, encode_batch
from tests.progress_events import walk

ROOT = Path(__file__).parents[1]
PACKAGES = ("kiosk_app", "central", "robot_bridge", "lessons", "deploy", "scripts", "bench")
RE_CALLS = {"compile", "match", "fullmatch", "search", "sub", "split", "findall", "finditer"}
# PyYAML's own boolean resolver, copied as it is so that YAML means what PyYAML says
KEPT = {"lessons/yaml_source.py": 1}


def dollar_patterns(path: Path) -> list[int]:
    """Lines of `path` that give Python's regex a pattern ending in an unescaped $ (not
    multi-line): `re.<fn>(…)` and msgspec's `Meta(pattern=…)`, with the pattern written
    there or in a module constant."""
    tree = ast.parse(path.read_text(), str(path))
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str | bytes)
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            # (fullmatch is safe: it must consume the newline too)
            is_re = func.value.id == "re" and func.attr in RE_CALLS - {"fullmatch"}
        else:
            is_re = False
        meta = isinstance(func, ast.Name) and func.id == "Meta"
        patterns = node.args[:1] if is_re else []
        patterns += [k.value for k in node.keywords if meta and k.arg == "pattern"]
        if not patterns or "MULTILINE" in ast.dump(node) or "attr='M'" in ast.dump(node):
            continue  # re.M: `$` is the end of each line, as meant
        for pattern in patterns:
            if isinstance(pattern, ast.Constant):
                value = pattern.value
            elif isinstance(pattern, ast.Name):
                value = constants.get(pattern.id)
            else:
                value = None
            text = value.decode() if isinstance(value, bytes) else value
            if isinstance(text, str) and text.endswith("$") and not text.endswith("\\$"):
                found.append(node.lineno)
    return found


def test_no_pattern_of_ours_ends_with_a_dollar() -> None:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            lines = dollar_patterns(path)
            if len(lines) > KEPT.get(name, 0):
                found[name] = lines
    assert not found, f"end these patterns with \\Z, not $ (a final newline passes $): {found}"


def batch_with(field: str, value: object) -> bytes:
    events = [json.loads(e.model_dump_json()) for e in walk("kim")[:3]]
    if field.startswith("detail."):
        events[1]["detail"] = {field.removeprefix("detail."): value}
    else:
        events[1][field] = value
    items = [(n + 1, json.dumps(e)) for n, e in enumerate(events)]
    return encode_batch("gangnam-1", "kiosk-1", "b-1", items)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "abcdefgh1234\n"),
        ("session_id", "session-1\n"),
        ("learner_id", "kim\n"),
        ("lesson_id", "phone-call\n"),
        ("step_id", "welcome\n"),
        ("detail.key\n", 1),
    ],
)
def test_a_final_newline_is_refused_at_centrals_door(field: str, value: object) -> None:
    with pytest.raises(SyncProtocolError, match="not a"):
        read_batch(topics.sync_batch("gangnam-1", "kiosk-1"), batch_with(field, value))


def test_a_topic_id_with_a_final_newline_is_not_a_slug() -> None:
    with pytest.raises(topics.TopicError):
        topics.check_id("gangnam-1\n")
