import pytest

from kiosk_app.look.contrast import AAA_TEXT, contrast_ratio, hex_to_rgb
from kiosk_app.look.theme import THEMES, Theme
from kiosk_app.storage.store import COLOURS
from lessons.model import Role


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio((0, 0, 0), (1, 1, 1)) == pytest.approx(21.0)
    assert contrast_ratio((1, 1, 1), (1, 1, 1)) == pytest.approx(1.0)
    # WebAIM's checker: #777777 on white is 4.48:1
    assert contrast_ratio(hex_to_rgb("#777777"), (1, 1, 1)) == pytest.approx(4.48, abs=0.01)
    with pytest.raises(ValueError):
        hex_to_rgb("#FFF")


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES)
def test_every_text_pair_in_every_theme_is_at_least_7_to_1(theme: Theme) -> None:
    low = {name: round(p.contrast, 2) for name, p in theme.pairs().items() if p.contrast < AAA_TEXT}
    assert not low, f"{theme.name}: below 7:1: {low}"


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES)
def test_every_role_and_learner_colour_has_a_pair(theme: Theme) -> None:
    assert set(theme.roles) == {role.value for role in Role}
    assert set(theme.learners) == set(COLOURS)


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES)
def test_outlines_stand_out_7_to_1_on_the_screen_and_on_cards(theme: Theme) -> None:
    """Edges carry meaning (a typed field, a card): they are held to the text floor."""
    for ground in (theme.screen.bg, theme.card.bg):
        ratio = contrast_ratio(hex_to_rgb(theme.outline), hex_to_rgb(ground))
        assert ratio >= AAA_TEXT, f"{theme.name}: outline on {ground} is {ratio:.2f}:1"
