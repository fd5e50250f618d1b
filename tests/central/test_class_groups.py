"""Classes across centers: who leads, who is behind, the one step every center is sent, and
the site monitor sending a center whose link came back to the lead's step (on both
databases, through a real Mosquitto)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from central.class_groups import (
    SETTLE_SECONDS,
    STALE_SECONDS,
    Member,
    Standing,
    behind,
    centers_of,
    create_group,
    lead_step,
    rejoin_step,
    shared_goto,
)
from central.class_states import KeptState
from central.database import open_database
from central.roster import add_center
from central.site_monitor import SiteMonitor
from central.web.settings import SEOUL
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.class_messages import (
    ClassControl,
    ClassState,
    ClassStatus,
    ControlAction,
    Speaker,
)
from robot_bridge.protocol.wire import decode
from tests.mosquitto import Broker
from tests.waiting import wait_for

NOW = 1_800_000_000.0
CENTERS = ("gangnam-1", "mapo-2", "seocho-1")


def state(step: int, status: ClassStatus = ClassStatus.RUNNING, at: float = NOW) -> ClassState:
    return ClassState(
        class_id="now-1", lesson_id="phone-call", lesson_version=1, lang="ko", status=status,
        step_index=step, step_id=f"s{step}", step_kind="say", total_steps=9,
        speaker=Speaker.KIOSKS, heartbeat=5.0, at=at,
    )  # fmt: skip


def member(center: str, step: int, heard_ago: float = 1.0, **kw: ClassStatus) -> Member:
    return Member(center, KeptState(state(step, **kw), NOW - heard_ago))


def test_the_lead_is_the_furthest_center_still_linked() -> None:
    group = [
        member("a", 3),
        member("b", 5),
        member("c", 7, heard_ago=STALE_SECONDS + 1),  # cut off: not the lead
        member("d", 8, status=ClassStatus.FINISHED),
        Member("e", None),
    ]
    assert [m.standing(NOW) for m in group] == [
        Standing.LINKED, Standing.LINKED, Standing.ON_ITS_OWN, Standing.OVER, Standing.WAITING
    ]  # fmt: skip
    assert lead_step(group, NOW) == 5
    assert [behind(m, 5) for m in group] == [2, 0, 0, 0, 0]
    assert lead_step([member("c", 7, heard_ago=STALE_SECONDS + 1)], NOW) is None
    # one late heartbeat is no outage
    assert member("a", 1, heard_ago=STALE_SECONDS - 0.5).standing(NOW) is Standing.LINKED


def test_moves_become_one_step_counted_from_the_lead() -> None:
    assert shared_goto(ControlAction.NEXT, 4, 9) == 5
    assert shared_goto(ControlAction.BACK, 4, 9) == 3
    assert shared_goto(ControlAction.REPEAT, 4, 9) == 4
    assert shared_goto(ControlAction.BACK, 0, 9) == 0
    assert shared_goto(ControlAction.NEXT, 8, 9) is None  # no step after the last
    assert shared_goto(ControlAction.PAUSE, 4, 9) is None


def test_a_returning_center_rejoins_the_lead_only_when_behind() -> None:
    others = [member("a", 5), member("b", 4)]
    assert rejoin_step(member("c", 2), others, NOW) == 5
    assert rejoin_step(member("c", 5), others, NOW) is None  # with it already
    assert rejoin_step(member("c", 6), others, NOW) is None  # ahead: went on by itself
    assert rejoin_step(member("c", 2, status=ClassStatus.STOPPED), others, NOW) is None
    cut_off = [member("a", 5, heard_ago=STALE_SECONDS + 1)]
    assert rejoin_step(member("c", 2), cut_off, NOW) is None  # nobody linked to follow


def test_a_group_has_two_to_twenty_centers(central_db: Path | str) -> None:
    db = open_database(central_db)
    for center in CENTERS:
        add_center(db, center, center)
    create_group(db, "now-1", CENTERS)
    create_group(db, "now-1", CENTERS[:2])  # again: nothing twice
    assert centers_of(db, "now-1") == sorted(CENTERS)
    assert centers_of(db, "class-alone") == []
    with pytest.raises(ValueError, match="2 to 20"):
        create_group(db, "now-2", CENTERS[:1])
    db.close()


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_the_monitor_sends_a_center_back_from_a_cut_to_the_leads_step(
    central_db: Path | str, broker: Broker
) -> None:
    db = open_database(central_db)
    for center in CENTERS:
        add_center(db, center, center)
    create_group(db, "now-1", CENTERS)
    clock = Clock()
    monitor = SiteMonitor(central_db, BrokerAddress.parse(broker.address), SEOUL, clock=clock)
    subscription = [(topics.every_center(topics.Kind.CLASS_CONTROL), 1)]
    bridges = MqttLink(BrokerAddress.parse(broker.address), "bridges", subscription)
    bridges.start()
    monitor.link.start()
    assert bridges.connected.wait(10) and monitor.link.connected.wait(10)

    def said(center: str, step: int) -> None:
        topic = ClassState.topic(center, "now-1")
        monitor.handle(db, topic, state(step, at=clock.now).encode(), False)

    try:
        for center in CENTERS:
            said(center, 2)
        for beat in range(4):  # mapo-2's link is down; the others go on, heard as ever
            clock.now += STALE_SECONDS / 3
            said("gangnam-1", 2 + beat // 2)
            said("seocho-1", 2 + beat // 3)
        said("mapo-2", 2)  # back: what it said while cut off arrives first
        said("mapo-2", 3)
        monitor.realign(db)
        assert bridges.inbox.empty()  # not before its backlog has settled
        clock.now += SETTLE_SECONDS
        said("gangnam-1", 4)
        monitor.realign(db)
        wait_for(lambda: not bridges.inbox.empty())
        topic, payload = bridges.inbox.get()
        control = decode(ClassControl, payload)
        assert topics.parse_topic(topic).center == "mapo-2"
        assert (control.action, control.step, control.by) == ("goto", 4, "central")
        # once only; a center that comes back at or beyond the lead is left to go on
        monitor.realign(db)
        for _ in range(4):  # now seocho-1 is cut off
            clock.now += STALE_SECONDS / 3
            said("gangnam-1", 5)
            said("mapo-2", 5)
        said("seocho-1", 6)  # back, having gone on beyond the lead by itself
        clock.now += SETTLE_SECONDS
        monitor.realign(db)
        time.sleep(0.5)
        assert bridges.inbox.empty()
    finally:
        monitor.link.stop()
        bridges.stop()
        db.close()
