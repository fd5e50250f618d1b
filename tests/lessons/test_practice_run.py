"""One practice, played: the expected inputs finish it, hints lead back from any detour, and
no input ever raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons.model import Practice
from lessons.practice_run import BACK_KEY, PracticeRun
from tests.lessons.mock_screens import ELEMENT_IDS, practices, screens

SCREENS = screens()
PRACTICES = practices()
MAX_FOLLOW = 40  # inputs to finish by following the hints; the longest practice needs 6

Step = tuple[str, str]
INPUTS = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["tap", "hold"]), st.sampled_from(ELEMENT_IDS)),
        st.tuples(st.sampled_from(["back", "swipe"]), st.sampled_from(["", "up", "down"])),
        st.tuples(st.just("type"), st.sampled_from(["1", "119", "911", ""])),
    ),
    max_size=25,
)


def do(run: PracticeRun, step: Step) -> None:
    kind, arg = step
    if kind == "tap":
        run.tap(arg)
    elif kind == "hold":
        run.hold(arg)
    elif kind == "back":
        run.back()
    elif kind == "swipe":
        run.swipe(arg or "up")
    elif "number" in run.state.fields:
        run.typed("number", arg)


def play_expected(run: PracticeRun) -> None:
    """The expected inputs, as lessons.autoplay does them."""
    while not run.done:
        expected = run.expected
        assert expected is not None
        if expected.type is not None and expected.into is not None:
            run.typed(expected.into, expected.type)
            if run.expected is expected:  # it counts with the next input
                following = run.practice.inputs[run.position + 1]
                _input(run, following.kind, following.element or "")
            continue
        _input(run, expected.kind, expected.element or "")


def _input(run: PracticeRun, kind: str, element: str) -> None:
    expected = run.expected
    if kind == "swipe":
        assert expected is not None and expected.swipe is not None
        run.swipe(expected.swipe.value)
    elif kind == "back":
        run.back()
    else:
        do(run, (kind, element))


def follow_hints(run: PracticeRun) -> int:
    """Do what the hints point at until the practice is done; the inputs it took."""
    for count in range(MAX_FOLLOW):
        if run.done:
            return count
        expected = run.expected
        assert expected is not None
        goal = run.typing_goal()
        if goal is not None and not run.off_path:
            field, text = goal
            if run.state.fields.get(field) != text:
                run.typed(field, text)
                continue
            following = run.practice.inputs[run.position + 1]
            _input(run, following.kind, following.element or "")
            continue
        target = run.target()
        if expected.swipe is not None and not run.off_path:
            run.swipe(expected.swipe.value)
        elif target == BACK_KEY:
            run.back()
        elif target is not None and not run.off_path and expected.hold == target:
            run.hold(target)
        else:
            assert target is not None, f"no hint on '{run.state.screen}'"
            run.tap(target)
    raise AssertionError(f"not done after {MAX_FOLLOW} inputs that followed the hints")


@pytest.mark.parametrize("practice", PRACTICES, ids=lambda p: p.instruction.ko)
def test_the_expected_inputs_finish_the_practice(practice: Practice) -> None:
    run = PracticeRun(practice, SCREENS)
    play_expected(run)
    assert run.done and not run.off_path


@settings(max_examples=400, deadline=None)
@given(index=st.integers(0, len(PRACTICES) - 1), inputs=INPUTS)
def test_any_inputs_never_raise_and_the_hints_always_lead_to_the_end(
    index: int, inputs: list[Step]
) -> None:
    run = PracticeRun(PRACTICES[index], SCREENS)
    for step in inputs:
        do(run, step)
        assert run.state.screen in SCREENS
        swipe = run.expected is not None and run.expected.swipe is not None
        assert run.done or swipe or run.target() is not None
    follow_hints(run)
    assert run.done


@settings(max_examples=400, deadline=None)
@given(index=st.integers(0, len(PRACTICES) - 1), inputs=INPUTS)
def test_undoing_a_detour_returns_to_the_path(index: int, inputs: list[Step]) -> None:
    run = PracticeRun(PRACTICES[index], SCREENS)
    for step in inputs:
        if run.done:
            break
        before, was_off = run.state, run.off_path
        do(run, step)
        if run.off_path and not was_off:  # this input was a detour: its hint undoes it
            way_back = run.target()
            assert way_back is not None
            run.back() if way_back == BACK_KEY else run.tap(way_back)
            assert not run.off_path and run.state.key() == before.key()


def test_a_wrong_tap_that_cannot_be_undone_is_not_carried_out() -> None:
    kiosk = next(p for p in PRACTICES if p.screen == "menu")
    run = PracticeRun(kiosk, SCREENS)
    run.tap("cart")  # the cart's 이전 goes back: a detour
    assert run.off_path and run.target() == "previous"
    run.tap("previous")
    assert not run.off_path
    run.tap("burger"), run.tap("burger"), run.tap("cart")
    before = run.state
    outcome = run.tap("previous")  # expected: pay; going back is carried out
    assert outcome.counted and not outcome.correct and run.off_path
    run.tap("cart")
    assert run.state == before


def test_a_wrong_app_opened_on_the_home_screen_is_a_detour_the_back_key_undoes() -> None:
    settings_first = next(p for p in PRACTICES if p.do and p.do[0].tap == "settings-app")
    run = PracticeRun(settings_first, SCREENS)
    outcome = run.tap("phone-app")  # the dialer opens, as on a phone
    assert outcome.counted and not outcome.correct
    assert run.state.screen == "dialer" and run.target() == BACK_KEY
    run.back()
    assert run.state.screen == "home" and not run.off_path


def test_on_a_detour_the_keyboard_waits_until_the_learner_is_back() -> None:
    run = PracticeRun(PRACTICES[0], SCREENS)  # phone app, type 119, call
    run.tap("phone-app")
    assert run.typing_goal() == ("number", "119")
    run.back()  # back to the home screen while the dialer waited for the number
    assert run.off_path and run.typing_goal() is None and run.target() == "phone-app"
    run.typed("number", "119")  # no keyboard is open: nothing is typed
    assert run.state.fields["number"] == ""
    run.tap("phone-app")
    assert not run.off_path and run.typing_goal() == ("number", "119")
    play_expected(run)
    assert run.done


def test_two_typings_in_a_row_each_count_when_the_learner_goes_on_to_the_next_field() -> None:
    """Typing counts at the next input: that may be typing into the next field."""
    from lessons.model import Practice, Screen
    from lessons.practice_run import PracticeRun

    form = Screen.model_validate(
        {
            "id": "add-friend",
            "title": "친구 추가",
            "app": "kakaotalk",
            "fields": {"name": "", "number": ""},
            "elements": [
                {"id": "name", "kind": "text_field", "label": "이름", "shows": "name"},
                {"id": "number", "kind": "text_field", "label": "번호", "shows": "number"},
                {"id": "add", "kind": "button", "label": "친구 추가"},
            ],
        }
    )
    practice = Practice.model_validate(
        {
            "screen": "add-friend",
            "instruction": "이름과 번호를 쓰고 '친구 추가'를 누르세요.",
            "do": [
                {"type": "김민지", "into": "name"},
                {"type": "01012345678", "into": "number"},
                {"tap": "add"},
            ],
        }
    )
    run = PracticeRun(practice, {"add-friend": form})
    assert not run.typed("name", "김민지").counted
    assert not run.typed("number", "01012345678").counted  # the name is done
    assert run.position == 1
    outcome = run.tap("add")
    assert outcome.correct and outcome.done
