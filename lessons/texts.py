"""The text types of lesson and screen files: bilingual text, spoken lines with robot
cues, ids and picture names."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from lessons import Language as Language
from lessons.cues import CueError, ParsedLine, Words, parse_line
from lessons.korean_reading import read_aloud

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]


def _inside_pictures(name: str) -> str:
    parts = name.split("/")
    if "\\" in name or ".." in parts or "" in parts:  # "" in parts: empty, /x, x/, x//y
        raise ValueError(
            f"'{name}' must be a file in the library's pictures/ folder, like 'bus.png'"
        )
    return name


PictureName = Annotated[
    str,
    AfterValidator(_inside_pictures),
    Field(description="a PNG file in the library's pictures/ folder, e.g. bus.png"),
]


# every model of a lesson file: unknown fields are errors (a misspelt key is reported),
# and a loaded lesson cannot be changed by accident
STRICT = ConfigDict(extra="forbid", frozen=True)


class _Strict(BaseModel):
    model_config = STRICT


class Text(_Strict):
    """Bilingual text: Korean required, English optional. A plain string means Korean."""

    ko: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_korean(cls, value: Any) -> Any:
        return {"ko": value} if isinstance(value, str) else value

    @field_validator("ko", "en")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("is empty")
        return value

    def get(self, language: Language) -> str:
        """The text in `language`, falling back to Korean."""
        return self.en if language == "en" and self.en else self.ko


def _cues_are_known(value: str | None) -> str | None:
    if value is not None:
        try:
            parse_line(value)
        except CueError as exc:
            raise ValueError(f"{exc} (at column {exc.column + 1})") from None
    return value


class Spoken(_Strict):
    """How a line is said where that differs from how it is written: a phone number read
    digit by digit, a car plate, an arrow as a word. Robot cues go here when it is given."""

    ko: Annotated[str, Field(min_length=1)] | None = None
    en: Annotated[str, Field(min_length=1)] | None = None

    _known = field_validator("ko", "en")(_cues_are_known)

    @model_validator(mode="after")
    def _some(self) -> Spoken:
        if self.ko is None and self.en is None:
            raise ValueError("give 'ko' or 'en': how the line is said")
        return self


class Line(Text):
    """A spoken line that may carry robot cues and pauses, e.g. `안녕하세요 [wave]`, and a
    `speak:` form where it is said otherwise than written:
    `{ko: "010-1234-5678로 걸어요", speak: {ko: "공일공, 일이삼사, 오육칠팔로 걸어요"}}`."""

    speak: Spoken | None = Field(
        None, description="how the line is said where that differs from what is shown"
    )

    _known = field_validator("ko", "en")(_cues_are_known)

    @model_validator(mode="after")
    def _speak_fits(self) -> Line:
        if self.speak is None:
            return self
        if self.speak.en is not None and self.en is None:
            raise ValueError("'speak.en' needs 'en': the English that is shown")
        for language in ("ko", "en"):
            if getattr(self.speak, language) is not None and _has_cues(getattr(self, language)):
                raise ValueError(
                    f"put the robot cues and pauses in 'speak.{language}' (what is said), "
                    f"not in '{language}' (what is shown)"
                )
        return self

    def speech(self, language: Language) -> str:
        """The line as it is said, cues included (what a speaker or the robot runner parses)."""
        english = language == "en" and self.en is not None
        said = (self.speak.en if english else self.speak.ko) if self.speak else None
        return said or self.get(language)

    def parsed(self, language: Language) -> ParsedLine:
        """The line as it is said, in words, cues and pauses. Korean is read aloud as a
        person reads it (119 → 일일구, 10시 → 열 시: lessons/korean_reading.py) unless
        the writer gave its spoken form."""
        parsed = parse_line(self.speech(language))
        korean = language == "ko" or self.en is None
        if not korean or (self.speak is not None and self.speak.ko is not None):
            return parsed
        return parsed.read_with(read_aloud)

    def spoken(self, language: Language) -> str:
        """What is said: the spoken form's words, without cues (and without the brackets of
        `[[보내기]]`). Show `shown()` on the screen."""
        return self.parsed(language).spoken_text

    def shown(self, language: Language) -> str:
        """What the screen shows: the written form without cues, `[[보내기]]` as `[보내기]`."""
        return parse_line(self.get(language)).shown_text


def _has_cues(text: str | None) -> bool:
    return text is not None and any(not isinstance(s, Words) for s in parse_line(text).segments)
