"""Typed models of lesson files and practice-screen files (the YAML a content writer edits)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    model_validator,
)

from lessons import Language as Language  # re-exported: the models speak of it
from lessons.mock_model import Action, FieldValue, Input, actions
from lessons.texts import STRICT
from lessons.texts import Line as Line
from lessons.texts import PictureName as PictureName
from lessons.texts import Slug as Slug
from lessons.texts import Text as Text


class _Strict(BaseModel):
    model_config = STRICT


class Show(_Strict):
    """Large text and/or a picture shown with a step."""

    text: Text | None = None
    picture: PictureName | None = None


class Start(_Strict):
    """Where a practice begins: its screen's fields set otherwise (a chat with a message
    already typed, a cart with two burgers)."""

    fields: dict[Slug, FieldValue] = {}


class Practice(_Strict):
    """Do something on a simulated app screen: tap a target, a short sequence of targets,
    or a sequence of inputs (`do`: taps, long presses, typing, swipes, the back key)."""

    screen: Slug
    instruction: Line
    target: Slug | None = None
    targets: Annotated[list[Slug], Field(min_length=1, max_length=8)] | None = None
    do: Annotated[list[Input], Field(min_length=1, max_length=12)] | None = None
    start: Start = Start()
    hints: Annotated[list[Line], Field(max_length=3)] = []
    wrong: dict[Slug, Line] = Field(
        {}, description="what to say when this element is tapped instead of the right one"
    )
    success: Line | None = None

    @model_validator(mode="after")
    def _one_kind_of_target(self) -> Practice:
        given = [k for k in ("target", "targets", "do") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give one of 'target' (one tap), 'targets' (a sequence of taps) or 'do' "
                "(taps, typing, swipes)"
            )
        return self

    @property
    def inputs(self) -> tuple[Input, ...]:
        """What the learner does, in order."""
        if self.do is not None:
            return tuple(self.do)
        taps = self.targets if self.targets else [str(self.target)]
        return tuple(Input(tap=element) for element in taps)

    @property
    def sequence(self) -> tuple[str, ...]:
        """The element each input is about, in order (a swipe or the back key: '')."""
        return tuple(i.element or "" for i in self.inputs)


Choice = Annotated[int, Field(ge=1)]


class Quiz(_Strict):
    """A question with 2–4 choices; `answer` is the number of the right choice (from 1)."""

    @property
    def answers(self) -> frozenset[int]:
        """Every right choice's number."""
        return frozenset(self.answer) if isinstance(self.answer, list) else frozenset({self.answer})

    question: Line
    choices: Annotated[list[Text], Field(min_length=2, max_length=4)]
    answer: (
        Annotated[int, Field(ge=1)]
        | Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1)]
    ) = Field(
        description="the number of the right choice (from 1), or a list where several are right"
    )
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
    TAB = "tab"  # a category tab or a bottom-bar tab
    MENU_ITEM = "menu_item"  # a kiosk's menu card: picture, name, price
    TOGGLE = "toggle"  # an on/off switch: shows its field's state
    CHAT = "chat"  # the conversation: draws its field's bubbles; cannot be tapped
    PHOTO = "photo"  # a picture in a grid (gallery, photo picker)


UNTAPPABLE = frozenset({ElementKind.LABEL, ElementKind.CHAT})


class Area(StrEnum):
    """Where on the device an element sits; each layout draws its areas as the real app
    does (top bar above, content in the middle, the bottom bar or keypad below)."""

    HEADER = "header"  # the app's title bar: back arrow, title, menu
    TABS = "tabs"  # category tabs under the header
    CONTENT = "content"  # the screen's body; scrolls when longer than the screen
    BOTTOM = "bottom"  # bottom bar, input bar, cart bar, pay button
    POPUP = "popup"  # a dialog over the screen (shown only while its `when` holds)


class Device(StrEnum):
    PHONE = "phone"  # a portrait phone: status bar, app, navigation bar with its back key
    KIOSK = "kiosk"  # a portrait floor kiosk (restaurant, hospital)
    KIOSK_WIDE = "kiosk-wide"  # a landscape kiosk (ticket machine, ATM)


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
    area: Area = Area.CONTENT
    icon: PictureName | None = Field(None, description="a picture drawn on the element")
    icon_only: bool = Field(
        False,
        description="draw the icon alone, as apps draw a header's magnifier or bell (the "
        "label still names the element: hints, the checker and the instructor read it)",
    )
    shows: Slug | None = Field(
        None,
        description="the field whose value it shows ('label' is shown while the field is empty)",
    )
    when: dict[Slug, str | bool | int] | None = Field(
        None, description="shown only while these fields have these values"
    )
    disabled: bool = Field(False, description="visible but greyed out: a tap does nothing")
    on_tap: Annotated[list[Action], BeforeValidator(actions)] = []
    on_hold: Annotated[list[Action], BeforeValidator(actions)] = []

    @model_validator(mode="after")
    def _icon_for_icon_only(self) -> Element:
        if self.icon_only and not self.icon:
            raise ValueError("icon_only needs an icon: picture to draw")
        return self

    @property
    def tappable(self) -> bool:
        return self.kind not in UNTAPPABLE and not self.disabled


class Screen(_Strict):
    """A simulated app screen: a titled grid of elements, `columns` wide, with its state
    (`fields`) and what its taps do (each element's `on_tap`)."""

    id: Slug
    title: Text
    app: Slug = Field(description="which app it imitates, e.g. phone, kakaotalk, kiosk")
    device: Device | None = Field(None, description="default: kiosk for app 'kiosk', else phone")
    columns: Annotated[int, Field(ge=1, le=4)] = 1
    fields: dict[Slug, FieldValue] = {}
    elements: Annotated[list[Element], Field(min_length=1)]

    @property
    def frame(self) -> Device:
        """The device it is drawn in."""
        if self.device is not None:
            return self.device
        return Device.KIOSK if self.app == "kiosk" else Device.PHONE

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
