"""The checker names file, line and field for every kind of mistake (tests/lessons/broken_library).

Each broken file ends with `# expect: LINE: FIELD: MESSAGE` comments: the problems it must raise.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lessons.cli import main
from lessons.library import BUNDLED_LIBRARY, LibraryError, check_library, load_library

BROKEN = Path(__file__).parent / "broken_library"
BROKEN_FILES = sorted(BROKEN.glob("*/*.yaml"))
EXPECT = re.compile(r"^# expect: (.*)$", re.MULTILINE)


def _expected(path: Path) -> list[str]:
    return EXPECT.findall(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def problems() -> list[str]:
    _, found = check_library(BROKEN)
    return [str(p) for p in found]


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.stem)
def test_each_broken_file_reports_exactly_its_mistakes(path: Path, problems: list[str]) -> None:
    mine = sorted(p.removeprefix(f"{path}:") for p in problems if p.startswith(f"{path}:"))
    expected = sorted(_expected(path))
    assert len(mine) == len(expected), mine
    for found, wanted in zip(mine, expected, strict=True):
        assert found.startswith(wanted), f"{path.name}: got {found!r}, wanted {wanted!r}"


def test_every_kind_of_mistake_is_covered() -> None:
    text = "\n".join("\n".join(_expected(p)) for p in BROKEN_FILES)
    for kind in [
        "broken YAML",
        "title.ko: required",
        "duplicate step id",
        "unknown cue",
        "out of range",
        "no lesson 'no-such-lesson'",
        "goes round in a circle",
        "no picture file",
        "is not a PNG picture (it is a JPEG",
        "is cut short",
        "fails its checksum",
        "a practice step shows no picture",
        "must be a file in the library's pictures/ folder",
        "no element 'accept' on screen 'call-incoming' (has: decline, answer)",
        "unknown field",
        # screens that change (lessons/mock_check.py, lessons/dead_ends.py)
        "no screen 'help-page'",
        "no field 'muted' in the `fields:`",
        "but this `set:` gives it text 'on'",
        "but this `when:` gives it text 'yes'",
        "'toggle' needs on/off (true/false), but field 'message' holds text",
        "holds text here but a number on screen",
        "no field 'nmber' in the `fields:` of 'mock-dialer' or a screen it leads to",
        "elements[9].detail: no field 'numbr'",  # 「{numbr}자리」 would show as written
        "no element 'key-9' on screen 'mock-calling' (has: end); reached by: tap key-1, tap call",
        "is not shown on screen 'mock-calling': it is shown only while speaker: True",
        "'video' is disabled on 'mock-dialer'",
        "does nothing when held (it has no on_hold)",
        "the back key does nothing on screen 'mock-dialer': there is no screen to go back to",
        "is on a kiosk with no back key",
        "no text field showing 'speaker'",
        "cannot be typed on the 천지인 keyboard",
        "a learner gets stuck on screen 'mock-kiosk-staff'",
        "no element 'blue' on the screens this practice reaches",
        "elements[6].icon: no picture file 'help.png'",
        "fields.chat[0].picture: no picture file",
        "answer 1 is given twice",
        "every choice is right",
        "put the robot cues and pauses in 'speak.ko'",
        "a bracket to show is written twice",
        "(U+1F50D) cannot be drawn by the kiosk's fonts",
        "icon_only needs an icon: picture to draw",
    ]:
        assert kind in text, f"no broken lesson exercises: {kind}"


def test_load_library_raises_with_every_problem() -> None:
    with pytest.raises(LibraryError) as caught:
        load_library(BROKEN, walk=True)
    assert len(caught.value.problems) == sum(len(_expected(p)) for p in BROKEN_FILES)


def test_loading_leaves_out_only_the_walk_for_dead_ends() -> None:
    with pytest.raises(LibraryError) as caught:
        load_library(BROKEN)
    expected = [e for p in BROKEN_FILES for e in _expected(p) if "gets stuck" not in e]
    assert len(caught.value.problems) == len(expected)
    assert not any("gets stuck" in p.message for p in caught.value.problems)


def test_the_bundled_library_passes_every_check_including_the_walk() -> None:
    """What the kiosk loads without walking has been walked here: nothing new is tolerated."""
    _, problems = check_library(BUNDLED_LIBRARY)
    assert [str(p) for p in problems] == []


def test_cli_prints_all_problems_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BROKEN)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == sum(len(_expected(p)) for p in BROKEN_FILES)
    assert all(re.match(r"^\S+\.yaml:\d+: ", line) for line in out)


def test_cli_checks_one_file_and_reports_only_it(capsys: pytest.CaptureFixture[str]) -> None:
    target = BROKEN / "lessons" / "unknown-target.yaml"
    assert main(["check", str(target)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and all(line.startswith(str(target.resolve())) for line in out)


def test_cli_names_a_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["check", str(tmp_path / "nope.yaml")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_unreadable_bytes_are_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "latin1.yaml").write_bytes("title: caf\xe9\n".encode("latin-1"))
    _, found = check_library(tmp_path)
    assert [(p.line, p.message.split(":")[0]) for p in found] == [
        (1, "not UTF-8 text (invalid continuation byte)")
    ]
    assert "save it again as UTF-8" in found[0].message


def test_euc_kr_names_the_line_and_says_to_save_as_utf8(tmp_path: Path) -> None:
    (tmp_path / "lessons").mkdir()
    text = "id: euc\ntitle:\n  ko: 전화 받기\n"
    (tmp_path / "lessons" / "euc.yaml").write_bytes(text.encode("euc-kr"))
    _, found = check_library(tmp_path)
    assert [p.line for p in found] == [3]
    assert "UTF-8" in found[0].message and "Save As" in found[0].message


@pytest.mark.parametrize(
    ("text", "line", "advice"),
    [
        ("id: a\ntitle:\n  ko: a\n en: b\n", 4, "indentation does not line up"),
        ("id: a\ntitle: ko: 전화\n", 2, "put text containing ':' in quotes"),
        ("id: a\nsteps:\n  - id: a\n    say: x\n   - id: b\n", 5, "line each '-' up"),
        ('id: a\ntitle: "전화\n', 2, "close the quote"),
        ("id: a\nid: b\n", 2, "written twice"),
    ],
)
def test_yaml_jargon_comes_with_plain_advice(
    tmp_path: Path, text: str, line: int, advice: str
) -> None:
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "a.yaml").write_text(text, encoding="utf-8")
    _, found = check_library(tmp_path)
    assert [p.line for p in found] == [line], found
    assert advice in found[0].message
