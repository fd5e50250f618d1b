"""How long speech takes: the simulator sleeps this long, and the class runner uses it to set
deadlines and to wait while the kiosks speak a line in a robot's place.
"""

from __future__ import annotations

# Korean TTS voices (espeak-ng, NAO, LIKU) speak about 6–7 syllables a second at a normal
# rate, and every Hangul character is one syllable.
KO_CHARS_PER_SECOND = 6.5
# English at ~150 words a minute is about 14 characters a second, spaces included.
EN_CHARS_PER_SECOND = 14.0


def speech_seconds(text: str, lang: str = "ko", rate: float = 1.0) -> float:
    """Seconds it takes to say `text` at `rate` × a normal pace."""
    per_second = EN_CHARS_PER_SECOND if lang == "en" else KO_CHARS_PER_SECOND
    characters = len(text) if lang == "en" else len(text.replace(" ", ""))
    return characters / (per_second * max(rate, 0.1))
