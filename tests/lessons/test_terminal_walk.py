"""`sarangbang-lessons walk` as a writer uses it: labels, not ids; Enter on a practice asks
again; the walk ends cleanly when the input runs out."""

from __future__ import annotations

import io

import pytest

from lessons.cli import main


def _walk(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], keys: str
) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(keys))
    code = main(["walk", "phone-call"])
    return code, capsys.readouterr().out


def test_a_practice_lists_labels_and_enter_asks_again(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _walk(monkeypatch, capsys, "\n\n\n\n")
    assert "10) 전화" in out and "kakaotalk" not in out
    assert out.count("tap something") == 2  # two Enters on the practice: asked twice
    assert "-- 4 / 9" not in out
    assert code == 1 and "input ended" in out and "Traceback" not in out


def test_a_practice_is_done_by_number_or_label_and_skipped_only_by_n(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for reply in ("10", "전화", "phone"):
        _, out = _walk(monkeypatch, capsys, f"\n\n{reply}\n")
        assert "잘하셨어요" in out, reply
    _, out = _walk(monkeypatch, capsys, "\n\nn\n")
    assert "-- 4 / 9" in out


def test_the_id_is_shown_only_where_the_label_does_not_tell_apart() -> None:
    from lessons.model import Element
    from lessons.terminal_walk import element_lines, resolve

    elements = [
        Element.model_validate({"id": i, "kind": "button", "label": {"ko": t, "en": t}})
        for i, t in [("ok-1", "확인"), ("ok-2", "확인"), ("call", "전화")]
    ]
    labels = ["확인", "확인", "전화"]
    assert element_lines(elements, labels) == [
        "     1) 확인 [ok-1]",
        "     2) 확인 [ok-2]",
        "     3) 전화",
    ]
    assert resolve("3", elements, labels) == resolve("전화", elements, labels) == "call"
    assert resolve("확인", elements, labels) == "확인"  # two: the walk says it is not there
