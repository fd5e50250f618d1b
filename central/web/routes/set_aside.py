"""What was set aside for a center: at central (intake's `set_aside` rows) and at its kiosks
(their sync statuses), and acks the kiosks ignored."""

from __future__ import annotations

import time
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from central.database import Database
from central.devices import DeviceStatus, devices_of
from central.set_aside import MARKED_DAYS, KioskTotal, marked_events, recent, totals_by_kiosk
from central.web.auth import CurrentUser
from central.web.permissions import Center
from central.web.render import render

router = APIRouter(include_in_schema=False)
# The details page lists this many rows, the latest first; the total is said above them.
SHOWN_ROWS = 100


@dataclass(frozen=True)
class Notice:
    """What a center's page says about progress set aside; empty when there is nothing."""

    at_central: list[KioskTotal]  # per kiosk, the latest first
    kiosks: list[DeviceStatus]  # kiosks that set events aside or ignored acks

    @property
    def central_rows(self) -> int:
        return sum(t.rows for t in self.at_central)

    @property
    def latest(self) -> KioskTotal | None:
        return self.at_central[0] if self.at_central else None

    @property
    def kiosk_events(self) -> int:
        return sum(d.aside.set_aside for d in self.kiosks)

    @property
    def kiosk_latest(self) -> DeviceStatus | None:
        """The kiosk that last reported events set aside."""
        holding = [d for d in self.kiosks if d.aside.set_aside]
        return max(holding, key=lambda d: d.last_seen) if holding else None

    @property
    def ignored(self) -> list[DeviceStatus]:
        return [d for d in self.kiosks if d.aside.ignored_acks]

    def of_kiosk(self, kiosk: str) -> KioskTotal | None:
        return next((t for t in self.at_central if t.kiosk == kiosk), None)

    def __bool__(self) -> bool:
        return bool(self.at_central or self.kiosks)


def notice_of(db: Database, center: str, devices: list[DeviceStatus] | None = None) -> Notice:
    """What to tell about `center` (its `devices`, if the page has read them already)."""
    found = devices_of(db, center) if devices is None else devices
    aside = [d for d in found if d.aside.set_aside or d.aside.ignored_acks]
    return Notice(totals_by_kiosk(db, center), aside)


@router.get("/centers/{center}/set-aside")
def set_aside_page(request: Request, user: CurrentUser, center: Center) -> Response:
    db = request.app.state.connections.get()
    notice = notice_of(db, center.id)
    now = time.time()
    return render(
        request,
        "set_aside.html",
        user,
        center=center,
        now=now,
        notice=notice,
        rows=recent(db, center.id, SHOWN_ROWS),
        marked=marked_events(db, center.id, now),
        marked_days=MARKED_DAYS,
    )
