from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from robot_bridge.protocol import topics
from robot_bridge.protocol.topics import Kind, Topic, TopicError, parse_topic

C = "gangnam-1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (topics.robot_cmd(C, "liku-1"), Topic(Kind.ROBOT_CMD, C, robot="liku-1")),
        (topics.robot_status(C, "r2"), Topic(Kind.ROBOT_STATUS, C, robot="r2")),
        (topics.robot_events(C, "r2"), Topic(Kind.ROBOT_EVENTS, C, robot="r2")),
        (topics.robot_estop(C, "r2"), Topic(Kind.ROBOT_ESTOP, C, robot="r2")),
        (topics.center_estop(C), Topic(Kind.CENTER_ESTOP, C)),
        (topics.class_state(C, "am"), Topic(Kind.CLASS_STATE, C, class_id="am")),
        (topics.class_control(C, "am"), Topic(Kind.CLASS_CONTROL, C, class_id="am")),
        (topics.kiosk_class(C, "k1"), Topic(Kind.KIOSK_CLASS, C, kiosk="k1")),
        (topics.help_calls(C), Topic(Kind.HELP, C)),
        (topics.instructor(C), Topic(Kind.INSTRUCTOR, C)),
        (topics.schedule(C), Topic(Kind.SCHEDULE, C)),
    ],
)
def test_every_topic_round_trips(text: str, expected: Topic) -> None:
    assert parse_topic(text) == expected
    assert str(expected) == text
    assert text.startswith(f"sarangbang/v1/centers/{C}/")


def test_robot_topics_read_as_documented() -> None:
    assert topics.robot_cmd("c1", "r1") == "sarangbang/v1/centers/c1/robots/r1/cmd"
    assert topics.center_estop("c1") == "sarangbang/v1/centers/c1/robots/estop"


@pytest.mark.parametrize(
    "text",
    [
        "sarangbang/v2/centers/c1/robots/r1/cmd",
        "sarangbang/v1/centers/c1/robots/r1/dance",
        "sarangbang/v1/centers/C1/robots/r1/cmd",
        "sarangbang/v1/centers/c1/robots/r_1/cmd",
        "sarangbang/v1/centers/c1",
        "",
        "sarangbang/v1/centers/c1/robots/+/cmd",
    ],
)
def test_foreign_topics_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(TopicError, match=r"\S"):
        parse_topic(text)


def test_building_a_topic_with_a_bad_id_fails() -> None:
    with pytest.raises(TopicError, match="robot"):
        topics.robot_cmd("c1", "Robot One")


def test_subscriptions_cover_what_each_side_receives() -> None:
    robot = topics.robot_subscriptions(C, "r1")
    assert topics.center_estop(C) in robot and topics.robot_estop(C, "r1") in robot
    runner = topics.runner_subscriptions(C)
    assert f"sarangbang/v1/centers/{C}/robots/+/status" in runner


@given(st.text(max_size=120))
def test_parse_topic_only_ever_raises_topic_error(text: str) -> None:
    try:
        parsed = parse_topic(text)
    except TopicError:
        return
    assert str(parsed) == text


def test_only_a_retained_copy_of_a_never_retained_kind_is_stale() -> None:
    center = "gangnam-1"
    assert topics.stale_retained_copy(topics.help_calls(center), retain=True)
    assert topics.stale_retained_copy(topics.robot_cmd(center, "liku-1"), retain=True)
    assert topics.stale_retained_copy(topics.sync_batch(center, "kiosk-1"), retain=True)
    assert not topics.stale_retained_copy(topics.help_calls(center), retain=False)
    assert not topics.stale_retained_copy(topics.robot_status(center, "liku-1"), retain=True)
    assert not topics.stale_retained_copy(topics.roster(center), retain=True)
    assert not topics.stale_retained_copy(topics.bridge_state(center), retain=True)
