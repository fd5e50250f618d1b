"""Bringing a center back into a class across centers (central/class_groups.py): the site
monitor tells `Realigner` of every class state it records; a center of a shared class
heard again after a silence of its own (its link was down: the others were heard
meanwhile, and central was listening all along) is sent to the lead's step, once what it
said while cut off has arrived. So is a center whose first state comes long after its
`start` was sent (its start waited in its bridge's queue).

Left alone: a center at the lead or beyond (it went on at its own pace), one stopped by an
emergency stop (a person there resumes it), a center heard only through a retained copy
(the monitor's own reconnect), and every center when all fell silent at once (central was
not listening, nobody's link was down)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from central.class_audit import started_at
from central.class_groups import (
    STALE_SECONDS,
    centers_of,
    heard_lately,
    members,
    rejoin_step,
    settled,
    silent,
)
from central.class_states import KeptState, class_state
from central.database import Database
from robot_bridge.protocol.class_messages import ClassControl, ClassStatus, ControlAction

log = logging.getLogger(__name__)
RETRY_SECONDS = 5.0  # after a failed realignment (the database, the broker)
_ACTIVE = (ClassStatus.RUNNING, ClassStatus.PAUSED)
Publish = Callable[[str, bytes], bool]  # (topic, payload) → taken for sending


@dataclass
class Realigner:
    returning: dict[tuple[str, str], float] = field(default_factory=dict)  # → when armed
    _retry_at: dict[tuple[str, str], float] = field(default_factory=dict)
    _last_heard: float | None = None  # the last state of any class from any center
    _deaf_until: float = 0.0  # after central heard nobody for a while: its own silence

    def heard(
        self,
        db: Database,
        center: str,
        class_id: str,
        before: KeptState | None,
        replay: bool,
        now: float,
        listening_since: float | None,
    ) -> None:
        """A state of `class_id` from `center` was kept (`before`: the one kept until
        then); arm its realignment if it comes back from a silence of its own."""
        key = (center, class_id)
        gap = now - self._last_heard if self._last_heard is not None else None
        self._last_heard = now
        if gap is not None and gap > STALE_SECONDS:  # nobody heard for a while: central
            self._deaf_until = now + STALE_SECONDS  # was deaf; what follows is its catch-up
        if replay or key in self.returning or now < self._deaf_until:
            return
        if listening_since is None or now - listening_since < STALE_SECONDS:
            return  # central was not listening: every silence is its own
        centers = centers_of(db, class_id)
        if not centers:
            return
        if before is None:
            sent = started_at(db, center, class_id)
            if sent is None or now - sent < STALE_SECONDS:
                return  # a first state on time
        elif before.state.status not in _ACTIVE or not silent(before, now):
            return
        others = [m for m in members(db, centers, class_id) if m.center != center]
        if heard_lately(others, now):
            self.returning[key] = now

    def realign(self, db: Database, now: float, publish: Publish) -> None:
        """Send each returning center whose backlog has arrived to the lead's step."""
        for key, armed in list(self.returning.items()):
            if now < self._retry_at.get(key, 0.0):
                continue
            try:
                if self._realign(db, key, armed, now, publish):
                    self.returning.pop(key, None)
                    self._retry_at.pop(key, None)
            except Exception:
                log.exception("class %s: realigning %s failed; trying again", key[1], key[0])
                self._retry_at[key] = now + RETRY_SECONDS

    def _realign(
        self, db: Database, key: tuple[str, str], armed: float, now: float, publish: Publish
    ) -> bool:
        """True when done with `key` (sent, or nothing to send)."""
        center, class_id = key
        kept = class_state(db, center, class_id)
        if kept is None:
            return True
        if not settled(kept, armed, now):
            return False
        group = members(db, centers_of(db, class_id), class_id)
        returning = next((m for m in group if m.center == center), None)
        others = [m for m in group if m.center != center]
        step = rejoin_step(returning, others, now) if returning else None
        if step is None:
            return True
        goto = ClassControl(action=ControlAction.GOTO, step=step, by="central", sent_at=now)
        if not publish(ClassControl.topic(center, class_id), goto.encode()):
            self._retry_at[key] = now + RETRY_SECONDS
            log.warning("class %s: %s is back, but the goto could not be sent", class_id, center)
            return False
        log.info("class %s: %s is back, sent to the lead's step %d", class_id, center, step)
        return True
