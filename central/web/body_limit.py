"""Request bodies are limited before anything reads them: a pure ASGI middleware.

A declared `Content-Length` over the limit is answered 413 at once, without reading a
byte of the body. A body without one (chunked) or one that lies is counted as it streams
in, and refused the moment it passes the limit, before a form parser has seen it whole
and before a multipart file could be spooled to disk. Unread bytes stay in the socket
(uvicorn stops reading when its small buffer is full) and the connection is closed.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central.web.i18n import translate

API_PREFIX = "/api/"


class BodyTooLarge(Exception):
    """The request body passed its limit while it was being read."""


class BodyLimit:
    """Refuse request bodies over `limit_of(path)` bytes with 413."""

    def __init__(self, app: ASGIApp, limit_of: Callable[[str], int]) -> None:
        self.app = app
        self.limit_of = limit_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_of(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(scope, send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if started:  # the app answered before reading all of it; nothing more to say
                raise
            await _too_large(scope, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 2**63  # not a number: treat as too large rather than guess
    return None


async def _too_large(scope: Scope, send: Send) -> None:
    """413 as JSON under /api/, a short page in both languages elsewhere; close after."""
    if scope["path"].startswith(API_PREFIX):
        body = json.dumps(
            {"error": "too_large", "message": translate("too_large", "en")}, ensure_ascii=False
        ).encode()
        kind = b"application/json"
    else:
        words = f"{translate('too_large', 'ko')} / {translate('too_large', 'en')}"
        body = (
            '<!doctype html><html lang="ko"><meta charset="utf-8"><title>413</title>'
            f"<p>{words}</p></html>"
        ).encode()
        kind = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                (b"cache-control", b"no-store"),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
