"""What central accepts from a center beyond the wire format: the meaning of each event.

Pure: intake passes in central's clock, its lesson catalog and where the batch's learners
are on the roster, and gets back, for each event, whether to store it (perhaps with marks)
or to set it aside. Nothing a kiosk really recorded is dropped silently: an event set aside
is kept whole in `set_aside`, and the batch's ack says how many and why.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from central.summaries import MAX_COUNTED_SECONDS, counted_seconds, hint_level
from lessons.events import EventRecord
from lessons.session import MAX_HINT_LEVEL

# Sarangbang's kiosks did not exist before 2024: an earlier time is a kiosk whose clock was
# reset (1970 or 2000 after a flat clock battery), not progress from then.
EARLIEST_EVENT_AT = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
# A kiosk a few hours fast (a wrong time zone) is tolerated; more than a day ahead of
# central is a clock that never saw a time server, and its "last seen" would stay in the
# future for everyone.
MAX_AHEAD_SECONDS = 24 * 3600.0

# Marks on a stored event (events.flags), for the dashboard to show.
NOT_ON_ROSTER = "learner-not-on-roster"
SECONDS_NOT_COUNTED = "seconds-not-counted"
HINT_NOT_COUNTED = "hint-level-not-counted"


@dataclass(frozen=True)
class Verdict:
    """Store the event (with `flags`), or set it aside for `set_aside` (a reason)."""

    set_aside: str | None = None
    flags: tuple[str, ...] = ()


STORE = Verdict()


def judge(
    event: EventRecord,
    *,
    center: str,
    now: float,
    lessons: Collection[str] | None,
    learner_centers: Mapping[str, str],
) -> Verdict:
    """`lessons`: central's catalog (None: any slug); `learner_centers`: the center of each
    learner of the batch that is on some roster."""
    learner = event.learner_id
    owner = learner_centers.get(learner) if learner else center
    in_window = EARLIEST_EVENT_AT <= event.at <= now + MAX_AHEAD_SECONDS
    known = lessons is None or event.lesson_id in lessons
    if not (in_window and known) or (owner is not None and owner != center):
        return Verdict(set_aside=_refusal(event, now, known))
    detail = event.detail
    uncounted = () if _all_counted(detail) else _uncounted(detail)
    if owner is None:
        return _NOT_ON_ROSTER if not uncounted else Verdict(flags=(NOT_ON_ROSTER, *uncounted))
    return Verdict(flags=uncounted) if uncounted else STORE


_NOT_ON_ROSTER = Verdict(flags=(NOT_ON_ROSTER,))


def _all_counted(detail: Mapping[str, object]) -> bool:
    """The common case, without calls: runs for every event central receives."""
    seconds, hint = detail.get("seconds"), detail.get("hint_level")
    if seconds is not None:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            return False
        if not 0 <= seconds <= MAX_COUNTED_SECONDS:
            return False
    return hint is None or (type(hint) is int and 0 <= hint <= MAX_HINT_LEVEL)


def _uncounted(detail: Mapping[str, object]) -> tuple[str, ...]:
    flags = []
    seconds, hint = detail.get("seconds"), detail.get("hint_level")
    if seconds is not None and counted_seconds(detail) != seconds:
        flags.append(SECONDS_NOT_COUNTED)
    if hint is not None and hint_level(detail) != hint:
        flags.append(HINT_NOT_COUNTED)
    return tuple(flags)


def _refusal(event: EventRecord, now: float, known: bool) -> str:
    if event.at < EARLIEST_EVENT_AT:
        return f"event {event.id} at {_when(event.at)}: before 2024, the kiosk's clock is wrong"
    if event.at > now + MAX_AHEAD_SECONDS:
        return (
            f"event {event.id} at {_when(event.at)}: more than a day ahead of central's clock "
            f"({_when(now)}), the kiosk's clock is wrong"
        )
    if not known:
        return f"event {event.id}: lesson {event.lesson_id!r} is not in central's catalog"
    # never which center: the reason goes back to the site
    return f"event {event.id}: learner {event.learner_id} is on another center's roster"


def _when(at: float) -> str:
    try:
        return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, ValueError, OSError):
        return f"{at:.0f} s since 1970"
