"""The JSON API: what the pages show, with the same permissions (and its OpenAPI document)."""

from __future__ import annotations

import time
import unicodedata
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from central.devices import DeviceStatus, devices_of
from central.help_calls import HelpCallError, StoredHelpCall, mark_handled, open_calls
from central.library_reach import KioskReach
from central.overview import centers_page, visible_center_ids
from central.progress import per_learner, per_lesson, stuck
from central.roster import roster_of
from central.schedule import Occurrence, between, day_bounds, week_bounds
from central.set_aside import MAX_REASON_CHARS, SetAside, marked_events, recent
from central.set_aside_notice import flag_key, reason_key
from central.text_input import displayable
from central.web import csrf
from central.web.api_models import (
    CenterDetail,
    CenterList,
    ClassOccurrence,
    Device,
    Handled,
    Learner,
    MarkedOut,
    Me,
    Progress,
    SetAsideReport,
    SetAsideRow,
)
from central.web.auth import CurrentUser
from central.web.library_view import PROBLEM_CHARS
from central.web.permissions import Center, NotVisible
from central.web.query import Week
from central.web.render import render
from central.web.routes.library import kiosks_of
from central.web.routes.set_aside import SHOWN_ROWS, notice_of
from central.web.settings import WebSettings

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "not signed in"},
    404: {"description": "no such thing among what you may see"},
    422: {"description": "a parameter is not valid"},
}
router = APIRouter(prefix="/api/v1", tags=["dashboard"], responses=_ERRORS)
docs_router = APIRouter(include_in_schema=False)
Page = Annotated[int, Query(ge=0, le=10_000)]
Search = Annotated[str, Query(max_length=40)]
LessonFilter = Annotated[str, Query(max_length=64)]
CallId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/me", response_model=Me)
def me(request: Request, user: CurrentUser) -> Me:
    """Who is signed in, and the CSRF token for writes."""
    return Me(
        username=user.username,
        display_name=user.display_name,
        role=user.role.value,
        centers=sorted(user.centers),
        csrf_token=csrf.token(request),
    )


@router.get("/centers", response_model=CenterList)
def centers(request: Request, user: CurrentUser, q: Search = "", page: Page = 0) -> CenterList:
    """The centers you may see, a page (50) at a time."""
    settings: WebSettings = request.app.state.settings
    db = request.app.state.connections.get()
    q = unicodedata.normalize("NFC", q)  # as names are stored (central/text_input.py)
    rows, total = centers_page(db, user, time.time(), settings.tz, q, page)
    return CenterList.model_validate({"total": total, "page": page, "centers": rows})


@router.get("/centers/{center}", response_model=CenterDetail)
def center_detail(request: Request, _user: CurrentUser, center: Center) -> CenterDetail:
    """A center's kiosks and robots, today's classes and open help calls."""
    settings: WebSettings = request.app.state.settings
    db = request.app.state.connections.get()
    now = time.time()
    libraries = kiosks_of(request, center.id)
    return CenterDetail(
        id=center.id,
        name=center.name,
        devices=[_device(d, now, libraries) for d in devices_of(db, center.id)],
        today=[_occurrence(o) for o in between(db, center.id, *day_bounds(now, settings.tz))],
        open_help=open_calls(db, [center.id]),
    )


@router.get("/centers/{center}/set-aside", response_model=SetAsideReport)
def set_aside(request: Request, _user: CurrentUser, center: Center) -> SetAsideReport:
    """Progress set aside: what intake refused (latest first) and what the kiosks kept."""
    db = request.app.state.connections.get()
    notice = notice_of(db, center.id)
    now = time.time()
    libraries = kiosks_of(request, center.id)
    return SetAsideReport(
        central_rows=notice.central_rows,
        at_central=[_set_aside_row(row) for row in recent(db, center.id, SHOWN_ROWS)],
        kiosks=[_device(d, now, libraries) for d in notice.kiosks],
        marked=[
            MarkedOut(flag=m.flag, flag_key=flag_key(m.flag), events=m.events, last_at=m.last_at)
            for m in marked_events(db, center.id, now)
        ],
    )


@router.get("/centers/{center}/learners", response_model=list[Learner])
def learners(request: Request, _user: CurrentUser, center: Center) -> list[Learner]:
    """The center's roster, hidden learners included (marked)."""
    roster = roster_of(request.app.state.connections.get(), center.id)
    return [Learner.model_validate(learner) for learner in roster.learners]


@router.get("/centers/{center}/classes", response_model=list[ClassOccurrence])
def classes(
    request: Request, _user: CurrentUser, center: Center, week: Week = None
) -> list[ClassOccurrence]:
    """Every class of the week containing `week` (default: this week), in time order."""
    settings: WebSettings = request.app.state.settings
    at = datetime.combine(week, datetime.min.time(), settings.tz).timestamp() if week else None
    start, end = week_bounds(at or time.time(), settings.tz)
    found = between(request.app.state.connections.get(), center.id, start, end)
    return [_occurrence(o) for o in found]


@router.get("/centers/{center}/progress", response_model=Progress)
def progress(
    request: Request, _user: CurrentUser, center: Center, lesson: LessonFilter = ""
) -> Progress:
    """Per lesson, per learner (of `lesson`, or all) and who is stuck."""
    if lesson and lesson not in request.app.state.library.lessons:
        raise NotVisible(lesson)
    db = request.app.state.connections.get()
    return Progress(
        lessons=per_lesson(db, center.id),
        learners=per_learner(db, center.id, lesson or None),
        stuck=stuck(db, center.id, lesson or None),
    )


@router.get("/help", response_model=list[StoredHelpCall])
def help_calls(request: Request, user: CurrentUser) -> list[StoredHelpCall]:
    """Open help calls of every center you may see, newest first."""
    db = request.app.state.connections.get()
    return open_calls(db, visible_center_ids(db, user))


@router.post(
    "/help/{call_id}/handled",
    response_model=Handled,
    responses={403: {"description": "no or wrong X-CSRF-Token header"}},
)
def help_handled(request: Request, user: CurrentUser, call_id: CallId) -> Handled:
    """Mark an open help call handled."""
    csrf.checked_header(request)  # after the sign-in check: anonymous callers get 401
    db = request.app.state.connections.get()
    try:
        center = mark_handled(db, call_id, user.id, visible_center_ids(db, user))
    except HelpCallError:
        raise NotVisible(call_id) from None
    return Handled(id=call_id, center=center)


@docs_router.get("/api/openapi.json")
def openapi(request: Request, _user: CurrentUser) -> Response:
    return JSONResponse(request.app.openapi())


@docs_router.get("/api/docs")
def docs(request: Request, user: CurrentUser) -> Response:
    """The API described from the OpenAPI document, without loading anything from outside."""
    spec = request.app.openapi()
    operations = [
        (method.upper(), path, operation.get("summary", ""), operation.get("description", ""))
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    ]
    return render(request, "api_docs.html", user, operations=operations, spec=spec)


def _set_aside_row(row: SetAside) -> SetAsideRow:
    """A row of `set_aside` as the API tells it (never its payload: it came from a site)."""
    return SetAsideRow(
        kiosk=displayable(row.kiosk),
        batch_id=row.batch_id and displayable(row.batch_id),
        first_seq=row.first_seq,
        last_seq=row.last_seq,
        event_id=row.event_id,
        reason=displayable(row.reason, MAX_REASON_CHARS),
        reason_key=reason_key(row.reason),
        size=row.size,
        sha256=row.sha256,
        first_at=row.first_at,
        last_at=row.last_at,
        times=row.times,
    )


def _device(d: DeviceStatus, now: float, libraries: dict[str, KioskReach]) -> Device:
    """A device as the API tells it; text the kiosk sent is made safe to show."""
    library = libraries.get(d.device) if d.kind == "kiosk" else None
    return Device.model_validate(d).model_copy(
        update={
            "device": displayable(d.device),
            "online": d.online_at(now),
            "set_aside": d.aside.set_aside,
            "set_aside_reason": displayable(d.aside.reason, MAX_REASON_CHARS)
            if d.aside.reason
            else None,
            "set_aside_reason_key": d.aside.reason_key if d.aside.set_aside else None,
            "ignored_acks": d.aside.ignored_acks,
            **(_library(library, now) if library else {}),
        }
    )


def _library(k: KioskReach, now: float) -> dict[str, object]:
    return {
        "library_version": k.teaching,
        "library_installed": k.installed,
        "library_problem": displayable(k.problem, PROBLEM_CHARS) if k.problem else None,
        "library_far_behind": k.warn_at(now),
    }


def _occurrence(o: Occurrence) -> ClassOccurrence:
    k = o.klass
    return ClassOccurrence(
        class_id=k.id,
        lesson_id=k.lesson_id,
        starts_at=o.at,
        minutes=k.minutes,
        room=k.room,
        robots=list(k.robots),
        weekly=k.weekly,
        instructor_id=k.instructor_id,
    )
