"""WCAG 2.2 contrast: relative luminance of sRGB colours and the ratio between two."""

from __future__ import annotations

RGB = tuple[float, float, float]

AAA_TEXT = 7.0  # WCAG 2.2 success criterion 1.4.6 (contrast, enhanced)


def hex_to_rgb(colour: str) -> RGB:
    """'#1A2B3C' -> (0.10, 0.17, 0.24)."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def relative_luminance(rgb: RGB) -> float:
    def linear(channel: float) -> float:
        if channel <= 0.04045:
            return channel / 12.92
        return float(((channel + 0.055) / 1.055) ** 2.4)

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """From 1 (same) to 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
