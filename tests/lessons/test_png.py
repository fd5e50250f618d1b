"""The picture check reads PNGs with the standard library alone, and turns every broken
file into a PictureError that a content writer can act on, never another exception."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lessons.library import BUNDLED_LIBRARY
from lessons.png import PictureError, png_size, png_size_of

PICTURES = BUNDLED_LIBRARY / "pictures"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    rows = b"".join(b"\x00" + b"\x10\x20\x30" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


def test_a_whole_png_gives_its_size() -> None:
    assert png_size_of(tiny_png(3, 2)) == (3, 2)


def test_every_bundled_picture_is_a_256_pixel_square_png() -> None:
    pictures = sorted(PICTURES.glob("*.png"))
    assert len(pictures) >= 10
    for path in pictures:
        assert png_size(path) == (256, 256), path.name


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "is not a PNG picture (it is a JPEG; save it as PNG)"),
        (b"GIF89a\x01\x00", "is not a PNG picture (it is a GIF; save it as PNG)"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "is not a PNG picture (it is a WebP; save it as PNG)"),
        (b"  <svg xmlns='http://www.w3.org/2000/svg'/>", "(it is an SVG; save it as PNG)"),
        (b"hello", "is not a PNG picture"),
        (b"\x89PNG\r\n\x1a\n" + _chunk(b"IEND", b""), "is damaged (no PNG header)"),
        (tiny_png()[:33] + _chunk(b"IEND", b""), "is damaged (it has no pixels)"),
    ],
)
def test_broken_files_say_what_is_wrong(data: bytes, message: str) -> None:
    with pytest.raises(PictureError, match=re.escape(message)):
        png_size_of(data)


def test_a_folder_cannot_be_read(tmp_path: Path) -> None:
    folder = tmp_path / "folder.png"
    folder.mkdir()
    with pytest.raises(PictureError, match="cannot be read"):
        png_size(folder)


@given(st.integers(min_value=0, max_value=len(tiny_png()) - 1))
def test_every_cut_of_a_png_is_reported(length: int) -> None:
    with pytest.raises(PictureError):
        png_size_of(tiny_png()[:length])


@given(st.binary(max_size=200), st.integers(min_value=0, max_value=400))
def test_any_bytes_give_a_size_or_a_picture_error(junk: bytes, at: int) -> None:
    data = bytearray(tiny_png())
    data[at : at + len(junk)] = junk  # overwrite (or grow) part of a good PNG
    try:
        width, height = png_size_of(bytes(data))
    except PictureError:
        return
    assert width > 0 and height > 0
