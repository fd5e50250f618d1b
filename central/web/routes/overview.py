"""The centers overview and one center's devices, today's classes and open help calls."""

from __future__ import annotations

import time
import unicodedata
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from central.class_states import active_classes
from central.devices import devices_of
from central.help_calls import open_calls
from central.overview import PAGE_SIZE, centers_page
from central.schedule import between, day_bounds
from central.site_notices import recent_notices
from central.web.auth import CurrentUser
from central.web.connections import Connections
from central.web.permissions import Center
from central.web.render import render
from central.web.routes.library import kiosks_of
from central.web.routes.set_aside import notice_of
from central.web.settings import WebSettings

router = APIRouter(include_in_schema=False)
Page = Annotated[int, Query(ge=0, le=10_000)]
Search = Annotated[str, Query(max_length=40)]


@router.get("/")
def overview(request: Request, user: CurrentUser, q: Search = "", page: Page = 0) -> Response:
    settings: WebSettings = request.app.state.settings
    connections: Connections = request.app.state.connections
    q = unicodedata.normalize("NFC", q)  # as names are stored (central/text_input.py)
    rows, total = centers_page(connections.get(), user, time.time(), settings.tz, q, page)
    return render(
        request,
        "overview.html",
        user,
        rows=rows,
        total=total,
        page=page,
        q=q,
        first=page * PAGE_SIZE + 1,
        last=page * PAGE_SIZE + len(rows),
        more=(page + 1) * PAGE_SIZE < total,
        titles=lesson_titles(request),
    )


@router.get("/centers/{center}")
def center_page(request: Request, user: CurrentUser, center: Center) -> Response:
    settings: WebSettings = request.app.state.settings
    db = request.app.state.connections.get()
    now = time.time()
    start, end = day_bounds(now, settings.tz)
    devices = devices_of(db, center.id)
    return render(
        request,
        "center.html",
        user,
        center=center,
        now=now,
        devices=devices,
        classes=between(db, center.id, start, end),
        running=active_classes(db, center.id),
        calls=open_calls(db, [center.id]),
        titles=lesson_titles(request),
        notice=notice_of(db, center.id, devices),
        libraries=kiosks_of(request, center.id),
        notices=recent_notices(db, center.id, request.session.get("lang", "ko")),
    )


def lesson_titles(request: Request) -> dict[str, str]:
    """Lesson id → title in the interface language (the id if the library lacks it)."""
    lang = "en" if request.session.get("lang") == "en" else "ko"
    return {
        lesson_id: lesson.title.get(lang)
        for lesson_id, lesson in request.app.state.library.lessons.items()
    }
