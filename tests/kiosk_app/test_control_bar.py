"""The lesson's controls as a pad of rows beside a full-height practice (a tablet), and
an instruction folded to its end where the column is short: the pure parts."""

from hypothesis import given
from hypothesis import strategies as st

from kiosk_app.widgets.control_bar import flow_rows
from kiosk_app.widgets.practice_column import FOLDED, TAIL_WORDS, sentence_tails


def test_buttons_fill_rows_in_their_order() -> None:
    # 이전 다시 듣기 / 다음 도와주세요 / 처음으로, in a 90 mm column (mm, 5 mm gaps)
    assert flow_rows([24, 44, 24, 53, 43], 90, 5) == [[0, 1], [2, 3], [4]]


def test_buttons_take_the_first_row_they_fit_where_that_saves_a_row() -> None:
    # Back, Hear again, Next, Help me, Lessons (mm at the 8 mm label floor), 90 mm column
    assert flow_rows([38.4, 80.9, 38.2, 63.7, 58.5], 90, 5.1) == [[0, 2], [1], [3], [4]]


@given(
    widths=st.lists(st.floats(1, 200), min_size=1, max_size=8),
    room=st.floats(10, 300),
    gap=st.floats(0, 10),
)
def test_every_row_fits_unless_it_is_one_wide_item(
    widths: list[float], room: float, gap: float
) -> None:
    rows = flow_rows(widths, room, gap)
    assert sorted(i for row in rows for i in row) == list(range(len(widths)))  # all, once
    in_order = 1  # rows the buttons take in their order
    used = widths[0]
    for width in widths[1:]:
        used = used + gap + width if used + gap + width <= room + 0.5 else width
        in_order += used == width
    assert len(rows) <= in_order
    for row in rows:
        used = sum(widths[i] for i in row) + gap * (len(row) - 1)
        assert used <= room + 0.5 or len(row) == 1


def test_an_instruction_folds_to_its_last_sentences_then_its_last_words() -> None:
    text = "딸에게 전화를 걸어 봐요. 번호를 누르세요. 그리고 초록색 '통화'를 누르세요."
    tails = sentence_tails(text)
    assert tails[0] == text
    assert tails[1] == FOLDED + "번호를 누르세요. 그리고 초록색 '통화'를 누르세요."
    assert tails[2] == FOLDED + "그리고 초록색 '통화'를 누르세요."
    assert tails[-1] == FOLDED + "'통화'를 누르세요."
    assert all(len(tail.split()) >= TAIL_WORDS for tail in tails)
    assert [len(t) for t in tails] == sorted((len(t) for t in tails), reverse=True)


def test_a_one_sentence_instruction_of_two_words_is_never_folded() -> None:
    assert sentence_tails("전화를 누르세요.") == ["전화를 누르세요."]
