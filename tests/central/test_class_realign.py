"""Who is realigned when a center of a class across centers is heard again, on both
databases: only a center back from a silence of its own (not a retained copy at central's
own reconnect, not every center at once when central was not listening), a center whose
start waited in its bridge's queue, never one stopped by an emergency stop; a goto that
could not be sent, or a database that failed, is tried again."""

from __future__ import annotations

from pathlib import Path

import pytest

from central.accounts import Role, create_user, get_user
from central.class_audit import Outcome, record_action
from central.class_groups import SETTLE_SECONDS, STALE_SECONDS, create_group
from central.class_realign import RETRY_SECONDS, Realigner
from central.class_states import class_state, record_class_state
from central.database import Database, open_database
from central.roster import add_center
from robot_bridge.protocol.class_messages import ClassControl, ClassStatus
from robot_bridge.protocol.topics import parse_topic
from robot_bridge.protocol.wire import decode
from tests.central.test_class_groups import CENTERS, NOW, state

LISTENING = NOW - 3600  # central's link up for an hour


class Sites:
    """What was published towards the centers, and whether the broker takes it."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, ClassControl]] = []
        self.up = True

    def __call__(self, topic: str, payload: bytes) -> bool:
        if self.up:
            self.sent.append((parse_topic(topic).center, decode(ClassControl, payload)))
        return self.up


@pytest.fixture
def db(central_db: Path | str) -> Database:
    opened = open_database(central_db)
    for center in CENTERS:
        add_center(opened, center, center)
    create_group(opened, "now-1", CENTERS)
    return opened


def say(
    db: Database, realigner: Realigner, center: str, step: int, at: float, **kw: object
) -> None:
    """`center` says its state at `at` (and it arrives then), as the site monitor records it."""
    before = class_state(db, center, "now-1")
    updated = state(step, at=at).model_copy(update=kw)
    assert record_class_state(db, center, updated, at)
    realigner.heard(db, center, "now-1", before, False, at, LISTENING)


def cut_off(db: Database, realigner: Realigner, lead: int) -> float:
    """Every center at step 2; then mapo-2 silent for four heartbeats while gangnam-1, heard
    as ever, goes on to step `lead`. The time after."""
    for center in CENTERS:
        say(db, realigner, center, 2, NOW)
    t = NOW
    for _ in range(4):
        t += STALE_SECONDS / 3
        say(db, realigner, "gangnam-1", lead, t)
    return t


def test_a_center_back_from_its_own_silence_is_sent_to_the_lead(db: Database) -> None:
    realigner, sites = Realigner(), Sites()
    for center in CENTERS:
        say(db, realigner, center, 2, NOW)
    t = NOW
    for _ in range(4):  # gangnam-1 and seocho-1 heard as ever, mapo-2 silent
        t += STALE_SECONDS / 3
        say(db, realigner, "gangnam-1", 4, t)
        say(db, realigner, "seocho-1", 3, t)
    say(db, realigner, "mapo-2", 2, t)
    assert list(realigner.returning) == [("mapo-2", "now-1")]
    realigner.realign(db, t + SETTLE_SECONDS, sites)
    assert [(c, m.action, m.step, m.by) for c, m in sites.sent] == [
        ("mapo-2", "goto", 4, "central")
    ]
    assert realigner.returning == {}


def test_nobody_is_realigned_when_everyone_fell_silent_at_once(db: Database) -> None:
    """Central's monitor stalled (or its broker restarted): the silence was its own."""
    realigner = Realigner()
    for center in CENTERS:
        say(db, realigner, center, 2 + CENTERS.index(center), NOW)
    later = NOW + STALE_SECONDS + 5
    for center in CENTERS:
        say(db, realigner, center, 2 + CENTERS.index(center), later)
    assert realigner.returning == {}


def test_a_retained_copy_or_central_just_reconnected_arms_nothing(db: Database) -> None:
    realigner = Realigner()
    t = cut_off(db, realigner, 4)
    before = class_state(db, "mapo-2", "now-1")
    assert record_class_state(db, "mapo-2", state(2, at=t), t)
    realigner.heard(db, "mapo-2", "now-1", before, True, t, LISTENING)  # a retained copy
    realigner.heard(db, "mapo-2", "now-1", before, False, t, t - 1)  # central just back
    assert realigner.returning == {}
    realigner.heard(db, "mapo-2", "now-1", before, False, t, LISTENING)  # the real thing
    assert list(realigner.returning) == [("mapo-2", "now-1")]


def test_an_emergency_stopped_center_is_left_for_a_person_there(db: Database) -> None:
    realigner, sites = Realigner(), Sites()
    t = cut_off(db, realigner, 5)
    stopped = {"status": ClassStatus.PAUSED, "paused_reason": "emergency_stop"}
    say(db, realigner, "mapo-2", 2, t, **stopped)
    realigner.realign(db, t + SETTLE_SECONDS, sites)
    assert sites.sent == [] and realigner.returning == {}


def test_a_start_that_waited_in_the_bridge_is_caught_up(db: Database) -> None:
    create_user(db, "kim", "김 강사", Role.INSTRUCTOR, "correct horse battery", set(CENTERS))
    kim = get_user(db, 1)
    assert kim is not None
    for center in CENTERS:
        record_action(db, center, "now-1", "start", kim, Outcome.SENT, NOW, "phone-call")
    realigner, sites = Realigner(), Sites()
    for center in ("gangnam-1", "seocho-1"):
        say(db, realigner, center, 0, NOW + 1)
    t = NOW + 1
    for _ in range(12):  # a minute on; mapo-2's bridge was down when the start went out
        t += STALE_SECONDS / 3
        say(db, realigner, "gangnam-1", 5, t)
    say(db, realigner, "mapo-2", 0, t)  # its first state, a minute late
    realigner.realign(db, t + SETTLE_SECONDS, sites)
    assert [(c, m.step) for c, m in sites.sent] == [("mapo-2", 5)]


def test_a_goto_that_could_not_be_sent_is_tried_again(db: Database) -> None:
    realigner, sites = Realigner(), Sites()
    t = cut_off(db, realigner, 4)
    say(db, realigner, "mapo-2", 2, t)
    sites.up = False
    realigner.realign(db, t + SETTLE_SECONDS, sites)
    assert sites.sent == [] and realigner.returning
    sites.up = True
    realigner.realign(db, t + SETTLE_SECONDS + 1, sites)
    assert sites.sent == []  # not before the retry time
    realigner.realign(db, t + SETTLE_SECONDS + RETRY_SECONDS, sites)
    assert [(c, m.step) for c, m in sites.sent] == [("mapo-2", 4)]


def test_a_backlog_is_waited_for_until_a_fresh_state_arrives(db: Database) -> None:
    realigner, sites = Realigner(), Sites()
    t = cut_off(db, realigner, 6)
    old = state(2, at=NOW + 3)  # said while cut off, arriving now
    before = class_state(db, "mapo-2", "now-1")
    assert record_class_state(db, "mapo-2", old, t)
    realigner.heard(db, "mapo-2", "now-1", before, False, t, LISTENING)
    realigner.realign(db, t + SETTLE_SECONDS, sites)
    assert sites.sent == []  # its latest is old: more of its backlog is on the way
    say(db, realigner, "mapo-2", 6, t + SETTLE_SECONDS + 1)  # it went on by itself
    realigner.realign(db, t + SETTLE_SECONDS + 2, sites)
    assert sites.sent == [] and realigner.returning == {}  # at the lead: left alone
