"""A class across centers (central/class_groups.py): started now at several of the user's
centers, each teaching it with its own robots and kiosks; its console shows the centers
side by side and sends each control to all of them, the moves as one absolute step counted
from the lead, so that the centers align.

Only a user who may see every center of the class opens its console; an instructor of some
of them steers their own centers from each center's console."""

from __future__ import annotations

import time
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from central.accounts import User
from central.class_audit import Outcome, group_actions, record_action, started_lesson
from central.class_controls import (
    BUTTONS,
    CONSOLE_ACTIONS,
    ControlLink,
    control_for,
    detail_of,
)
from central.class_groups import (
    MAX_CENTERS,
    Member,
    centers_of,
    create_group,
    lead_step,
    members,
    shared_goto,
)
from central.devices import devices_of
from central.help_calls import open_calls
from central.overview import can_see, center_name
from central.text_input import TextError
from central.web import csrf
from central.web.auth import CurrentUser
from central.web.class_group_view import center_views, group_offered, lead_state
from central.web.class_view import live_version, status_key, step_words
from central.web.errors import error_response
from central.web.permissions import NotVisible
from central.web.render import flash, lang_of, render, render_fragment
from central.web.routes.class_start import MAX_ROBOTS, new_class_id
from central.web.routes.classes import control_details, form_action, step_choices, words
from central.web.routes.overview import lesson_titles
from robot_bridge.protocol.class_messages import (
    ANNOUNCE_MAX_CHARS,
    ClassControl,
    ControlAction,
)

router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(csrf.checked_form)]
ClassId = Annotated[str, Path(max_length=64)]
Version = Annotated[str, Query(max_length=40)]
# Moves sent to every center as the lead's step (class_groups.shared_goto)
_MOVES = (ControlAction.NEXT, ControlAction.BACK, ControlAction.REPEAT)
GROUP_ACTIONS = tuple(a for a in CONSOLE_ACTIONS if a is not ControlAction.START)
GROUP_BUTTONS = tuple(a for a in BUTTONS if a is not ControlAction.START)


@router.post("/classes")
def start_together(request: Request, user: CurrentUser, form: Form) -> Response:
    """Start one class now at several centers: each teaches it with its robots online now
    (none: its kiosks speak the lines)."""
    db = request.app.state.connections.get()
    lesson_id = str(form.get("lesson", ""))
    chosen = [str(c) for c in dict.fromkeys(form.getlist("center"))]
    centers = [c for c in chosen if can_see(user, c) and center_name(db, c) is not None]
    if lesson_id not in request.app.state.library.lessons:
        flash(request, "class_start_no_lesson")
        return RedirectResponse("/", status_code=303)
    if not 2 <= len(centers) <= MAX_CENTERS or len(centers) != len(chosen):
        flash(request, "class_group_bad_centers", most=str(MAX_CENTERS))
        return RedirectResponse("/", status_code=303)
    class_id, now = new_class_id(), time.time()
    create_group(db, class_id, centers)
    lang = "en" if form.get("lang") == "en" else "ko"
    starts = []
    for center in centers:
        robots = [
            d.device for d in devices_of(db, center) if d.kind == "robot" and d.online_at(now)
        ]
        message = ClassControl(
            action=ControlAction.START,
            lesson_id=lesson_id,
            robots=robots[:MAX_ROBOTS],
            lang=lang,
            by=user.username[:64],
        )
        starts.append((center, class_id, message))
    outcomes = _send_all(request, starts)
    for center, outcome in zip(centers, outcomes, strict=True):
        record_action(db, center, class_id, "start", user, outcome, now, lesson_id)
    sent = sum(outcome is Outcome.SENT for outcome in outcomes)
    what = words(request, ControlAction.START)
    flash(request, "class_group_sent", action=what, sent=str(sent), centers=str(len(centers)))
    return RedirectResponse(f"/classes/{class_id}", status_code=303)


@router.get("/classes/{class_id}")
def console(request: Request, user: CurrentUser, class_id: ClassId) -> Response:
    view, _ = _live(request, user, class_id)
    return render(request, "class_group.html", user, **view)


@router.get("/classes/{class_id}/live")
def live(request: Request, user: CurrentUser, class_id: ClassId, v: Version = "") -> Response:
    view, html = _live(request, user, class_id)
    if v == view["version"]:
        return Response(status_code=204)
    offered_now = sorted(a.value for a in view["offered"])
    return JSONResponse({"version": view["version"], "offered": offered_now, "html": html})


def _live(request: Request, user: User, class_id: str) -> tuple[dict[str, Any], str]:
    """The console's view and its live part, versioned by what that part shows (however
    many centers; a heartbeat that changes nothing shown is no change)."""
    view = _view(request, user, class_id)
    html = render_fragment(request, "class_group_live.html", user, **view)
    view["version"] = live_version(html, view["offered"])
    return view, html


@router.post("/classes/{class_id}/control")
def control(request: Request, user: CurrentUser, class_id: ClassId, form: Form) -> Response:
    """One control to every center of the class, each audited as sent or not."""
    db = request.app.state.connections.get()
    centers = _centers(db, user, class_id)
    back = RedirectResponse(f"/classes/{class_id}", status_code=303)
    action = form_action(form, GROUP_ACTIONS)
    if action is None:
        return error_response(request, 422, "error_422")
    group, now = members(db, centers, class_id), time.time()
    head = lead_state(group, now)
    lead = lead_step(group, now)
    message: ClassControl | None
    if action in _MOVES and (head is None or lead is None):
        flash(request, "class_group_no_lead")  # nothing to count the step from
        return back
    try:
        if action in _MOVES and head is not None and lead is not None:
            step = shared_goto(action, lead, head.total_steps)
            if step is None:
                raise ValueError(f"{action} from step {lead}: no such step")
            message = ClassControl(action=ControlAction.GOTO, step=step, by=user.username[:64])
        else:
            details = control_details(action, form, head, None)
            message = control_for(action, None, user.username, details)
    except (ValueError, TextError):
        flash(request, "class_bad_goto" if action in _MOVES else f"class_bad_{action.value}")
        return back
    # a robot stopped at one center (perhaps by staff there) goes again only from there
    held = [m.center for m in group if action is ControlAction.RESUME and _estopped(m)]
    targets = [c for c in centers if c not in held]
    controls = [(center, class_id, message) for center in targets if message is not None]
    outcomes = _send_all(request, controls) if controls else [Outcome.NOT_STARTABLE] * len(targets)
    for center, outcome in zip(targets, outcomes, strict=True):
        record_action(db, center, class_id, action.value, user, outcome, now, detail_of(message))
    sent = sum(outcome is Outcome.SENT for outcome in outcomes)
    counts = {"sent": str(sent), "centers": str(len(targets))}
    if held:
        names = ", ".join(center_name(db, c) or c for c in held)
        flash(request, "class_group_resume_held", held=names, **counts)
    else:
        flash(request, "class_group_sent", action=words(request, action), **counts)
    return back


def _estopped(member: Member) -> bool:
    state = member.kept.state if member.kept else None
    return state is not None and state.paused_reason == "emergency_stop"


def _send_all(request: Request, controls: list[tuple[str, str, ClassControl]]) -> list[Outcome]:
    """Every center's control published at once, then all confirmed (ControlLink.send_all).
    One after the other, each waiting for its acknowledgement, 20 controls took 6.4 ms
    rather than 2.5 ms to publish, and a broker that stopped answering held the request
    2 s per center (40 s for 20) rather than 2 s."""
    link: ControlLink | None = request.app.state.controls
    if link is None:
        return [Outcome.NOT_CONNECTED] * len(controls)
    return link.send_all(controls)


def _centers(db: Any, user: User, class_id: str) -> list[str]:
    """The class's centers, if the user may see every one (else, as for a center not
    theirs, not found)."""
    centers = centers_of(db, class_id)
    if not centers or not all(can_see(user, c) for c in centers):
        raise NotVisible(class_id)
    return centers


def _view(request: Request, user: User, class_id: str) -> dict[str, Any]:
    db = request.app.state.connections.get()
    centers = _centers(db, user, class_id)
    group, now = members(db, centers, class_id), time.time()
    names = {c: center_name(db, c) or c for c in centers}
    calls = open_calls(db, centers, class_id=class_id)
    head = lead_state(group, now)
    lesson_id = head.lesson_id if head else started_lesson(db, class_id, centers) or ""
    lessons = request.app.state.library.lessons
    actions = group_actions(db, class_id, centers)
    controls = request.app.state.controls
    linked = controls is not None and controls.link.connected.is_set()
    views = center_views(group, names, Counter(c.center for c in calls), now)
    return {
        "class_id": class_id,
        "state": head,
        "status_key": status_key(head),
        "lesson_title": lesson_titles(request).get(lesson_id, lesson_id),
        "step_words": step_words(lessons, head) if head else None,
        "centers": views,
        "help_calls": calls,
        "names": names,
        "actions": actions,
        "linked": linked,
        "buttons": GROUP_BUTTONS,
        "steps": step_choices(lessons.get(lesson_id), head, lang_of(request)),
        "announce_max": ANNOUNCE_MAX_CHARS,
        "offered": group_offered(group),
    }
