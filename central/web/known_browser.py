"""The "known browser" cookie: proof that this browser signed in to an account before.

It is signed with the session key and names the account and a random id. A browser that
shows one for the account it signs in to is counted apart from strangers
(central/login_throttle.py), so someone guessing the account's password elsewhere does not
slow its owner down. It grants nothing else: the password is still needed every time.
"""

from __future__ import annotations

import secrets

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from central.web.settings import DEVICE_SECONDS, WebSettings

COOKIE = "sarangbang_device"
_SALT = "sarangbang.known-browser"


def _serializer(settings: WebSettings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt=_SALT)


def device_for(request: Request, username: str) -> str | None:
    """The id of this browser's cookie, if it is valid and for `username` (normalised)."""
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    try:
        data = _serializer(request.app.state.settings).loads(value, max_age=DEVICE_SECONDS)
    except BadSignature:
        return None
    if not (isinstance(data, list) and len(data) == 2 and data[0] == username):
        return None
    return str(data[1])


def remember(request: Request, response: Response, username: str) -> None:
    """Give the browser a cookie for `username` (kept if it already has one)."""
    if device_for(request, username):
        return
    settings: WebSettings = request.app.state.settings
    value = _serializer(settings).dumps([username, secrets.token_urlsafe(16)])
    response.set_cookie(
        COOKIE,
        value,
        max_age=DEVICE_SECONDS,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
