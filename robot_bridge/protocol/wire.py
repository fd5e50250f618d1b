"""The payload rules every robot/class message shares: UTF-8 JSON objects, a protocol version
`v`, a size limit, and decoding that names what is wrong instead of raising something foreign.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from lessons.graphemes import fits

PROTOCOL_VERSION: Literal[1] = 1
# The longest narration line with its cues is ~1 KB; 16 KB leaves room for a whole schedule
# and stops a runaway publisher from making every robot parse megabytes.
MAX_PAYLOAD_BYTES = 16_384
_M = TypeVar("_M", bound="Message")


class ProtocolError(ValueError):
    """A payload is not an acceptable message; the text says why, `id` is its id if readable."""

    def __init__(self, reason: str, message_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message_id = message_id


class Message(BaseModel):
    """Base of every message: frozen, carries the protocol version, ignores unknown fields
    (so a newer sender's extra fields do not break an older receiver), refuses NaN and
    infinity (Python's JSON reader accepts them; a NaN deadline would never expire)."""

    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)

    v: Literal[1] = PROTOCOL_VERSION

    def encode(self) -> bytes:
        """The UTF-8 JSON payload (fields left at None are left out)."""
        return self.model_dump_json(exclude_none=True).encode()


def load_object(payload: bytes) -> dict[str, Any]:
    """The JSON object in `payload`, checked for size, encoding and protocol version."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise ProtocolError(f"payload of {len(payload)} bytes is over {MAX_PAYLOAD_BYTES}")
    try:
        data = json.loads(payload.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProtocolError("payload is not UTF-8") from None
    except ValueError as exc:
        raise ProtocolError(f"payload is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ProtocolError(f"payload is a JSON {type(data).__name__}, not an object")
    message_id = readable_id(data)
    if "v" not in data:
        raise ProtocolError("no protocol version 'v' (this side speaks 1)", message_id)
    if data["v"] != PROTOCOL_VERSION:
        raise ProtocolError(
            f"protocol version {str(data['v'])[:20]} is not supported (this side speaks 1)",
            message_id,
        )
    return data


def decode(model: type[_M], payload: bytes) -> _M:
    """Decode `payload` as `model`; raise ProtocolError naming each bad field."""
    data = load_object(payload)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ProtocolError(describe(exc), readable_id(data)) from None


def describe(exc: ValidationError) -> str:
    """'field.path: message; …' for a pydantic error, short enough for an event."""
    problems = []
    for error in exc.errors(include_url=False)[:5]:
        where = ".".join(str(part) for part in error["loc"]) or "message"
        problems.append(f"{where}: {error['msg']}")
    return "; ".join(problems)


def visible_text(max_chars: int, what: str) -> AfterValidator:
    """A validator for text counted as a person sees it (lessons/graphemes.py)."""

    def check(text: str) -> str:
        if not fits(text, max_chars):
            raise ValueError(f"{what} is 1–{max_chars} characters")
        return text

    return AfterValidator(check)


MAX_NAME_CHARS = 40  # a learner's name, as a person sees it (a family emoji is one)
LearnerName = Annotated[str, visible_text(MAX_NAME_CHARS, "a learner's name")]


ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"  # a command's (or stop's) id, as the protocol allows


def readable_id(data: dict[str, Any]) -> str | None:
    """The message's `id` if it is a valid id, so a rejection can name it (an id the
    protocol does not allow is answered as unreadable: `"id": null`)."""
    value = data.get("id")
    return value if isinstance(value, str) and re.fullmatch(ID_PATTERN, value) else None
