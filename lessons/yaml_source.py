"""Load YAML with the line of every key and list item kept, so errors can name their place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Loc = tuple[str | int, ...]


# libyaml's parser when PyYAML has it (its wheels do): the pure-Python one made reading the
# library 4× slower, and the kiosk reads the library before its first screen.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader where only `true`/`false` are booleans (YAML 1.1 also reads yes/no/on/off,
    which would turn an English answer "No" into False)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


# PyYAML's words for the common mistakes, and what a writer should do: (its words, Korean
# advice, English advice). The advice follows the line and column the parser names.
YAML_ADVICE: tuple[tuple[str, str, str], ...] = (
    (
        "did not find expected key",
        "들여쓰기가 위 줄과 맞지 않거나 따옴표가 닫히지 않았어요: 같은 단계의 줄은 같은 "
        "칸에서 시작하게 하고 따옴표를 짝 맞춰 닫아 주세요",
        "the indentation does not line up with the lines above, or a quote is not closed: "
        "start lines of the same level in the same column and close every quote",
    ),
    (
        "mapping values are not allowed",
        "한 줄에 ':' 가 두 번 있어요: 글에 ':' 가 들어가면 글 전체를 따옴표 \"...\" 로 "
        "감싸거나, 이름: 다음 줄로 내려서 들여 써 주세요",
        "a line has a second ':': put text containing ':' in quotes \"...\", or start the "
        "value on the next line, indented",
    ),
    (
        "expected '-' indicator",
        "목록의 '-' 줄들이 같은 칸에서 시작하지 않아요: '-' 를 위 항목과 같은 칸에 맞춰 주세요",
        "the '-' items of a list do not start in the same column: line each '-' up with "
        "the one above",
    ),
    (
        "sequence entries are not allowed",
        "'-' 목록이 이름: 과 같은 줄에 있어요: '-' 를 다음 줄로 내려서 들여 써 주세요",
        "a '-' list item is on the same line as its name: put it on the next line, indented",
    ),
    (
        "found unexpected end of stream",
        "따옴표가 닫히지 않은 채 파일이 끝났어요: 이 줄의 따옴표를 닫아 주세요",
        "the file ends inside a quote: close the quote opened on this line",
    ),
    (
        "did not find expected ','",
        "괄호 [ ] 또는 { } 가 닫히지 않았어요: 닫는 괄호를 넣어 주세요",
        "a bracket [ ] or { } is not closed: add the closing one",
    ),
    (
        "cannot start any token",
        '@ ` % & * ! | > 같은 글자로 값이 시작해요: 값 전체를 따옴표 "..." 로 감싸 주세요',
        "the value starts with a character like @ ` % & * ! | >: put the whole value in "
        'quotes "..."',
    ),
    (
        "found undefined alias",
        '* 로 시작하는 값이에요: 값 전체를 따옴표 "..." 로 감싸 주세요',
        'the value starts with *: put the whole value in quotes "..."',
    ),
    (
        "appears twice",
        "같은 이름이 한 곳에 두 번 있어요: 하나를 지우거나 이름을 고쳐 주세요",
        "the same name is written twice in one place: delete one or rename it",
    ),
)
# Mistakes PyYAML finds only further down (at the end of the file): the line to name is
# where the bracket or quote left open began.
_UNCLOSED = ("did not find expected ','", "found unexpected end of stream")
NOT_UTF8 = (
    "UTF-8 로 저장되지 않은 파일이에요 (EUC-KR 등): 메모장에서 '다른 이름으로 저장' → "
    "인코딩 'UTF-8' 로 다시 저장해 주세요",
    "the file is not saved as UTF-8 (EUC-KR or another encoding): save it again as UTF-8 "
    "(in Notepad: Save As, Encoding: UTF-8)",
)


def yaml_advice(problem: str) -> tuple[str, str] | None:
    """Plain advice (Korean, English) for one of PyYAML's messages, if it is a known one."""
    for words, ko, en in YAML_ADVICE:
        if words in problem:
            return ko, en
    return None


class YamlError(ValueError):
    """The file is not readable YAML; `line` is 1-based (0 when unknown)."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class Source:
    """A YAML document, its data, and the 1-based line of every key and item."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int:
        """The line of `loc`, or of its nearest ancestor that exists in the file."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1


def load_yaml(path: Path) -> Source:
    """Read `path`; raise YamlError naming the line for broken YAML or duplicate keys."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise YamlError(path, line, f"not UTF-8 text ({exc.reason}): {NOT_UTF8[1]}") from None
    except OSError as exc:
        raise YamlError(path, 0, f"cannot read file: {exc.strerror}") from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        source = Source(path, None)
        source.data = _build(loader, node, (), source.lines) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = str(exc.problem or exc.context)
        if exc.context_mark and any(words in problem for words in _UNCLOSED):
            mark = exc.context_mark  # where the bracket or quote left open began
        line = mark.line + 1 if mark else 0
        advice = yaml_advice(problem)
        column = f" (column {mark.column + 1})" if mark else ""
        message = f"broken YAML: {problem}{column}"
        raise YamlError(path, line, f"{message}: {advice[1]}" if advice else message) from None
    except yaml.YAMLError as exc:
        raise YamlError(path, 0, f"broken YAML: {exc}") from None
    finally:
        loader.dispose()
    return source


def _build(loader: _Loader, node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> Any:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise yaml.MarkedYAMLError(
                    problem=f"key '{key}' appears twice", problem_mark=key_node.start_mark
                )
            lines[(*loc, key)] = key_node.start_mark.line + 1
            result[key] = _build(loader, value_node, (*loc, key), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*loc, i), lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
