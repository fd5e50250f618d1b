"""The text types of lesson and screen files: bilingual text, spoken lines with robot
cues, ids and picture names."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from lessons import Language as Language
from lessons.cues import CueError, ParsedLine, parse_line

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


class Line(Text):
    """A spoken line that may carry robot cues and pauses, e.g. `안녕하세요 [wave]`."""

    @field_validator("ko", "en")
    @classmethod
    def _cues_are_known(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_line(value)
            except CueError as exc:
                raise ValueError(f"{exc} (at column {exc.column + 1})") from None
        return value

    def parsed(self, language: Language) -> ParsedLine:
        return parse_line(self.get(language))

    def spoken(self, language: Language) -> str:
        """What the kiosk speaks and shows: the line without cues."""
        return self.parsed(language).spoken_text
