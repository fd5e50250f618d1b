"""Who is signed in: the session cookie names a user and their session epoch.

The cookie is Starlette's signed session (itsdangerous, HttpOnly, SameSite=Lax, Secure when
served over https). Changing a password bumps the account's epoch, which signs out every
other session of that account.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from central.accounts import User, get_user
from central.web import csrf
from central.web.connections import Connections

_USER, _EPOCH = "uid", "epoch"


class NotSignedIn(Exception):
    """No valid session: pages redirect to sign-in, the API answers 401."""


class AdminOnly(Exception):
    """Signed in, but the page is for admins."""


def sign_in(request: Request, user: User) -> None:
    """A fresh session for `user` (a new CSRF token too, so nothing carries over)."""
    lang = request.session.get("lang")
    request.session.clear()
    request.session.update({_USER: user.id, _EPOCH: user.session_epoch})
    if lang:
        request.session["lang"] = lang
    csrf.token(request)


def sign_out(request: Request) -> None:
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang


def optional_user(request: Request) -> User | None:
    user_id, epoch = request.session.get(_USER), request.session.get(_EPOCH)
    if not isinstance(user_id, int):
        return None
    connections: Connections = request.app.state.connections
    user = get_user(connections.get(), user_id)
    if user is None or user.session_epoch != epoch:
        return None
    return user


def signed_in_user(request: Request) -> User:
    """Dependency: the signed-in user, or NotSignedIn."""
    user = optional_user(request)
    if user is None:
        raise NotSignedIn()
    request.state.user = user
    return user


def admin_user(user: Annotated[User, Depends(signed_in_user)]) -> User:
    if not user.is_admin:
        raise AdminOnly()
    return user


CurrentUser = Annotated[User, Depends(signed_in_user)]
Admin = Annotated[User, Depends(admin_user)]
