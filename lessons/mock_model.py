"""What a practice screen does: its state (fields), what a tap or a long press on an element
changes (actions), and what a practice expects the learner to do (inputs).

A writer reads them as YAML (docs/lesson-format.md, "Screens that change"):

    fields: {number: ""}                                   # the screen's state at the start
    elements:
      - {id: key-1, kind: keypad_key, label: "1", on_tap: {type: "1", into: number}}
      - {id: delete, kind: button, label: 지우기, on_tap: {erase: number}}
      - {id: call, kind: button, label: 통화, on_tap: {go: call-ongoing}}

and in a practice step:

    do:
      - tap: key-0
      - type: "010-1234-5678"     # typed on the learner's own keyboard (천지인 or 쿼티)
        into: number
      - swipe: up
      - hold: photo-1             # a long press
      - tap: send
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from lessons.texts import STRICT, Line, PictureName, Slug


class _Strict(BaseModel):
    model_config = STRICT


class Bubble(_Strict):
    """One message in a chat (a field holding a list of them is drawn as the conversation)."""

    by: Literal["me", "them"] = "them"
    ko: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)] | None = None
    picture: PictureName | None = Field(None, description="a photo sent in the chat")

    def get(self, language: str) -> str:
        return self.en if language == "en" and self.en else self.ko


FieldValue = str | bool | int | list[Bubble]

ACTION_VERBS = ("go", "back", "type", "erase", "clear", "set", "toggle", "add", "send")


class Action(_Strict):
    """One thing a tap does. Exactly one verb:

    - `go: screen` shows another screen (the phone's back key returns), `back: true` returns;
    - `type: "1", into: field` adds text to a field, `erase: field` removes its last
      letter, `clear: field` empties it;
    - `set: {field: value}`, `toggle: field` (on/off), `add: {field: 4500}` (a count or sum);
    - `send: field, into: chat` moves a field's text into a chat as the learner's bubble
      (and empties the field); `picture:` sends a photo instead.
    """

    go: Slug | None = None
    back: bool | None = None
    type: str | None = None
    into: Slug | None = None
    erase: Slug | None = None
    clear: Slug | None = None
    set: dict[Slug, str | bool | int] | None = None
    toggle: Slug | None = None
    add: dict[Slug, int] | None = None
    send: Slug | None = None
    picture: PictureName | None = None

    @model_validator(mode="before")
    @classmethod
    def _words(cls, value: Any) -> Any:
        if value == "back":  # the plain word reads best: `on_tap: back`
            return {"back": True}
        return value

    @model_validator(mode="after")
    def _one_verb(self) -> Action:
        verbs = [verb for verb in ACTION_VERBS if getattr(self, verb) is not None]
        if self.picture is not None and not verbs:
            verbs = ["send"]  # a photo sent into a chat: `{picture: x.png, into: chat}`
        if len(verbs) != 1:
            found = ", ".join(verbs) or "none"
            raise ValueError(
                f"an action needs exactly one of {', '.join(ACTION_VERBS)} (found: {found})"
            )
        if (self.type is not None or self.send is not None or self.picture) and not self.into:
            raise ValueError("say which field it goes 'into'")
        if self.into and self.type is None and self.send is None and self.picture is None:
            raise ValueError("'into' goes with 'type', 'send' or 'picture'")
        return self

    @property
    def verb(self) -> str:
        return next((v for v in ACTION_VERBS if getattr(self, v) is not None), "send")


def actions(value: Any) -> Any:
    """`on_tap: {go: x}` and `on_tap: back` are a list of one action."""
    return value if isinstance(value, list) else [value]


class Swipe(StrEnum):
    UP = "up"  # the finger moves up: the list shows what is further down
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"


class Input(_Strict):
    """One thing a practice expects the learner to do, in order. Exactly one of:
    `tap: element`, `hold: element` (a long press), `type: text` `into: field` (on the
    on-screen keyboard), `swipe: up|down|left|right`, `back: true` (the phone's back key)."""

    tap: Slug | None = None
    hold: Slug | None = None
    type: str | None = None
    into: Slug | None = None
    swipe: Swipe | None = None
    back: bool | None = None
    hint: Line | None = Field(None, description="the first hint for this input only")

    @model_validator(mode="before")
    @classmethod
    def _words(cls, value: Any) -> Any:
        return {"back": True} if value == "back" else value

    @model_validator(mode="after")
    def _one_kind(self) -> Input:
        kinds = [k for k in ("tap", "hold", "type", "swipe", "back") if getattr(self, k)]
        if len(kinds) != 1:
            found = ", ".join(kinds) or "none"
            raise ValueError(
                f"an input needs exactly one of tap, hold, type, swipe, back (found: {found})"
            )
        if (self.type is None) != (self.into is None):
            raise ValueError("'type' needs 'into' (the field typed into), and only it")
        return self

    @property
    def kind(self) -> Literal["tap", "hold", "type", "swipe", "back"]:
        if self.tap is not None:
            return "tap"
        if self.hold is not None:
            return "hold"
        if self.type is not None:
            return "type"
        return "swipe" if self.swipe is not None else "back"

    @property
    def element(self) -> str | None:
        """The element this input is about (the one a hint shines on)."""
        return self.tap or self.hold or self.into
