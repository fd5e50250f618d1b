"""A center's schedule: a week view, the class form (new, edit) and cancelling a class
(one occurrence, or it and every later one) after a confirmation page.

The form is read by the pure `central.class_form` and clashes are found by the pure
`central.schedule_rules`; this module only carries requests to them and answers back.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from central.class_form import (
    Choices,
    Errors,
    FieldError,
    clash_errors,
    format_local_time,
    input_local_time,
    read_class_form,
)
from central.devices import devices_of
from central.schedule import (
    CancelError,
    CancelScope,
    ScheduleError,
    StoredClass,
    between,
    cancel_occurrence,
    get_class,
    save_class,
    week_bounds,
)
from central.schedule_rules import is_occurrence
from central.track_progress import lessons_by_track
from central.web import csrf
from central.web.auth import CurrentUser
from central.web.permissions import Center, CenterRef, NotVisible
from central.web.query import FIRST_AT, LAST_AT, At, Week
from central.web.render import flash, lang_of, render
from central.web.routes.overview import lesson_titles
from central.web.settings import WebSettings

router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(csrf.checked_form)]
ClassId = Annotated[str, Path(max_length=64)]
DEFAULT_CLASS_MINUTES = 60
DEFAULT_ROOM = "교실"


@router.get("/centers/{center}/schedule")
def week(
    request: Request,
    user: CurrentUser,
    center: Center,
    week: Week = None,
) -> Response:
    settings: WebSettings = request.app.state.settings
    at = (
        datetime.combine(week, datetime.min.time(), settings.tz).timestamp()
        if week
        else time.time()
    )
    start, end = week_bounds(at, settings.tz)
    found = between(request.app.state.connections.get(), center.id, start, end, True)
    monday = datetime.fromtimestamp(start, settings.tz).date()
    days = [monday + timedelta(days=n) for n in range(7)]
    by_day = {day: [o for o in found if _local_date(o.at, settings) == day] for day in days}
    return render(
        request,
        "schedule_week.html",
        user,
        center=center,
        days=days,
        by_day=by_day,
        monday=monday,
        previous=monday - timedelta(days=7),
        following=monday + timedelta(days=7),
        titles=lesson_titles(request),
        instructors=dict(_instructors(request, center.id)),
    )


@router.get("/centers/{center}/schedule/new")
def new_form(request: Request, user: CurrentUser, center: Center) -> Response:
    settings: WebSettings = request.app.state.settings
    start = (int(time.time()) // 3600 + 1) * 3600  # the next full hour
    values = {
        "starts": input_local_time(start, settings.tz),
        "minutes": str(DEFAULT_CLASS_MINUTES),
        "room": DEFAULT_ROOM,
        "instructor_id": "" if user.is_admin else str(user.id),
    }
    return _form(request, user, center, None, values, [], {})


@router.post("/centers/{center}/schedule/new")
def create(request: Request, user: CurrentUser, center: Center, form: Form) -> Response:
    return _save(request, user, center, None, form)


@router.get("/centers/{center}/schedule/{class_id}")
def edit_form(
    request: Request, user: CurrentUser, center: Center, class_id: ClassId, at: At = None
) -> Response:
    settings: WebSettings = request.app.state.settings
    klass = _class(request, center.id, class_id)
    next_at = klass.next_at(time.time())
    values = {
        "lesson_id": klass.lesson_id,
        # a series that has met is changed from its next occurrence on
        "starts": input_local_time(next_at or klass.starts_at, settings.tz),
        "minutes": str(klass.minutes),
        "room": klass.room,
        "repeat": "weekly" if klass.weekly else "once",
        "instructor_id": "" if klass.instructor_id is None else str(klass.instructor_id),
        "lang": klass.lang,
    }
    return _form(request, user, center, klass.id, values, list(klass.robots), {}, at)


@router.post("/centers/{center}/schedule/{class_id}")
def update(
    request: Request, user: CurrentUser, center: Center, class_id: ClassId, form: Form
) -> Response:
    _class(request, center.id, class_id)
    return _save(request, user, center, class_id, form)


@router.get("/centers/{center}/schedule/{class_id}/cancel")
def cancel_page(
    request: Request, user: CurrentUser, center: Center, class_id: ClassId, at: At = None
) -> Response:
    """Which occurrence to cancel, and whether the later ones go too: asked before doing."""
    klass = _class(request, center.id, class_id)
    return _cancel_page(request, user, center, klass, _coming(klass, at))


@router.post("/centers/{center}/schedule/{class_id}/cancel")
def cancel(
    request: Request, user: CurrentUser, center: Center, class_id: ClassId, form: Form
) -> Response:
    settings: WebSettings = request.app.state.settings
    klass = _class(request, center.id, class_id)
    at = _int(form.get("at"))
    scope = CancelScope.LATER if form.get("scope") == "later" else CancelScope.ONE
    try:
        if at is None:
            raise CancelError("not_an_occurrence")
        db = request.app.state.connections.get()
        cancel_occurrence(db, center.id, class_id, float(at), scope, user.id)
    except ScheduleError:
        raise NotVisible(class_id) from None
    except CancelError as exc:
        coming = _coming(klass, at)
        return _cancel_page(request, user, center, klass, coming, FieldError(exc.key), 422)
    when = format_local_time(at, settings.tz)
    flash(request, f"class_cancelled_{scope.value}", when=when)
    day = datetime.fromtimestamp(at, settings.tz).date().isoformat()
    return RedirectResponse(f"/centers/{center.id}/schedule?week={day}", status_code=303)


def _save(
    request: Request, user: CurrentUser, center: CenterRef, class_id: str | None, form: FormData
) -> Response:
    settings: WebSettings = request.app.state.settings
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    robots = [r for r in form.getlist("robots") if isinstance(r, str)]
    choices = Choices(
        lessons=request.app.state.library.lessons.keys(),
        instructors={uid for uid, _ in _instructors(request, center.id)},
        tz=settings.tz,
        now=time.time(),
    )
    draft = read_class_form(fields, robots, choices)
    if isinstance(draft, dict):
        return _form(request, user, center, class_id, fields, robots, draft)
    try:
        saved = save_class(request.app.state.connections.get(), center.id, draft, class_id)
    except ScheduleError:
        raise NotVisible(class_id) from None
    if isinstance(saved, list):
        errors = clash_errors(saved, lesson_titles(request), settings.tz)
        return _form(request, user, center, class_id, fields, robots, errors)
    flash(request, "class_saved")
    day = datetime.fromtimestamp(draft.starts_at, settings.tz).date().isoformat()
    return RedirectResponse(f"/centers/{center.id}/schedule?week={day}", status_code=303)


def _form(
    request: Request,
    user: CurrentUser,
    center: CenterRef,
    class_id: str | None,
    values: Mapping[str, str],
    robots: list[str],
    errors: Errors,
    at: int | None = None,
) -> Response:
    db = request.app.state.connections.get()
    known = {d.device for d in devices_of(db, center.id) if d.kind == "robot"}
    used = db.execute("SELECT robots FROM classes WHERE center = ?", [center.id]).fetchall()
    for (text,) in used:
        known.update(_json_list(text))
    typed = [r.strip().lower() for r in values.get("other_robots", "").split(",")]
    chosen = {r for r in [*robots, *typed] if r}
    context: dict[str, Any] = {
        "center": center,
        "class_id": class_id,
        "values": values,
        "chosen": chosen,
        "known_robots": sorted(known),
        "other_robots": ", ".join(sorted(chosen - known)),
        "errors": errors,
        # by track (<optgroup>), in teaching order, as the kiosk's home shows them
        "lessons": lessons_by_track(request.app.state.library.lessons, lang_of(request)),
        "instructors": _instructors(request, center.id),
        "form_error": FieldError("form_has_errors") if errors else None,
        **_edit_context(request, center.id, class_id, at),
    }
    status = 422 if errors else 200
    return render(request, "schedule_form.html", user, status_code=status, **context)


def _edit_context(
    request: Request, center: str, class_id: str | None, at: int | None
) -> dict[str, Any]:
    """What the form says about the class it changes: whether it is over, whether changes
    apply from its next occurrence on (it has met), and which occurrence to cancel."""
    if class_id is None:
        return {"over": False, "from_next": None, "cancel_at": None}
    klass = _class(request, center, class_id)
    now = time.time()
    next_at = klass.next_at(now)
    return {
        "over": next_at is None,
        "from_next": next_at if next_at is not None and klass.has_met(now) else None,
        "cancel_at": _coming(klass, at),
    }


def _cancel_page(
    request: Request,
    user: CurrentUser,
    center: CenterRef,
    klass: StoredClass,
    at: float | None,
    error: FieldError | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "center": center,
        "klass": klass,
        "at": at,
        "later": klass.weekly and at is not None and klass.next_at(at) is not None,
        "error": error,
        "title": lesson_titles(request).get(klass.lesson_id, klass.lesson_id),
    }
    return render(request, "schedule_cancel.html", user, status_code=status_code, **context)


def _coming(klass: StoredClass, at: float | None) -> float | None:
    """`at` if the class meets then and has not started; else its next occurrence."""
    now = time.time()
    if at is not None and at > now and is_occurrence(klass.slot, at):
        return at
    return klass.next_at(now)


def _int(value: object) -> int | None:
    """A posted occurrence time, if it is one within the years the schedule shows."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 12):
        return None
    number = int(text)
    return number if FIRST_AT <= number <= LAST_AT else None


def _class(request: Request, center: str, class_id: str) -> StoredClass:
    try:
        return get_class(request.app.state.connections.get(), center, class_id)
    except ScheduleError:
        raise NotVisible(class_id) from None


def _instructors(request: Request, center: str) -> list[tuple[int, str]]:
    """Who may teach at the center: its instructors and the admins."""
    rows = request.app.state.connections.get().execute(
        "SELECT id, display_name FROM users WHERE disabled = 0 AND (role = 'admin' OR id IN "
        "(SELECT user_id FROM user_centers WHERE center = ?)) ORDER BY display_name",
        [center],
    )
    return [(int(uid), str(name)) for uid, name in rows.fetchall()]


def _local_date(at: float, settings: WebSettings) -> date:
    return datetime.fromtimestamp(at, settings.tz).date()


def _json_list(text: str) -> list[str]:
    value = json.loads(text)
    return [str(v) for v in value] if isinstance(value, list) else []
