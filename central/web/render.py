"""Rendering pages: the templates, their helpers (words, times, CSRF) and flash messages."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from central.accounts import User
from central.set_aside_notice import flag_key, reason_key
from central.text_input import displayable
from central.web import csrf
from central.web.i18n import Lang, pick_lang, translate, translator
from central.web.library_view import human_bytes, keeper_state, kiosk_version
from central.web.settings import WebSettings

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
# `{{ x | shown }}` for text that came from a center: no control or bidi characters, short.
TEMPLATES.env.filters["shown"] = displayable
# `{{ t(reason | reason_key) }}`: why progress was set aside, in plain words
TEMPLATES.env.filters["reason_key"] = reason_key
TEMPLATES.env.filters["flag_key"] = flag_key
# lesson libraries (central/web/library_view.py): `k | kiosk_version`, `n | size`
TEMPLATES.env.filters["kiosk_version"] = kiosk_version
TEMPLATES.env.filters["keeper_state"] = keeper_state
TEMPLATES.env.filters["size"] = human_bytes
_MINUTE, _HOUR, _DAY = 60, 3600, 86400


def lang_of(request: Request) -> Lang:
    return pick_lang(request.session.get("lang"))


def flash(request: Request, key: str, **values: str) -> None:
    """A message shown once on the next page (after a redirect)."""
    request.session["flash"] = [key, values]


def render(
    request: Request,
    template: str,
    user: User | None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    lang = lang_of(request)
    message = request.session.pop("flash", None)
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            **_helpers(request, user),
            "flash": translate(message[0], lang, **message[1]) if message else None,
            **context,
        },
        status_code=status_code,
    )


def render_fragment(request: Request, template: str, user: User | None, **context: Any) -> str:
    """A part of a page as text (for a live update), with the page's helpers; a message
    waiting for the next page is left for it."""
    return TEMPLATES.get_template(template).render(
        {"request": request, **_helpers(request, user), **context}
    )


def _helpers(request: Request, user: User | None) -> dict[str, Any]:
    settings: WebSettings = request.app.state.settings
    lang = lang_of(request)
    now = time.time()
    return {
        "user": user,
        "lang": lang,
        "t": translator(lang),
        "csrf_field": csrf.FIELD,
        "csrf_token": csrf.token(request),
        "local": lambda at, fmt="%Y-%m-%d %H:%M": local_time(at, settings, fmt),
        "ago": lambda at: ago(at, now, lang),
    }


def local_time(at: float | None, settings: WebSettings, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if at is None:
        return "–"
    return datetime.fromtimestamp(at, settings.tz).strftime(fmt)


def ago(at: float | None, now: float, lang: Lang) -> str:
    """'3분 전' / '3 min ago'."""
    if at is None:
        return translate("never_seen", lang)
    seconds = max(0, int(now - at))
    for unit, key in ((_DAY, "days_ago"), (_HOUR, "hours_ago"), (_MINUTE, "minutes_ago")):
        if seconds >= unit:
            return translate(key, lang, n=seconds // unit)
    return translate("seconds_ago", lang, n=seconds)
