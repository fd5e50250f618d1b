import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk_app.look.paging import Pager, TileGrid, fit_count
from kiosk_app.teaching.settings import SPEECH_RATES, TEXT_SIZES, LearnerSettings


def test_pager_walks_pages_and_stops_at_the_ends() -> None:
    pager = Pager(list(range(10)), per_page=4)
    assert (pager.page_count, list(pager.visible), pager.label) == (3, [0, 1, 2, 3], "1 / 3")
    assert not pager.has_previous and pager.has_next
    pager.next()
    pager.next()
    pager.next()
    assert list(pager.visible) == [8, 9] and not pager.has_next
    pager.previous()
    assert pager.page == 1


def test_empty_pager_has_one_empty_page() -> None:
    pager = Pager([], per_page=6)
    assert pager.page_count == 1 and list(pager.visible) == [] and not pager.has_next
    with pytest.raises(ValueError):
        Pager([1], per_page=0)


def test_settings_have_three_steps_and_default_to_slower_speech() -> None:
    assert len(TEXT_SIZES) >= 3 and len(SPEECH_RATES) >= 3
    default = LearnerSettings()
    assert default.rate_factor < 1.0 and default.text_scale == 1.0 and default.theme == "normal"
    assert LearnerSettings(high_contrast=True).theme == "high_contrast"
    with pytest.raises(ValueError):
        LearnerSettings(text_size=3)


def test_fit_count_counts_items_with_gaps_and_never_says_none() -> None:
    assert fit_count(100, least=30, gap=5) == 3  # 3 × 30 + 2 × 5 = 100
    assert fit_count(99, least=30, gap=5) == 2
    assert fit_count(10, least=30, gap=5) == 1  # too small still shows one, on its own page


def test_tile_grid_fits_a_page_and_grows_few_tiles_up_to_the_limit() -> None:
    grid = TileGrid(width=1000, height=400, least=(200, 150), gap=10, grow=2.0)
    assert (grid.max_columns, grid.max_rows, grid.per_page) == (4, 2, 8)
    full = grid.shape(8)
    assert (full.columns, full.rows) == (4, 2) and full.tile_width == pytest.approx(242.5)
    few = grid.shape(2)  # two tiles: side by side, as big as allowed (400 × 300 at most)
    assert (few.columns, few.rows, few.tile_width, few.tile_height) == (2, 1, 400, 300)
    assert few.width == 810 and few.height == 300


def test_tile_grid_prefers_no_empty_places_when_tiles_are_as_big_either_way() -> None:
    grid = TileGrid(width=2000, height=1000, least=(200, 150), gap=10, grow=1.5)
    shape = grid.shape(8)  # 4 × 2 and 3 × 3 both reach the largest tile
    assert (shape.columns, shape.rows) == (4, 2)


@given(
    st.integers(0, 60),
    st.floats(100, 3000),
    st.floats(100, 2000),
    st.floats(50, 400),
    st.floats(50, 300),
    st.floats(0, 40),
    st.floats(1, 3),
)
def test_tile_grid_shapes_hold_their_tiles_inside_the_box_at_least_size(
    count: int, width: float, height: float, tile_w: float, tile_h: float, gap: float, grow: float
) -> None:
    grid = TileGrid(width, height, (tile_w, tile_h), gap, grow)
    shape = grid.shape(count)
    assert shape.columns * shape.rows >= min(max(count, 1), grid.per_page)
    assert tile_w <= shape.tile_width <= tile_w * grow + 1e-9
    assert tile_h <= shape.tile_height <= tile_h * grow + 1e-9
    if grid.max_columns > 1 or tile_w <= width:
        assert shape.width <= width + 1e-6
    if grid.max_rows > 1 or tile_h <= height:
        assert shape.height <= height + 1e-6
