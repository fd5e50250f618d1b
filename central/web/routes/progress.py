"""Progress of a center: per lesson (with a chart), per learner, who is stuck; CSV export of
the learner table as shown."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from central.charts import Group, grouped_bars
from central.progress import (
    StuckStep,
    Totals,
    learner_lessons,
    lesson_rows,
    per_learner,
    per_lesson,
    stuck,
)
from central.step_titles import step_titles
from central.track_progress import LessonRow, by_track, learners_by_track
from central.web.auth import CurrentUser
from central.web.i18n import translate
from central.web.permissions import Center, NotVisible
from central.web.render import lang_of, local_time, render
from central.web.routes.overview import lesson_titles
from central.web.settings import WebSettings
from lessons.tracks import TRACKS

router = APIRouter(include_in_schema=False)
LessonFilter = Annotated[str, Query(max_length=64, description="only this lesson")]
LearnerId = Annotated[str, Path(max_length=64)]
# The export's header row in the page's language (a spreadsheet is read by people; scripts
# take the JSON API, /api/v1/centers/{center}/progress, whose field names never change).
CSV_COLUMNS = {
    "en": (
        "learner_id", "name", "lessons", "started", "completed", "mastered", "minutes",
        "wrong_taps", "max_hint_level", "help_calls", "last_activity", "on_roster",
    ),
    "ko": (
        "학습자 ID", "이름", "수업 수", "시작", "마침", "익힘", "학습 시간(분)",
        "잘못 누름", "최고 도움 단계", "도움 요청", "마지막 학습", "명단에 있음",
    ),
}  # fmt: skip
CSV_YES_NO = {"en": ("yes", "no"), "ko": ("예", "아니요")}
# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google
# Sheets (OWASP "CSV injection"); the full-width forms too, which some locales accept.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@router.get("/centers/{center}/progress")
def progress_page(
    request: Request, user: CurrentUser, center: Center, lesson: LessonFilter = ""
) -> Response:
    db = request.app.state.connections.get()
    _check_lesson(request, lesson)
    titles = lesson_titles(request)
    lessons = per_lesson(db, center.id)
    lang = lang_of(request)
    chart = grouped_bars(
        translate("chart_title", lang),
        [translate(k, lang) for k in ("started", "completed", "mastered")],
        [Group(titles.get(r.key, r.key), (r.started, r.completed, r.mastered)) for r in lessons],
    )
    library = request.app.state.library.lessons
    rows = [LessonRow(*row) for row in lesson_rows(db, center.id)]
    learners = per_learner(db, center.id, lesson or None)
    stuck_steps = stuck(db, center.id, lesson or None)
    return render(
        request,
        "progress.html",
        user,
        center=center,
        lesson=lesson,
        titles=titles,
        lessons=lessons,
        tracks=by_track(rows, library),
        track_names=[track.name(lang) for track in TRACKS],
        # the center's own learners (an id not on the roster stays in the tables below)
        learner_tracks=learners_by_track(
            rows, [t for t in per_learner(db, center.id) if t.known], library
        ),
        learners=learners,
        stuck=stuck_steps,
        steps=_step_names(request, stuck_steps),
        chart=chart,
    )


@router.get("/centers/{center}/progress.csv")
def progress_csv(
    request: Request, _user: CurrentUser, center: Center, lesson: LessonFilter = ""
) -> Response:
    _check_lesson(request, lesson)
    rows = per_learner(request.app.state.connections.get(), center.id, lesson or None)
    name = f"progress-{center.id}{'-' + lesson if lesson else ''}.csv"
    return Response(
        csv_text(rows, request.app.state.settings, lang_of(request)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/centers/{center}/learners/{learner_id}")
def learner_page(
    request: Request, user: CurrentUser, center: Center, learner_id: LearnerId
) -> Response:
    db = request.app.state.connections.get()
    row = db.execute(
        "SELECT name, hidden FROM learners WHERE id = ? AND center = ?", [learner_id, center.id]
    ).fetchone()
    if row is None:
        raise NotVisible(learner_id)
    steps = [s for s in stuck(db, center.id) if s.learner_id == learner_id]
    return render(
        request,
        "learner.html",
        user,
        center=center,
        learner_id=learner_id,
        name=row[0],
        lessons=learner_lessons(db, center.id, learner_id),
        stuck=steps,
        steps=_step_names(request, steps),
        titles=lesson_titles(request),
    )


def csv_text(rows: list[Totals], settings: WebSettings, lang: str = "ko") -> str:
    """The learner table as CSV (UTF-8 with a BOM, so Excel shows Korean names right), its
    header and yes/no in `lang`."""
    lang = "en" if lang == "en" else "ko"
    yes, no = CSV_YES_NO[lang]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS[lang])
    for r in rows:
        row = [
            r.key,
            r.name,
            r.learners,
            r.started,
            r.completed,
            r.mastered,
            round(r.seconds / 60, 1),
            r.wrong_taps,
            r.max_hint_level,
            r.help_calls,
            local_time(r.last_at, settings),
            yes if r.known else no,
        ]
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def csv_cell(value: object) -> object:
    """Every text cell neutralised: one that would start a formula gets a leading `'`, which
    spreadsheets show as text (numbers are written as numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _step_names(request: Request, rows: list[StuckStep]) -> dict[tuple[str, str], tuple[int, str]]:
    """Each stuck step's number and first sentence, from the lesson library."""
    wanted = [(s.lesson_id, s.step_id) for s in rows]
    return step_titles(request.app.state.library.lessons, wanted, lang_of(request))


def _check_lesson(request: Request, lesson: str) -> None:
    if lesson and lesson not in request.app.state.library.lessons:
        raise NotVisible(lesson)
