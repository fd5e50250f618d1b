"""Check that a picture file is a whole PNG without an image library: the signature, the
header, pixel data, and every chunk's checksum up to the end chunk. The pixels are not
unpacked: the checksums already catch a damaged file, and the kiosk checks its library at
every start (all of the bundled pictures take under a millisecond this way)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_OTHER_FORMATS = {
    b"\xff\xd8\xff": "a JPEG",
    b"GIF8": "a GIF",
    b"BM": "a BMP",
    b"<svg": "an SVG",
    b"<?xml": "an SVG or other XML",
}


class PictureError(ValueError):
    """The file is not a usable PNG; the message says why, for a content writer."""


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of the PNG at `path`; PictureError if it is unreadable or not a PNG."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PictureError(f"cannot be read ({exc.strerror or exc})") from None
    return png_size_of(data)


def png_size_of(data: bytes) -> tuple[int, int]:
    """Width and height of the PNG in `data`; PictureError if it is not a whole PNG."""
    if not data.startswith(SIGNATURE):
        raise PictureError(f"is not a PNG picture{_what_it_is(data)}")
    size: tuple[int, int] | None = None
    pixels = False
    position = len(SIGNATURE)
    while True:
        kind, body, position = _chunk(data, position)
        if size is None:
            size = _header(kind, body)
        pixels = pixels or kind == b"IDAT"
        if kind == b"IEND":
            if not pixels:
                raise PictureError("is damaged (it has no pixels)")
            return size


def _chunk(data: bytes, position: int) -> tuple[bytes, bytes, int]:
    """The chunk at `position`: its type, its body, and where the next one starts."""
    if position + 8 > len(data):
        raise PictureError("is cut short (a damaged PNG)")
    length, kind = struct.unpack(">I4s", data[position : position + 8])
    start = position + 8
    end = start + length + 4
    if end > len(data):
        raise PictureError("is cut short (a damaged PNG)")
    body = data[start : start + length]
    (checksum,) = struct.unpack(">I", data[end - 4 : end])
    if zlib.crc32(kind + body) != checksum:
        raise PictureError(f"is damaged (its {kind.decode('latin-1')} part fails its checksum)")
    return kind, body, end


def _header(kind: bytes, body: bytes) -> tuple[int, int]:
    if kind != b"IHDR" or len(body) != 13:
        raise PictureError("is damaged (no PNG header)")
    width, height = struct.unpack(">II", body[:8])
    if not width or not height:
        raise PictureError("is damaged (it is 0 pixels wide or high)")
    return width, height


def _what_it_is(data: bytes) -> str:
    head = data[:16].lstrip()
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return " (it is a WebP; save it as PNG)"
    for magic, name in _OTHER_FORMATS.items():
        if head.startswith(magic):
            return f" (it is {name}; save it as PNG)"
    return ""
