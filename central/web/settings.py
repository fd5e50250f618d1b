"""The dashboard's settings, loaded once and passed in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

# A working day: an instructor signs in once in the morning. After that the cookie is
# refused and they sign in again.
SESSION_SECONDS = 10 * 3600
TIMEZONE = "Asia/Seoul"  # every center of the city; see central/schedule_rules.py on DST
SEOUL = ZoneInfo(TIMEZONE)


@dataclass(frozen=True)
class WebSettings:
    db_path: Path
    secret_key: str  # signs session cookies; ≥ 32 random bytes, kept outside the repository
    secure_cookies: bool = False  # True when served over https: cookies only go over TLS
    tz: ZoneInfo = SEOUL
    session_seconds: int = SESSION_SECONDS
