"""The lesson library page (admins): the versions central published, and where the one it
offers has arrived: each center's keeper and each kiosk (docs/dashboard.md, "Lesson library").
Publishing and rolling back stay commands on the central server; the page says which."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from central.db.url import parse_database
from central.library_offers import library_dir_beside
from central.library_publish import Published, versions
from central.library_reach import (
    KioskReach,
    centers_reach,
    kiosks_behind,
    kiosks_reach,
    reach_counts,
)
from central.overview import PAGE_SIZE
from central.web.auth import Admin
from central.web.library_view import WARNED_SHOWN, Totals
from central.web.render import render
from central.web.settings import WebSettings
from lessons.library_store import LibraryStore

router = APIRouter(include_in_schema=False)
Page = Annotated[int, Query(ge=0, le=10_000)]


def published_of(request: Request) -> list[Published]:
    """Every version central published, newest first (read from its store on each page)."""
    settings: WebSettings = request.app.state.settings
    return versions(LibraryStore(library_dir_beside(settings.db_path)))


def kiosks_of(request: Request, center: str) -> dict[str, KioskReach]:
    """Each kiosk of `center` by id, with the library it teaches."""
    db = request.app.state.connections.get()
    return {k.kiosk: k for k in kiosks_reach(db, [center], published_of(request))}


@router.get("/library")
def library_page(request: Request, admin: Admin, page: Page = 0) -> Response:
    settings: WebSettings = request.app.state.settings
    db = request.app.state.connections.get()
    now = time.time()
    published = published_of(request)
    current = next((p.version for p in published if p.current), None)
    count = int(db.execute("SELECT count(*) FROM centers").fetchone()[0])
    # counted and picked out by the database: the page reads its own 50 centers, never all
    totals = Totals.of(
        published, count, reach_counts(db, current), kiosks_behind(db, published), now
    )
    warned = totals.warned[:WARNED_SHOWN]
    shown = db.execute(
        "SELECT id, name FROM centers ORDER BY name, id LIMIT ? OFFSET ?",
        [PAGE_SIZE, page * PAGE_SIZE],
    ).fetchall()
    ids = [str(row[0]) for row in shown]
    keepers = centers_reach(db, ids)
    by_center: dict[str, list[KioskReach]] = defaultdict(list)
    for kiosk in kiosks_reach(db, ids, published):
        by_center[kiosk.center].append(kiosk)
    names: dict[str, str] = dict(
        db.execute(
            "SELECT id, name FROM centers WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(sorted({k.center for k in warned}))],
        ).fetchall()
    )
    return render(
        request,
        "library.html",
        admin,
        now=now,
        published=published,
        totals=totals,
        warned=warned,
        names=names,
        shown=shown,
        keepers={k.center: k for k in keepers},
        kiosks=by_center,
        page=page,
        first=page * PAGE_SIZE + 1,
        last=page * PAGE_SIZE + len(shown),
        more=(page + 1) * PAGE_SIZE < count,
        db_path=parse_database(settings.db_path).shown(),
    )
