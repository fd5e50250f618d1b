"""What the kiosk's fonts draw (lessons/glyphs.txt, from NanumGothic and DejaVu Sans)."""

from __future__ import annotations

from pathlib import Path

from lessons.glyphs import in_fallback, in_main_font, undrawable

NANUM = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")


def test_hangul_digits_and_the_kiosks_own_symbols_are_in_nanumgothic() -> None:
    for char in "가힣ㄱㅎ09Az·…▶◀▲▼☎★○●→≡⋮":
        assert in_main_font(char), char


def test_symbols_nanumgothic_lacks_come_from_the_fallback() -> None:
    for char in "⌫✓−☀☁↺✕⚙":
        assert not in_main_font(char) and in_fallback(char), char


def test_colour_emoji_are_named_once_each_in_order() -> None:
    assert undrawable("🔍 검색 ⌫ 🔔 🔍") == ["🔍", "🔔"]
    assert undrawable("☎ 전화\n") == []
    assert undrawable("⚠\ufe0f") == []  # the emoji variation selector draws nothing


def test_the_table_matches_the_installed_font() -> None:
    """The committed table is NanumGothic's as installed (scripts/make_glyph_table.py
    writes it again when the font changes). The font is a required install
    (scripts/install-system-packages.sh): its absence fails here, it is not skipped."""
    assert NANUM.exists(), f"{NANUM}: install Debian's fonts-nanum"
    cmap = _cmap(NANUM)
    for point in (0x20, 0xAC00, 0xD7A3, 0x260E, 0x232B, 0x1F50D):
        assert in_main_font(chr(point)) == (point in cmap), hex(point)


def _cmap(path: Path) -> set[int]:
    """The code points of a TrueType font's Unicode cmap (format 4 subtables), read with
    the standard library: the test needs no font library."""
    import struct

    data = path.read_bytes()
    tables = struct.unpack(">H", data[4:6])[0]
    offset = next(
        struct.unpack(">I", data[12 + 16 * i + 8 : 12 + 16 * i + 12])[0]
        for i in range(tables)
        if data[12 + 16 * i : 12 + 16 * i + 4] == b"cmap"
    )
    points: set[int] = set()
    for i in range(struct.unpack(">H", data[offset + 2 : offset + 4])[0]):
        platform, encoding, sub = struct.unpack(
            ">HHI", data[offset + 4 + 8 * i : offset + 12 + 8 * i]
        )
        at = offset + sub
        if (platform, encoding) != (3, 1) or struct.unpack(">H", data[at : at + 2])[0] != 4:
            continue
        segments = struct.unpack(">H", data[at + 6 : at + 8])[0] // 2
        ends = struct.unpack(f">{segments}H", data[at + 14 : at + 14 + 2 * segments])
        starts_at = at + 16 + 2 * segments
        starts = struct.unpack(f">{segments}H", data[starts_at : starts_at + 2 * segments])
        deltas_at = starts_at + 2 * segments
        deltas = struct.unpack(f">{segments}h", data[deltas_at : deltas_at + 2 * segments])
        ranges_at = deltas_at + 2 * segments
        for s in range(segments):
            for point in range(starts[s], ends[s] + 1):
                if point == 0xFFFF:
                    continue
                offset_word = struct.unpack(">H", data[ranges_at + 2 * s : ranges_at + 2 * s + 2])[
                    0
                ]
                if offset_word == 0:
                    glyph = (point + deltas[s]) & 0xFFFF
                else:
                    where = ranges_at + 2 * s + offset_word + 2 * (point - starts[s])
                    glyph = struct.unpack(">H", data[where : where + 2])[0]
                    glyph = (glyph + deltas[s]) & 0xFFFF if glyph else 0
                if glyph:
                    points.add(point)
    return points
