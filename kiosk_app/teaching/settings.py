"""Per-learner settings: text size, speech speed, high contrast. Saved per learner."""

from __future__ import annotations

from dataclasses import dataclass

# Text scale steps, each (scale, its label's key in kiosk_app.look.ui_text). The smallest (1.0)
# already meets the 7 mm / 8 mm glyph floors; the bigger steps are for learners who still
# find it small.
TEXT_SIZES: tuple[tuple[float, str], ...] = (
    (1.0, "size.normal"),
    (1.15, "size.large"),
    (1.3, "size.larger"),
)

# Speech rate steps as a factor of a normal speaking rate (and a label key). The default is
# the slowest: seniors, and anyone learning a new word, follow slower speech better.
SPEECH_RATES: tuple[tuple[float, str], ...] = (
    (0.75, "rate.slow"),
    (0.9, "rate.a_bit_slow"),
    (1.0, "rate.normal"),
)


@dataclass(frozen=True)
class LearnerSettings:
    text_size: int = 0
    speech_rate: int = 0
    high_contrast: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.text_size < len(TEXT_SIZES):
            raise ValueError(f"text_size must be 0..{len(TEXT_SIZES) - 1}")
        if not 0 <= self.speech_rate < len(SPEECH_RATES):
            raise ValueError(f"speech_rate must be 0..{len(SPEECH_RATES) - 1}")

    @property
    def text_scale(self) -> float:
        return TEXT_SIZES[self.text_size][0]

    @property
    def rate_factor(self) -> float:
        return SPEECH_RATES[self.speech_rate][0]

    @property
    def theme(self) -> str:
        return "high_contrast" if self.high_contrast else "normal"
