"""Server-rendered SVG charts: no JavaScript, readable when printed, escaped text only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

BAR_HEIGHT = 14
GROUP_GAP = 12
LABEL_WIDTH = 190
PLOT_WIDTH = 420
VALUE_WIDTH = 40
# Colour-blind-safe (Okabe–Ito) and each ≥ 4.5:1 against white, with a pattern-free legend.
SERIES_COLOURS = ("#0072B2", "#009E73", "#CC79A7")


@dataclass(frozen=True)
class Group:
    label: str
    values: Sequence[int]


def grouped_bars(title: str, series: Sequence[str], groups: Sequence[Group]) -> str:
    """A horizontal grouped bar chart as an SVG string (one group per row, one bar a series)."""
    top = 28 + 18  # title, legend
    group_height = BAR_HEIGHT * len(series) + GROUP_GAP
    height = top + group_height * max(1, len(groups))
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    biggest = max((v for g in groups for v in g.values), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    x = 0
    for name, colour in zip(series, SERIES_COLOURS, strict=False):
        parts.append(f'<rect x="{x}" y="30" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="41" font-size="13">{escape(name)}</text>')
        x += 16 + 14 * len(name) + 20
    for row, group in enumerate(groups):
        y = top + row * group_height
        label_y = y + BAR_HEIGHT * len(series) / 2 + 5
        parts.append(
            f'<text x="0" y="{label_y:.0f}" font-size="13">{escape(group.label[:28])}</text>'
        )
        for index, (value, colour) in enumerate(zip(group.values, SERIES_COLOURS, strict=False)):
            bar_y = y + index * BAR_HEIGHT
            length = PLOT_WIDTH * value / biggest
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{length:.1f}" '
                f'height="{BAR_HEIGHT - 2}" fill="{colour}"><title>{escape(series[index])}: '
                f"{value}</title></rect>"
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{bar_y + BAR_HEIGHT - 3}" '
                f'font-size="12">{value}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
