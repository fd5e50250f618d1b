import pytest

from kiosk_app.paging import Pager
from kiosk_app.settings import SPEECH_RATES, TEXT_SIZES, LearnerSettings


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
