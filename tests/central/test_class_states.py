"""Central's site monitor keeps each center's latest class states (the runners' retained
`ClassState`, brought over the bridge) for the live class console."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from central.class_states import (
    CLOCK_STEP_SECONDS,
    active_classes,
    class_state,
    record_class_state,
)
from central.database import open_database
from central.site_monitor import SiteMonitor
from central.web.settings import SEOUL
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol.class_messages import ClassState, ClassStatus, Speaker
from tests.mosquitto import Broker
from tests.waiting import wait_for

CENTER = "gangnam-1"


def state(class_id: str, step: int, status: ClassStatus = ClassStatus.RUNNING) -> ClassState:
    return ClassState(
        class_id=class_id, lesson_id="phone-call", lesson_version=1, lang="ko", status=status,
        step_index=step, step_id=f"step-{step}", step_kind="say", total_steps=9,
        speaker=Speaker.KIOSKS, at=time.time(),
    )  # fmt: skip


def test_the_monitor_keeps_the_latest_state_of_each_class(
    central_db: Path | str, broker: Broker
) -> None:
    db_path = central_db
    db = open_database(db_path)
    address = BrokerAddress.parse(broker.address)
    site = MqttLink(address, "site", [])
    site.start()
    assert site.connected.wait(10)
    # retained before the monitor starts: it reads it when it subscribes
    site.publish(ClassState.topic(CENTER, "morning"), state("morning", 0).encode(), retain=True)
    monitor = SiteMonitor(db_path, address, SEOUL)
    stop = threading.Event()
    thread = threading.Thread(target=monitor.run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_for(lambda: class_state(db, CENTER, "morning") is not None, 10, "the retained state")
        site.publish(ClassState.topic(CENTER, "morning"), state("morning", 1).encode(), retain=True)
        site.publish(ClassState.topic(CENTER, "other"), state("morning", 5).encode())  # wrong topic
        site.publish(ClassState.topic(CENTER, "evening"), b"{not json")  # logged and dropped
        ended = state("evening", 8, ClassStatus.FINISHED)
        site.publish(ClassState.topic(CENTER, "evening"), ended.encode(), retain=True)
        site.publish(ClassState.topic(CENTER, "morning"), b"", retain=True)  # cleared: kept
        wait_for(lambda: class_state(db, CENTER, "evening") is not None, 10, "evening")
        kept = class_state(db, CENTER, "morning")
        assert kept is not None and kept.state.step_index == 1
        assert class_state(db, CENTER, "other") is None
        assert [s.class_id for s in active_classes(db, CENTER)] == ["morning"]
    finally:
        stop.set()
        thread.join(5)
        site.stop()
        db.close()


def test_a_late_copy_is_refused_but_a_runner_whose_clock_was_set_back_is_heard(
    central_db: Path | str,
) -> None:
    db = open_database(central_db)
    now = time.time()
    newer = state("morning", 3).model_copy(update={"at": now})
    assert record_class_state(db, CENTER, newer, now)
    late_copy = state("morning", 2).model_copy(update={"at": now - 1})
    assert not record_class_state(db, CENTER, late_copy, now + 2)  # a QoS 1 copy, late
    # the runner's clock stepped back an hour: its states still count, once clearly later
    stepped = state("morning", 4).model_copy(update={"at": now - 3600})
    assert record_class_state(db, CENTER, stepped, now + CLOCK_STEP_SECONDS + 5)
    kept = class_state(db, CENTER, "morning")
    assert kept is not None and kept.state.step_index == 4
    db.close()
