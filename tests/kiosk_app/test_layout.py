import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk_app.config import ScreenConfig
from kiosk_app.look.layout import (
    BODY_GLYPH_FLOOR_MM,
    BODY_GLYPH_MM,
    BUTTON_GLYPH_FLOOR_MM,
    BUTTON_GLYPH_MM,
    DIGIT_BOOST,
    FLAT_HANGUL_BOOST,
    GAP_FLOOR_MM,
    HANGUL_INK_RATIO,
    LOWERCASE_BOOST,
    ROOMY_SCALE,
    TARGET_FLOOR_MM,
    TITLE_GLYPH_MM,
    CardRoom,
    Shrink,
    Sizes,
    StepLayout,
    card_picture_side,
    first_fit,
    first_that_fits,
    glyph_boost,
    glyph_steps,
    grid_height,
    grow_rows,
    picture_side,
    px_per_mm,
    reading_runs,
    room_scale,
    rows_per_page,
    span_needed,
    step_layouts,
)
from lessons.model import Screen


def test_px_per_mm_from_diagonal_and_from_dpi() -> None:
    # a 24-inch 16:9 panel is 531 mm wide: 1920 px / 531 mm
    assert px_per_mm(ScreenConfig(diagonal_inches=24), (1920, 1080)) == pytest.approx(
        3.61, abs=0.01
    )
    assert px_per_mm(ScreenConfig(diagonal_inches=10.1), (1280, 800)) == pytest.approx(
        5.88, abs=0.01
    )
    assert px_per_mm(ScreenConfig(diagonal_inches=None, dpi=254), (1, 1)) == pytest.approx(10)


@pytest.mark.parametrize("density", [3.61, 5.88, 10.0])
@pytest.mark.parametrize("scale", [1.0, 1.15, 1.3])
def test_design_sizes_clear_every_floor(density: float, scale: float) -> None:
    sizes = Sizes(density, scale)
    assert sizes.body_font * HANGUL_INK_RATIO / density >= BODY_GLYPH_FLOOR_MM
    assert sizes.button_font * HANGUL_INK_RATIO / density >= BUTTON_GLYPH_FLOOR_MM
    assert sizes.target / density >= TARGET_FLOOR_MM
    assert sizes.button_height / density >= TARGET_FLOOR_MM
    assert sizes.gap / density >= GAP_FLOOR_MM


@pytest.mark.parametrize(
    ("text", "boost"),
    [
        ("자동차", 1.0),  # full-height syllables set the size
        ("도보 걷기", 1.0),  # one full-height syllable is enough
        ("동", 1.0),  # a final consonant reaches down
        ("두부", 1.0),  # ㅜ reaches down
        ("도보", FLAT_HANGUL_BOOST),  # flat syllables only: short ink
        ("보고 · 그", FLAT_HANGUL_BOOST),
        ("112", DIGIT_BOOST),
        ("▲", DIGIT_BOOST),
        ("OK", DIGIT_BOOST),  # capitals ink as tall as digits
        ("Hear again", LOWERCASE_BOOST),  # what a reader reads is the x-height
        ("Step 3 of 9", LOWERCASE_BOOST),
    ],
)
def test_text_without_a_full_height_syllable_is_drawn_bigger(text: str, boost: float) -> None:
    assert glyph_boost(text) == boost


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("3 / 9 단계", [("3", DIGIT_BOOST), (" / ", 1.0), ("9", DIGIT_BOOST), (" 단계", 1.0)]),
        ("오전 10:30", [("오전 ", 1.0), ("10:30", DIGIT_BOOST)]),
        ("119에 전화", [("119에", DIGIT_BOOST), (" 전화", 1.0)]),  # a size never changes in a word
        ("Wi-Fi 켜기", [("Wi-Fi", LOWERCASE_BOOST), (" 켜기", 1.0)]),
        ("Hello, 김영희!", [("Hello,", LOWERCASE_BOOST), (" 김영희!", 1.0)]),
        ("Step 3 of 9", [("Step 3 of 9", 1.0)]),  # the label is drawn at the x-height's size
        ("자동차", [("자동차", 1.0)]),
    ],
)
def test_digits_and_latin_inside_hangul_text_are_drawn_as_tall_as_the_hangul(
    text: str, runs: list[tuple[str, float]]
) -> None:
    assert reading_runs(text) == [(run, pytest.approx(factor)) for run, factor in runs]
    assert "".join(run for run, _ in reading_runs(text)) == text


def test_a_big_screen_uses_its_room_and_a_tablet_keeps_the_design_sizes() -> None:
    assert room_scale(136) == 1.0  # a 10-inch tablet, 1280 x 800
    assert room_scale(299) == ROOMY_SCALE  # a 24-inch kiosk, 1920 x 1080
    assert 1.0 < room_scale(220) < ROOMY_SCALE
    # the step's instruction (body text) reaches 10 mm on the 24-inch kiosk
    sizes = Sizes(3.61, room_scale(299))
    assert sizes.body_font * HANGUL_INK_RATIO / 3.61 >= 10.0


def test_rows_split_into_pages_that_fit() -> None:
    assert rows_per_page([10, 10, 10, 10], available=35, gap=2) == [range(0, 3), range(3, 4)]
    assert rows_per_page([50, 10], available=35, gap=2) == [range(0, 1), range(1, 2)]
    assert rows_per_page([], available=35, gap=2) == []


@given(st.lists(st.floats(1, 100), max_size=20), st.floats(10, 300), st.floats(0, 10))
def test_pages_cover_every_row_once_in_order(
    heights: list[float], available: float, gap: float
) -> None:
    pages = rows_per_page(heights, available, gap)
    assert [i for page in pages for i in page] == list(range(len(heights)))
    for page in pages:
        total = sum(heights[i] for i in page) + gap * (len(page) - 1)
        assert len(page) == 1 or total <= available + 1e-9


def test_a_picture_takes_the_room_left_up_to_its_largest() -> None:
    assert picture_side(room=500, largest=180, smallest=80) == 180
    assert picture_side(room=120, largest=180, smallest=80) == 120


def test_a_picture_with_too_little_room_is_left_out() -> None:
    assert picture_side(room=79, largest=180, smallest=80) == 0
    assert picture_side(room=-40, largest=180, smallest=80) == 0


def _lines(width: float) -> float:
    """A title of 12 letters of 10 px, in lines of 30 px, as a card text would wrap."""
    return 30 * -(-12 // max(1, int(width // 10)))


SIZES = (40.0, 100.0)


def test_a_picture_above_the_text_takes_what_the_tallest_text_leaves() -> None:
    room = CardRoom(width=60, height=200, gap=10)  # 6 letters a line: 2 lines, 60 px
    assert card_picture_side(room, beside=False, text_height=_lines, sizes=SIZES) == 100
    room = CardRoom(width=60, height=140, gap=10)
    assert card_picture_side(room, beside=False, text_height=_lines, sizes=SIZES) == 70
    room = CardRoom(width=30, height=140, gap=10)  # 3 letters a line: 4 lines, 120 px
    assert card_picture_side(room, beside=False, text_height=_lines, sizes=SIZES) == 0


def test_a_picture_beside_the_text_shrinks_or_goes_before_the_text_would_not_fit() -> None:
    wide = CardRoom(width=300, height=120, gap=10)
    assert card_picture_side(wide, beside=True, text_height=_lines, sizes=SIZES) == 100
    narrow = CardRoom(width=140, height=60, gap=10)  # with 40 px beside it: 2 lines, 60 px
    assert card_picture_side(narrow, beside=True, text_height=_lines, sizes=SIZES) == 40
    too_narrow = CardRoom(width=120, height=30, gap=10)
    assert card_picture_side(too_narrow, beside=True, text_height=_lines, sizes=SIZES) == 0


def test_rows_grow_by_one_factor_to_fill_the_room_up_to_a_limit() -> None:
    assert grow_rows([10, 20], available=65, gap=5, most=3) == [20, 40]  # 60 of room: ×2
    assert grow_rows([10, 20], available=500, gap=5, most=3) == [30, 60]  # the limit
    assert grow_rows([10, 20], available=20, gap=5, most=3) == [10, 20]  # never shrunk
    assert grow_rows([], available=100, gap=5, most=3) == []


@given(st.lists(st.floats(1, 100), max_size=12), st.floats(0, 2000), st.floats(0, 10))
def test_grown_rows_fill_no_more_than_the_room_unless_they_already_did(
    heights: list[float], available: float, gap: float
) -> None:
    grown = grow_rows(heights, available, gap, most=2.5)
    assert all(h <= g <= h * 2.5 + 1e-9 for h, g in zip(heights, grown, strict=True))
    natural = sum(heights) + gap * max(0, len(heights) - 1)
    total = sum(grown) + gap * max(0, len(heights) - 1)
    assert total <= max(available, natural) + 1e-6


def test_a_long_word_takes_more_columns_and_none_when_nothing_will_do() -> None:
    # a 3-column grid 320 px wide with 10 px gaps: cells of 100 px, 10 px padding
    assert span_needed(80, 1, 3, 320, 10, 10) == 1
    assert span_needed(150, 1, 3, 320, 10, 10) == 2  # 210 px across two cells
    assert span_needed(150, 2, 3, 320, 10, 10) == 2
    assert span_needed(400, 1, 3, 320, 10, 10) is None


@given(st.floats(1, 1000), st.integers(1, 4), st.integers(1, 4), st.floats(200, 2000))
def test_the_span_needed_holds_the_word_and_never_shrinks_an_element(
    word: float, span: int, columns: int, width: float
) -> None:
    taken = span_needed(word, span, columns, width, 10, 12)
    if taken is not None:
        cell = (width - 10 * (columns - 1)) / columns
        assert min(span, columns) <= taken <= columns
        assert word <= cell * taken + 10 * (taken - 1) - 12


def test_a_screen_reflows_into_fewer_columns_or_wider_elements() -> None:
    """`Screen.rows()` (the simulated device keeps a screen's own columns; rows() serves
    grids elsewhere), on a dialer of the old flat kind."""
    names = {"*": "star", "#": "hash"}
    keys = [
        {"id": f"key-{names.get(k, k)}", "kind": "keypad_key", "label": k} for k in "123456789*0#"
    ]
    dialer = Screen.model_validate(
        {
            "id": "dialer",
            "title": "전화",
            "app": "phone",
            "columns": 3,
            "elements": [
                {"id": "number", "kind": "text_field", "label": "번호", "span": 3},
                *keys,
                {"id": "delete", "kind": "button", "label": "지우기"},
                {"id": "call", "kind": "button", "label": "통화", "span": 2},
            ],
        }
    )
    assert [len(row) for row in dialer.rows()] == [1, 3, 3, 3, 3, 2]
    assert [len(row) for row in dialer.rows(2)] == [1, 2, 2, 2, 2, 2, 2, 1, 1]
    wider = dialer.rows(3, {"delete": 2})  # 지우기/Delete on two cells: 통화 moves down
    assert [[e.id for e in row] for row in wider][-2:] == [["delete"], ["call"]]


def test_a_steps_text_steps_down_through_the_kiosks_sizes_up_to_the_learners() -> None:
    scales = (1.0, 1.15, 1.3)
    smallest = [TITLE_GLYPH_MM, BUTTON_GLYPH_MM, BODY_GLYPH_MM]
    assert glyph_steps(1.0, scales) == pytest.approx(smallest, abs=0.001)
    largest = glyph_steps(1.3, scales)
    assert largest[0] == pytest.approx(TITLE_GLYPH_MM * 1.3, abs=0.001)
    assert largest[-1] == BODY_GLYPH_MM
    assert largest == sorted(largest, reverse=True) and len(set(largest)) == len(largest)
    assert any(abs(mm - BUTTON_GLYPH_MM * 1.15) < 0.001 for mm in largest)


def test_each_text_shrinks_only_within_its_own_range() -> None:
    question = Shrink(largest=BUTTON_GLYPH_MM * 1.3, smallest=BODY_GLYPH_MM)
    assert question.at(TITLE_GLYPH_MM * 1.3) == BUTTON_GLYPH_MM * 1.3  # never above its own
    assert question.at(9.0) == 9.0
    assert question.at(BODY_GLYPH_MM) == BODY_GLYPH_MM
    choice = Shrink(largest=BUTTON_GLYPH_MM, smallest=BUTTON_GLYPH_MM)
    assert choice.at(BODY_GLYPH_MM) == BUTTON_GLYPH_MM  # a button label keeps its floor


def test_layouts_go_from_generous_to_tight() -> None:
    steps = [10.92, 8.4, 7.4]
    layouts = step_layouts(steps, tall=True)
    assert layouts[0] == StepLayout(10.92, tall=True)
    assert layouts[1] == StepLayout(10.92)
    assert [layout.glyph_mm for layout in layouts[2:]] == steps
    assert all(layout.tight and not layout.tall for layout in layouts[2:])
    assert step_layouts(steps, tall=False)[0] == StepLayout(10.92)


def test_the_first_layout_that_fits_is_found_in_a_few_measurements() -> None:
    heights = [900, 800, 700, 640, 600, 500, 450, 400]
    tried: list[int] = []

    def overflow(index: int) -> float:
        tried.append(index)
        return heights[index] - 620.0

    assert first_fit(len(heights), overflow) == (4, -20.0)
    assert len(tried) <= 4
    assert first_fit(len(heights), lambda i: heights[i] - 1000.0) == (0, -100.0)


def test_when_no_layout_fits_the_tightest_says_by_how_much() -> None:
    assert first_fit(3, lambda i: [300.0, 200.0, 50.0][i]) == (2, 50.0)
    assert first_fit(1, lambda i: 10.0) == (0, 10.0)


@given(st.lists(st.floats(0, 1000), min_size=1, max_size=12), st.floats(0, 1000))
def test_first_fit_is_the_first_that_fits_when_tighter_is_never_taller(
    heights: list[float], room: float
) -> None:
    heights = sorted(heights, reverse=True)
    index, over = first_fit(len(heights), lambda i: heights[i] - room)
    fitting = [i for i, height in enumerate(heights) if height <= room]
    assert index == (fitting[0] if fitting else len(heights) - 1)
    assert over == heights[index] - room


def test_a_grid_is_as_tall_as_its_rows_tallest_cells() -> None:
    assert grid_height([100, 150, 100], columns=2, gap=30) == 150 + 30 + 100
    assert grid_height([100, 150, 100], columns=1, gap=30) == 350 + 60
    assert grid_height([], columns=2, gap=30) == 0


def test_the_first_wording_that_fits_one_line() -> None:
    assert first_that_fits([900, 200], room=1000) == 0
    assert first_that_fits([900, 200], room=500) == 1
    assert first_that_fits([900, 600], room=500) == 1  # the shortest, when none fits
