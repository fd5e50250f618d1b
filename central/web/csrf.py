"""CSRF protection: a random token per session, required on every form and every API write.

Forms carry it in a hidden `csrf_token` field; API writes in the `X-CSRF-Token` header (the
API's GET /api/v1/me returns it). SameSite=Lax cookies already stop most cross-site posts;
the token also covers same-site subdomains and older browsers.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from starlette.datastructures import FormData

FIELD = "csrf_token"
# No dashboard form uploads files or has more than a few dozen fields (a class with eight
# robots); the body itself is already limited (central/web/body_limit.py).
MAX_FORM_FIELDS = 100
HEADER = "x-csrf-token"
_SESSION_KEY = "csrf"
TOKEN_BYTES = 32


class CsrfError(Exception):
    """The form or request did not carry this session's CSRF token."""


def token(request: Request) -> str:
    """This session's token (made on first use)."""
    value = request.session.get(_SESSION_KEY)
    if not isinstance(value, str):
        value = request.session[_SESSION_KEY] = secrets.token_urlsafe(TOKEN_BYTES)
    return value


def check(request: Request, submitted: object) -> None:
    expected = request.session.get(_SESSION_KEY)
    if not (
        isinstance(expected, str)
        and isinstance(submitted, str)
        and hmac.compare_digest(expected.encode(), submitted.encode())
    ):
        raise CsrfError()


async def checked_form(request: Request) -> FormData:
    """Dependency: the posted form, after checking its CSRF token."""
    form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
    check(request, form.get(FIELD))
    return form


def checked_header(request: Request) -> None:
    """Dependency for API writes (after the sign-in check, so an anonymous caller is told
    401): the CSRF token must be in the X-CSRF-Token header."""
    check(request, request.headers.get(HEADER))
