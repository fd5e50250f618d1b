"""The dashboard's settings, loaded once and passed in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from central.login_throttle import LoginPolicy

# A working day: an instructor signs in once in the morning. After that the session has
# ended in the database (whatever the cookie says) and they sign in again.
SESSION_SECONDS = 10 * 3600
TIMEZONE = "Asia/Seoul"  # every center of the city; see central/schedule_rules.py on DST
SEOUL = ZoneInfo(TIMEZONE)
# Request bodies are counted as they arrive and refused (413) past these, before anything
# parses them. The largest form (a class, eight robots) is well under 2 KiB; 64 KiB leaves
# room for long Korean text in UTF-8 and future forms. The API takes no bodies today
# (writes carry their data in the path); 16 KiB leaves room for small JSON writes.
MAX_FORM_BYTES = 64 * 1024
MAX_API_BYTES = 16 * 1024
# How long a browser that signed in stays known to the account (see login_throttle.py).
DEVICE_SECONDS = 180 * 24 * 3600
# HSTS: a year, the value browsers' preload lists ask for.
HSTS_SECONDS = 365 * 24 * 3600


@dataclass(frozen=True)
class WebSettings:
    db_path: Path | str  # central's database: a SQLite file or a URL (central/db/url.py)
    secret_key: str  # signs session cookies; ≥ 32 random bytes, kept outside the repository
    secure_cookies: bool = False  # True when served over https: cookies only go over TLS, HSTS
    tz: ZoneInfo = SEOUL
    session_seconds: int = SESSION_SECONDS
    login_policy: LoginPolicy = field(default_factory=LoginPolicy)
    max_form_bytes: int = MAX_FORM_BYTES
    max_api_bytes: int = MAX_API_BYTES
