"""The simulated app: what taps, long presses, the back key and typing change."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lessons.mock_engine import Mock, MockError, MockState, label_text
from tests.lessons.mock_screens import ELEMENT_IDS, screens

MOCK = Mock(screens())


def test_keys_type_and_delete_erases_one_letter() -> None:
    state = MOCK.start("dialer")
    for key in ["key-0", "key-1", "key-1", "delete"]:
        state = MOCK.press(state, key)
    assert state.fields["number"] == "01"


def test_go_and_back_return_to_the_same_screen_and_fields_stay() -> None:
    state = MOCK.press(MOCK.press(MOCK.start("home"), "phone-app"), "key-9")
    calling = MOCK.press(state, "call")
    assert calling.screen == "calling" and calling.history == ("home", "dialer")
    for back in [MOCK.back(calling), MOCK.press(calling, "end")]:  # the key, the app's button
        assert (back.screen, back.history) == (state.screen, state.history)
        assert back.fields == {**state.fields, "speaker": False}  # fields met stay


def test_when_shows_an_element_only_while_its_field_holds() -> None:
    state = MOCK.start("calling")
    assert MOCK.element(state, "louder") is None
    assert MOCK.element(MOCK.press(state, "speaker"), "louder") is not None


def test_disabled_elements_and_labels_do_nothing() -> None:
    state = MOCK.start("dialer")
    assert MOCK.press(state, "video") == state
    assert MOCK.press(MOCK.start("home"), "clock") == MOCK.start("home")


def test_a_kiosk_has_no_back_key_but_its_own_button_goes_back() -> None:
    cart = MOCK.press(MOCK.start("menu"), "cart")
    assert not MOCK.can_go_back(cart) and MOCK.back(cart) == cart
    assert MOCK.press(cart, "previous").screen == "menu"


def test_add_counts_and_labels_show_fields() -> None:
    state = MOCK.press(MOCK.press(MOCK.start("menu"), "burger"), "burger")
    cart = MOCK.press(state, "cart")
    sum_label = MOCK.element(cart, "sum")
    assert sum_label is not None and label_text(sum_label, cart, "ko") == "11,000원"


def test_a_long_press_does_what_on_hold_says() -> None:
    state = MOCK.start("settings")
    assert MOCK.press(state, "photo") == state
    assert MOCK.press(state, "photo", "hold").fields["wifi"] is True


def test_starting_with_an_undeclared_field_is_an_error() -> None:
    with pytest.raises(MockError, match="leads to no field nmber"):
        MOCK.start("dialer", {"nmber": "1"})


INPUTS = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["tap", "hold"]), st.sampled_from(ELEMENT_IDS)),
        st.just(("back", "")),
        st.tuples(st.just("type"), st.sampled_from(["", "119", "네 고마워요"])),
    ),
    max_size=30,
)


@given(start=st.sampled_from(["home", "dialer", "calling", "settings", "menu"]), inputs=INPUTS)
def test_no_sequence_of_inputs_raises_or_leaves_the_screens(
    start: str, inputs: list[tuple[str, str]]
) -> None:
    state = MOCK.start(start)
    for kind, arg in inputs:
        state = _do(state, kind, arg)
        assert state.screen in MOCK.screens
        assert len(state.history) <= len(inputs)
        assert all(e.id for e in MOCK.visible(state))


def _do(state: MockState, kind: str, arg: str) -> MockState:
    if kind == "back":
        return MOCK.back(state)
    if kind == "type":
        return MOCK.type_into(state, "number", arg) if "number" in state.fields else state
    return MOCK.press(state, arg, "hold" if kind == "hold" else "tap")


def test_a_practice_starts_with_the_fields_of_every_screen_it_leads_to() -> None:
    state = MOCK.start("home", {"speaker": True})
    assert state.fields == {"number": "", "speaker": True, "wifi": False}
    dialer = MOCK.press(state, "phone-app")
    assert MOCK.back(dialer) == state  # a screen opened and closed leaves no trace


def test_a_states_key_holds_every_field_of_a_chat_message() -> None:
    """A state's key writes a chat's messages as plain tuples of their fields (models hash
    slowly in the checker's walk): a field added to Bubble must be added there too, or two
    different chats would count as one state."""
    from lessons.mock_engine import _frozen
    from lessons.mock_model import Bubble

    assert set(Bubble.model_fields) == {"by", "ko", "en", "picture"}
    one, other = Bubble(ko="안녕"), Bubble(ko="안녕", by="me")
    assert _frozen([one]) != _frozen([other]) and _frozen([one]) == _frozen([Bubble(ko="안녕")])
