"""Why progress was set aside, in words an instructor can read: every reason intake and the
kiosk's planner really write maps to its own message key."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from central.intake_rules import HINT_NOT_COUNTED, NOT_ON_ROSTER, SECONDS_NOT_COUNTED, judge
from central.set_aside_notice import (
    UNKNOWN_FLAG,
    UNKNOWN_REASON,
    KioskAside,
    flag_key,
    kiosk_aside,
    reason_key,
)
from central.web.i18n import MESSAGES
from robot_bridge.sync.sync_planner import SyncPlanner
from tests.progress_events import WALK_STARTS_AT, walk

NOW = WALK_STARTS_AT + 3600


def refusal(**change: object) -> str:
    """The reason intake's rules give for an event with `change` made to it."""
    event = walk("guest-1")[0].model_copy(update=change)
    owners = {"l-other": "seocho-1"}
    verdict = judge(event, center="gangnam-1", now=NOW, lessons={"phone-call"},
                    learner_centers=owners)  # fmt: skip
    assert verdict.set_aside, change
    return verdict.set_aside


def too_big() -> str:
    planner = SyncPlanner("gangnam-1", "kiosk-1", clock=lambda: NOW, batch_bytes=100)
    planner.next_batch(lambda start, limit: [(start + 1, "x" * 200)] if start < 1 else [])
    (aside,) = planner.set_aside
    return aside.reason


@pytest.mark.parametrize(
    ("reason", "key"),
    [
        (lambda: refusal(at=946_684_800.0), "aside_clock_behind"),
        (lambda: refusal(at=NOW + 3 * 86400), "aside_clock_ahead"),
        (lambda: refusal(lesson_id="no-such-lesson"), "aside_unknown_lesson"),
        (lambda: refusal(learner_id="l-other"), "aside_other_center"),
        (too_big, "aside_too_big"),
        (lambda: "batch of 2000000 bytes exceeds 1048576", "aside_too_big"),
        (lambda: "SyncBatch: center: Field required (and 2 more)", "aside_unreadable"),
        (lambda: "central could not store it: TypeError: boom", "aside_not_stored"),
    ],
)
def test_real_reasons_read_in_plain_words(reason: Callable[[], str], key: str) -> None:
    text = reason()
    assert reason_key(text) == key
    assert reason_key(f"3 events set aside at central: {text} (and 2 more)") == key
    assert key in MESSAGES


def test_an_unknown_reason_still_says_central_refused_it() -> None:
    assert reason_key("rejected by central") == UNKNOWN_REASON
    assert reason_key(None) == UNKNOWN_REASON
    assert UNKNOWN_REASON in MESSAGES


def test_a_kiosk_status_is_read_as_sent_without_trusting_it() -> None:
    assert kiosk_aside({"set_aside": 3, "set_aside_reason": "x", "ignored_acks": 2}) == (
        KioskAside(3, "x", 2)
    )
    odd = {"set_aside": True, "set_aside_reason": 5, "ignored_acks": -4}
    assert kiosk_aside(odd) == KioskAside()
    assert kiosk_aside({"set_aside": "9", "set_aside_reason": ""}) == KioskAside()


def test_every_mark_intake_puts_on_events_has_words() -> None:
    for flag in (NOT_ON_ROSTER, SECONDS_NOT_COUNTED, HINT_NOT_COUNTED):
        assert flag_key(flag) != UNKNOWN_FLAG and flag_key(flag) in MESSAGES
    assert flag_key("something-new") == UNKNOWN_FLAG and UNKNOWN_FLAG in MESSAGES
