"""Who is signed in: the session cookie carries a random token that names a server-side
session (central/sessions.py), so signing out and expiry are decided by the database.

The cookie itself is Starlette's signed session (itsdangerous, HttpOnly, SameSite=Lax,
Secure when served over https); besides the token it holds only the language, the CSRF
token and a one-time message. A copy of it is worth nothing once the session is revoked or
has expired, however recently the cookie was re-signed.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Depends, Request

from central import sessions
from central.accounts import User, get_user
from central.web import csrf
from central.web.connections import Connections
from central.web.settings import WebSettings

_TOKEN = "sid"


class NotSignedIn(Exception):
    """No valid session: pages redirect to sign-in, the API answers 401."""


class AdminOnly(Exception):
    """Signed in, but the page is for admins."""


def sign_in(request: Request, user: User) -> None:
    """A fresh session for `user` (a new CSRF token too, so nothing carries over); a session
    this browser had before is revoked."""
    settings: WebSettings = request.app.state.settings
    connections: Connections = request.app.state.connections
    previous = request.session.get(_TOKEN)
    if isinstance(previous, str):
        sessions.revoke(connections.get(), previous, time.time())
    token = sessions.start(connections.get(), user.id, time.time(), settings.session_seconds)
    lang = request.session.get("lang")
    request.session.clear()
    request.session[_TOKEN] = token
    if lang:
        request.session["lang"] = lang
    csrf.token(request)


def sign_out(request: Request) -> None:
    """Revoke the session in the database (every copy of the cookie is signed out)."""
    token = request.session.get(_TOKEN)
    if isinstance(token, str):
        connections: Connections = request.app.state.connections
        sessions.revoke(connections.get(), token, time.time())
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang


def optional_user(request: Request) -> User | None:
    """The signed-in user, if the cookie names a live session (looked up once per request)."""
    if hasattr(request.state, "user"):
        found: User | None = request.state.user
        return found
    token = request.session.get(_TOKEN)
    user = None
    if isinstance(token, str):
        db = request.app.state.connections.get()
        user_id = sessions.user_of(db, token, time.time())
        user = get_user(db, user_id) if user_id is not None else None
    request.state.user = user
    return user


def signed_in_user(request: Request) -> User:
    """Dependency: the signed-in user, or NotSignedIn."""
    user = optional_user(request)
    if user is None:
        raise NotSignedIn()
    return user


def admin_user(user: Annotated[User, Depends(signed_in_user)]) -> User:
    if not user.is_admin:
        raise AdminOnly()
    return user


CurrentUser = Annotated[User, Depends(signed_in_user)]
Admin = Annotated[User, Depends(admin_user)]
