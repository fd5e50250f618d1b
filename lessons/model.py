"""Typed models of lesson files and practice-screen files (the YAML a content writer edits)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from lessons import Language as Language  # re-exported: the models speak of it
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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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


class Show(_Strict):
    """Large text and/or a picture shown with a step."""

    text: Text | None = None
    picture: PictureName | None = None


class Practice(_Strict):
    """Tap a target (or a short sequence of targets) on a simulated app screen."""

    screen: Slug
    instruction: Line
    target: Slug | None = None
    targets: Annotated[list[Slug], Field(min_length=1, max_length=6)] | None = None
    hints: Annotated[list[Line], Field(max_length=3)] = []
    success: Line | None = None

    @model_validator(mode="after")
    def _one_kind_of_target(self) -> Practice:
        if (self.target is None) == (self.targets is None):
            raise ValueError("give either 'target' (one tap) or 'targets' (a sequence of taps)")
        return self

    @property
    def sequence(self) -> tuple[str, ...]:
        """The element ids to tap, in order."""
        return tuple(self.targets) if self.targets else (str(self.target),)


class Quiz(_Strict):
    """A question with 2–4 choices; `answer` is the number of the right choice (from 1)."""

    question: Line
    choices: Annotated[list[Text], Field(min_length=2, max_length=4)]
    answer: Annotated[int, Field(ge=1)]
    right: Line = Field(description="spoken after a right answer: why it is right")
    wrong: Line = Field(description="spoken after a wrong answer: the right one and why")


class Step(_Strict):
    """One step: exactly one of `say` (narration), `practice` or `quiz`, plus optional `show`."""

    id: Slug
    say: Line | None = None
    practice: Practice | None = None
    quiz: Quiz | None = None
    show: Show | None = None

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> Step:
        kinds = [k for k in ("say", "practice", "quiz") if getattr(self, k) is not None]
        if len(kinds) != 1:
            found = ", ".join(kinds) or "none"
            raise ValueError(f"a step needs exactly one of say, practice, quiz (found: {found})")
        return self

    @property
    def kind(self) -> Literal["say", "practice", "quiz"]:
        if self.practice is not None:
            return "practice"
        return "quiz" if self.quiz is not None else "say"


class Mastery(_Strict):
    """When a finished lesson counts as mastered."""

    practices: bool = Field(True, description="every practice step done (not skipped)")
    quizzes: bool = Field(True, description="every quiz answered right at the first try")
    max_hint_level: Annotated[int, Field(ge=0, le=3)] = Field(
        3, description="highest hint level (0 none … 3 demonstrated) a practice may need"
    )


class Lesson(_Strict):
    id: Slug
    version: Annotated[int, Field(ge=1)]
    title: Text
    summary: Text
    level: Annotated[int, Field(ge=1, le=3)]
    minutes: Annotated[int, Field(ge=1, le=120)]
    tags: list[Slug] = []
    requires: list[Slug] = []
    mastery: Mastery = Mastery()
    picture: PictureName | None = Field(
        None, description="shown on the lesson's card, and with narration that has none"
    )
    steps: Annotated[list[Step], Field(min_length=1)]

    def picture_for(self, step: Step) -> str | None:
        """The picture shown with `step`: its own; narration falls back to the lesson's;
        practice shows none (its simulated screen needs the room)."""
        if step.kind == "practice":
            return None
        own = step.show.picture if step.show else None
        return own if own or step.kind == "quiz" else self.picture


class ElementKind(StrEnum):
    BUTTON = "button"
    APP_ICON = "app_icon"
    LIST_ROW = "list_row"
    LABEL = "label"
    TEXT_FIELD = "text_field"
    KEYPAD_KEY = "keypad_key"


class Role(StrEnum):
    """Colour role of an element; the kiosk theme turns roles into colours with 7:1 contrast."""

    PRIMARY = "primary"
    SUCCESS = "success"
    DANGER = "danger"
    WARNING = "warning"
    NEUTRAL = "neutral"
    ACCENT = "accent"
    TEXT = "text"


class Element(_Strict):
    id: Slug
    kind: ElementKind
    label: Text
    detail: Text | None = Field(None, description="second line, e.g. a message preview")
    role: Role = Role.NEUTRAL
    span: Annotated[int, Field(ge=1, le=4)] = Field(1, description="grid columns it takes")


class Screen(_Strict):
    """A simulated app screen: a titled grid of elements, `columns` wide."""

    id: Slug
    title: Text
    app: Slug = Field(description="which app it imitates, e.g. phone, kakaotalk, kiosk")
    columns: Annotated[int, Field(ge=1, le=4)] = 1
    elements: Annotated[list[Element], Field(min_length=1)]

    def element(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.id == element_id), None)

    def rows(
        self, columns: int | None = None, spans: Mapping[str, int] | None = None
    ) -> list[list[Element]]:
        """Elements in rows of `columns`; an element wider than what is left starts a new
        row. A kiosk with less room may ask for fewer columns, or wider `spans` (by element
        id), so that no label's word has to break."""
        columns = min(columns or self.columns, self.columns)
        spans = spans or {}
        rows: list[list[Element]] = [[]]
        used = 0
        for element in self.elements:
            width = min(spans.get(element.id, element.span), columns)
            if used + width > columns:
                rows.append([])
                used = 0
            rows[-1].append(element)
            used += width
        return rows
