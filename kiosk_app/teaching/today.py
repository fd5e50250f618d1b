"""Today's class for the welcome screen, from the center's schedule: "오늘의 수업: 영상통화
배우기, 오후 2시" ("Today's class: Video calls, 2 pm"). Pure: the schedule, the lesson
titles, the time, the time zone and the language are passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo

from kiosk_app.look.ui_text import tr
from lessons import Language
from robot_bridge.protocol.class_messages import Schedule, ScheduledClass
from robot_bridge.protocol.wire import ProtocolError, decode

# A class that started this long ago is still "today's class" (it is probably running).
STILL_ON_SECONDS = 90 * 60


def parse_schedule(text: str | None) -> Schedule | None:
    """The schedule kept in the store (its JSON), or None if there is none or it is unusable."""
    if not text:
        return None
    try:
        return decode(Schedule, text.encode())
    except ProtocolError:
        return None


def todays_class(
    schedule: Schedule | None, now: float, tz: tzinfo | None = None
) -> ScheduledClass | None:
    """The next class today (or one that started within the last 90 minutes)."""
    if schedule is None:
        return None
    today = datetime.fromtimestamp(now, tz).date()
    candidates = [
        entry
        for entry in schedule.classes
        if entry.starts_at >= now - STILL_ON_SECONDS
        and datetime.fromtimestamp(entry.starts_at, tz).date() == today
    ]
    return min(candidates, key=lambda entry: entry.starts_at, default=None)


def clock_words(at: float, tz: tzinfo | None = None, language: Language = "ko") -> str:
    """오전 10시, 오후 2시 30분 (10 am, 2:30 pm): how the time is said."""
    moment = datetime.fromtimestamp(at, tz)
    half = tr("time.am" if moment.hour < 12 else "time.pm", language)
    hour, minute = moment.hour % 12 or 12, moment.minute
    key = "time.hour_minute" if minute else "time.hour"
    return tr(key, language, half=half, hour=hour, minute=minute)


def today_line(
    schedule: Schedule | None,
    titles: Mapping[str, str],
    now: float,
    tz: tzinfo | None = None,
    language: Language = "ko",
) -> str:
    """The welcome screen's line about today's class, or "" when there is none."""
    entry = todays_class(schedule, now, tz)
    if entry is None:
        return ""
    title = titles.get(entry.lesson_id, entry.lesson_id)
    return tr("today.line", language, title=title, time=clock_words(entry.starts_at, tz, language))
