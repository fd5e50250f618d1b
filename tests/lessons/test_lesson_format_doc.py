"""docs/lesson-format.md stays true: its worked example of screens that change is loaded,
checked and played through (the ```yaml blocks after a `<!-- worked example: … -->` line)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from lessons import BUNDLED_LIBRARY
from lessons.library import check_library
from lessons.session import LessonSession
from tests.lessons.conftest import FakeClock

DOC = Path(__file__).parents[2] / "docs" / "lesson-format.md"
BLOCK = re.compile(r"<!-- worked example: (\S+) -->\n```yaml\n(.*?)```", re.DOTALL)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library made of the worked example (and the bundled pictures it names)."""
    root = tmp_path_factory.mktemp("worked-example")
    blocks = dict(BLOCK.findall(DOC.read_text(encoding="utf-8")))
    assert set(blocks) == {"screens/chat-list.yaml", "screens/chat-room.yaml", "step"}
    (root / "screens").mkdir()
    (root / "lessons").mkdir()
    shutil.copytree(BUNDLED_LIBRARY / "pictures", root / "pictures")
    for name, text in blocks.items():
        if name != "step":
            (root / name).write_text(text, encoding="utf-8")
    lesson = {
        "id": "worked-example",
        "version": 1,
        "title": "답장하기",
        "summary": "카카오톡으로 답장해요.",
        "level": 1,
        "minutes": 5,
        "steps": yaml.safe_load(blocks["step"]),
    }
    (root / "lessons" / "worked-example.yaml").write_text(
        yaml.safe_dump(lesson, allow_unicode=True), encoding="utf-8"
    )
    return root


def test_the_worked_example_passes_the_checker(example: Path) -> None:
    _, problems = check_library(example)
    assert [str(p) for p in problems] == []


def test_the_worked_example_plays_as_the_doc_says(example: Path) -> None:
    library, _ = check_library(example)
    session = LessonSession(
        library.lessons["worked-example"], FakeClock(), learner_id="kim", screens=library.screens
    )
    session.start()
    lines = session.tap("back-arrow")  # not on the list: nothing there, nothing happens
    assert lines == [] and session.view.mock is not None and session.view.mock.screen == "chat-list"
    session.tap("daughter")
    assert session.view.mock.screen == "chat-room" and session.view.mock.fields["unread"] == 0
    feedback = session.tap("back-arrow")  # carried out, and its own line is said
    assert feedback[0].ko == "그건 뒤로 가는 화살표예요." and session.view.target == "daughter"
    session.tap("daughter")
    assert session.tap("plus") == []  # disabled: a tap does nothing
    session.typed("message", "네 고마워요")
    done = session.tap("send")
    assert session.view.practice_done and done[0].ko.startswith("잘하셨어요")
    chat = session.view.mock.fields["chat"]
    assert isinstance(chat, list) and [b.ko for b in chat][-1] == "네 고마워요"
    instruction = library.lessons["worked-example"].steps[0].practice.instruction  # type: ignore[union-attr]
    assert "[전송]을" in instruction.shown("ko") and "[" not in instruction.spoken("ko")
