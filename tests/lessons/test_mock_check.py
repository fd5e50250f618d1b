"""The checker on screens that change: a sound library passes untouched, and the pieces
(typing on both keyboards, dead ends, reachable screens) say what they should."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from lessons.library import check_library
from lessons.mock_check import reachable, untypeable
from tests.lessons.mock_screens import PRACTICES, SCREENS, screens


def write_library(root: Path, practices: list[dict[str, object]]) -> None:
    (root / "screens").mkdir(parents=True)
    (root / "lessons").mkdir()
    for screen in SCREENS:
        text = yaml.safe_dump(screen, allow_unicode=True)
        (root / "screens" / f"{screen['id']}.yaml").write_text(text, encoding="utf-8")
    lesson = {
        "id": "stateful",
        "version": 1,
        "title": "시험",
        "summary": "시험이에요.",
        "level": 1,
        "minutes": 5,
        "steps": [{"id": f"p{i}", "practice": p} for i, p in enumerate(practices)],
    }
    text = yaml.safe_dump(lesson, allow_unicode=True)
    (root / "lessons" / "stateful.yaml").write_text(text, encoding="utf-8")


def test_a_sound_stateful_library_has_no_problems_and_is_checked_quickly(tmp_path: Path) -> None:
    write_library(tmp_path, PRACTICES)
    started = time.perf_counter()
    library, problems = check_library(tmp_path)
    assert [str(p) for p in problems] == []
    assert len(library.screens) == len(SCREENS)
    assert time.perf_counter() - started < 5  # the kiosk's cart grows without end: bounded


def test_a_practice_that_strays_onto_a_kiosk_screen_with_no_way_out_is_a_dead_end(
    tmp_path: Path,
) -> None:
    stuck = {"screen": "cart", "instruction": "이전을 누르세요.", "target": "previous"}
    write_library(tmp_path, [stuck])
    _, problems = check_library(tmp_path)
    assert sorted(p.message for p in problems) == [
        "a learner gets stuck on screen 'done' (tap pay): nothing there can be tapped that changes "
        "anything, and a kiosk has no back key; give it a button that goes on or back",
        # started on the cart itself, nothing declares the total its label shows
        "no field 'total' in the `fields:` of 'cart' or a screen it leads to (declared: none)",
    ]


@pytest.mark.parametrize(
    "text", ["네 고마워요", "네 고마워요!", "010-1234-5678", "119", "학교 가요."]
)
def test_texts_a_learner_can_type_on_either_keyboard(text: str) -> None:
    assert untypeable(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc@", "on the 천지인 keyboard ('@' not on it)"),
        ("네!고마워요", "on the 두벌식 keyboard ('!' not on it)"),
        ("010 1234 5678#", "on the 천지인 keyboard ('#' not on it)"),
    ],
)
def test_texts_one_keyboard_cannot_type_are_named(text: str, message: str) -> None:
    found = untypeable(text)
    assert found is not None and message in found


def test_reachable_screens_follow_go_from_the_start_near_ones_first() -> None:
    assert reachable(screens(), "home") == ["home", "dialer", "settings", "calling"]
    assert reachable(screens(), "cart") == ["cart", "done"]


def test_screens_past_the_end_of_a_practice_are_not_walked(tmp_path: Path) -> None:
    """Once the cart is open the practice is done: the 'done' screen after 결제 (nothing to
    tap on a kiosk) belongs to no state this practice can leave the learner in."""
    open_cart = {"screen": "menu", "instruction": "장바구니를 여세요.", "target": "cart"}
    write_library(tmp_path, [open_cart])
    _, problems = check_library(tmp_path)
    assert [str(p) for p in problems] == []
