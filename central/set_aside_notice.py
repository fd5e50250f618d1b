"""What the dashboard tells an instructor about progress that was set aside. Pure.

Two places set progress aside: central's intake (rows of `set_aside`, central/set_aside.py)
and each kiosk's sync agent (its retained status: `set_aside`, `set_aside_reason`,
`ignored_acks`, kept by the site monitor in `devices.detail`). Reasons arrive as English
text written for a log; `reason_key` turns each into a message key (central/web/i18n.py)
so the instructor reads plain words, and the text itself is only ever shown through the
`shown` filter (it comes from the network).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from central.intake_rules import HINT_NOT_COUNTED, NOT_ON_ROSTER, SECONDS_NOT_COUNTED

# The acks of a batch that was stored with some events set aside say so first:
# "3 events set aside at central: <the first reason> (and 2 more)".
_SUMMARY_PREFIX = re.compile(r"^\d+ events set aside at central: ")
# Checked in order: the first pattern found in the reason names it.
_REASONS: tuple[tuple[str, str], ...] = (
    ("before 2024, the kiosk's clock", "aside_clock_behind"),
    ("ahead of central's clock", "aside_clock_ahead"),
    ("not in central's catalog", "aside_unknown_lesson"),
    ("on another center's roster", "aside_other_center"),
    ("-byte batch limit", "aside_too_big"),
    ("bytes exceeds", "aside_too_big"),
    ("central could not store it", "aside_not_stored"),
    ("central could not read it", "aside_unreadable"),
    ("SyncBatch:", "aside_unreadable"),
    ("Invalid JSON", "aside_unreadable"),
    ("but came on the topic of", "aside_wrong_topic"),
    ("not a batch topic", "aside_wrong_topic"),
)
UNKNOWN_REASON = "aside_other_reason"
# Marks intake puts on events it stored with a doubt (central/intake_rules.py), in words.
FLAG_KEYS = {
    NOT_ON_ROSTER: "marked_not_on_roster",
    SECONDS_NOT_COUNTED: "marked_seconds",
    HINT_NOT_COUNTED: "marked_hint",
}
UNKNOWN_FLAG = "marked_other"


def flag_key(flag: str) -> str:
    """The message key that says what a mark on a stored event means."""
    return FLAG_KEYS.get(flag, UNKNOWN_FLAG)


def reason_key(reason: str | None) -> str:
    """The message key that says `reason` in plain words (`aside_other_reason` if unknown)."""
    text = _SUMMARY_PREFIX.sub("", reason or "")
    for pattern, key in _REASONS:
        if pattern in text:
            return key
    return UNKNOWN_REASON


@dataclass(frozen=True)
class KioskAside:
    """What a kiosk's own sync status says it set aside, and how many acks it ignored."""

    set_aside: int = 0
    reason: str | None = None
    ignored_acks: int = 0

    @property
    def reason_key(self) -> str:
        return reason_key(self.reason)


def kiosk_aside(detail: Mapping[str, object]) -> KioskAside:
    """Read a kiosk's sync status as the site sent it; what is not a count counts as 0."""
    reason = detail.get("set_aside_reason")
    return KioskAside(
        _count(detail.get("set_aside")),
        reason if isinstance(reason, str) and reason else None,
        _count(detail.get("ignored_acks")),
    )


def _count(value: object) -> int:
    return value if type(value) is int and value > 0 else 0
