"""How a published lesson library travels (docs/lesson-publishing.md): an offer, requests for
bytes of a file, and the bytes. The same three messages go central → center over the bridge
and the center's keeper → each kiosk on the site broker:

    …/library/offer                 central → site, retained   an offer
    …/library/fetch                 site → central             a request
    …/library/blob                  central → site             a blob message
    …/library/site                  keeper → kiosks, retained  an offer
    …/kiosks/{kiosk}/library/fetch  kiosk → keeper             a request
    …/kiosks/{kiosk}/library/blob   keeper → kiosk             a blob message

An offer is `{"v":1,"version":7,"manifest":"ab12…","size":48213}` (the signed manifest's
SHA-256 and size), a request `{"v":1,"blob":"ab12…","offset":0,"length":262144}`.
A blob message is a JSON header — `{"v":1,"blob":"ab12…","offset":0,"size":48213}`, with
`"missing":true` and no bytes when the sender has no such file — then a newline, then up to
`CHUNK_BYTES` raw bytes (no base64: a picture costs its own size on the wire). Files are
named by their SHA-256, the manifest too, so every byte a receiver keeps is checked against
the name it asked for, and only a manifest signed by a key it trusts makes it ask for files.

    mosquitto_pub -t sarangbang/v1/centers/mapo-2/library/fetch \\
      -m '{"v":1,"blob":"<sha256>","offset":0,"length":262144}'
"""

from __future__ import annotations

import json
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lessons.bundle import MAX_FILE_BYTES, MAX_MANIFEST_BYTES, MAX_VERSION

# 256 KB a message: an eighth of the brokers' 2 MB max_packet_size, and a picture in one or
# two messages; `WINDOW` requests in flight keep the link full without a burst that would
# hold a center's sync batches back on the same bridge for long (2 MB at a time).
CHUNK_BYTES = 262_144
WINDOW = 8
_SHA = r"^[0-9a-f]{64}$"
MAX_HEADER_BYTES = 512
_M = TypeVar("_M", bound=BaseModel)


class LibraryProtocolError(ValueError):
    """A library message is not acceptable; the message says why."""


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    v: Literal[1] = 1


class LibraryOffer(_Message):
    """The version to teach from, and the signed manifest's file (SHA-256 and size)."""

    version: Annotated[int, Field(ge=1, le=MAX_VERSION)]
    manifest: Annotated[str, Field(pattern=_SHA)]
    size: Annotated[int, Field(ge=1, le=MAX_MANIFEST_BYTES)]


class BlobRequest(_Message):
    blob: Annotated[str, Field(pattern=_SHA)]
    offset: Annotated[int, Field(ge=0, le=MAX_FILE_BYTES)]
    length: Annotated[int, Field(ge=1, le=CHUNK_BYTES)]


class BlobHeader(_Message):
    blob: Annotated[str, Field(pattern=_SHA)]
    offset: Annotated[int, Field(ge=0, le=MAX_FILE_BYTES)]
    size: Annotated[int, Field(ge=0, le=MAX_FILE_BYTES)] = 0
    missing: bool = False


def encode(message: _Message) -> bytes:
    return message.model_dump_json().encode()


def parse_offer(payload: bytes) -> LibraryOffer:
    return _parse(LibraryOffer, payload)


def parse_request(payload: bytes) -> BlobRequest:
    return _parse(BlobRequest, payload)


def blob_message(header: BlobHeader, data: bytes = b"") -> bytes:
    return encode(header) + b"\n" + data


def parse_blob(payload: bytes) -> tuple[BlobHeader, bytes]:
    """The header and the bytes of a blob message."""
    head, newline, data = payload.partition(b"\n")
    if not newline or len(head) > MAX_HEADER_BYTES:
        raise LibraryProtocolError("a blob message starts with a JSON header line")
    header = _parse(BlobHeader, head)
    if len(data) > CHUNK_BYTES or (header.missing and data):
        raise LibraryProtocolError(f"a blob message carries at most {CHUNK_BYTES} bytes")
    return header, data


def _parse(model: type[_M], payload: bytes) -> _M:
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise LibraryProtocolError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise LibraryProtocolError("not a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "message"
        raise LibraryProtocolError(f"{where}: {first['msg']}") from None
