"""What the library page and the center page say about published lesson libraries, in
message keys: a center keeper's state, a kiosk's version, the city's totals. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from central.library_publish import Published
from central.library_reach import CenterReach, KioskReach, ReachCounts
from central.text_input import displayable

# Warned kiosks listed above the centers (a city has thousands; the rest are counted).
WARNED_SHOWN = 100
PROBLEM_CHARS = 200  # a keeper's or kiosk's problem as shown (it came from a center)


@dataclass(frozen=True)
class Words:
    """A message key and what fills it in."""

    key: str
    values: dict[str, object]


def keeper_state(keeper: CenterReach | None) -> Words:
    """has version N / fetching, X to go / refused: why / not heard from."""
    if keeper is None:
        return Words("keeper_not_heard", {})
    if keeper.problem:
        return Words("keeper_refused", {"why": displayable(keeper.problem, PROBLEM_CHARS)})
    if keeper.missing_bytes and keeper.offered != keeper.version:
        to_go = human_bytes(keeper.missing_bytes)
        return Words("keeper_fetching", {"n": keeper.offered, "size": to_go})
    if keeper.version is None:
        return Words("keeper_no_version", {})
    return Words("keeper_has", {"n": keeper.version})


def kiosk_version(kiosk: KioskReach | None) -> Words:
    """The version a kiosk teaches (the library it came with, if none was published to it)."""
    if kiosk is None or kiosk.teaching is None:
        return Words("library_bundled", {})
    return Words("library_version_n", {"n": kiosk.teaching})


def human_bytes(n: int) -> str:
    """1,234,567 → '1.2 MB' (the same in Korean and English)."""
    size = float(n)
    for unit in ("B", "KB", "MB"):
        if size < 1000:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


@dataclass(frozen=True)
class Totals:
    """How far the current version has got across every center."""

    current: int | None
    centers: int
    keepers_current: int
    kiosks: int
    kiosks_current: int
    warned: list[KioskReach]  # more than one version behind for a day, the longest first

    @classmethod
    def of(
        cls,
        published: list[Published],
        centers: int,
        counts: ReachCounts,
        behind: list[KioskReach],
        now: float,
    ) -> Totals:
        current = next((p.version for p in published if p.current), None)
        warned = sorted((k for k in behind if k.warn_at(now)), key=lambda k: k.behind_since or 0)
        if current is None:
            return cls(None, centers, 0, counts.kiosks, 0, warned)
        return cls(
            current, centers, counts.keepers_current, counts.kiosks, counts.kiosks_current, warned
        )
