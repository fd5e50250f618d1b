"""The quiet collector: garbage is collected when the screen is quiet, or when too much."""

from __future__ import annotations

import gc
import time
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from kiosk_app.garbage import FULL_EVERY, QuietCollector
from tests.kiosk_app.conftest import ManualClock


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture()
def collector() -> Iterator[tuple[QuietCollector, ManualClock]]:
    was_enabled = gc.isenabled()
    clock = ManualClock()
    collector = QuietCollector(now=clock, quiet=0.3, few=10, many=5_000)
    collector.start()
    clock.advance(1.0)
    assert collector.tick()  # the first quiet moment: one pass, and the survivors frozen
    assert gc.get_freeze_count() > 0
    yield collector, clock
    collector.stop()  # twice is harmless
    if not was_enabled:
        gc.disable()


def garbage_cycle() -> weakref.ref[Cycle]:
    """A reference cycle nobody holds: only the cyclic collector frees it."""
    return weakref.ref(Cycle())


def test_nothing_is_collected_while_the_screen_is_being_touched(
    collector: tuple[QuietCollector, ManualClock],
) -> None:
    quiet, clock = collector
    assert not gc.isenabled()  # automatic passes are off
    dead = garbage_cycle()
    _ = [Cycle() for _ in range(50)]  # some more new objects
    quiet.busy()
    clock.advance(0.1)
    assert not quiet.tick()
    assert dead() is not None  # still there: no pass in the middle of a touch

    clock.advance(0.3)  # quiet now
    assert quiet.tick()
    assert dead() is None


def test_a_pile_of_garbage_is_collected_even_while_busy(
    collector: tuple[QuietCollector, ManualClock],
) -> None:
    quiet, _ = collector
    quiet.tick()
    dead = garbage_cycle()
    pile = [[n] for n in range(6_000)]  # more new objects than `many`
    quiet.busy()
    assert quiet.tick()
    assert dead() is None
    del pile


def test_a_pass_looks_at_young_objects_and_every_tenth_at_all(
    collector: tuple[QuietCollector, ManualClock],
) -> None:
    """A cycle kept through a pass (a shown screen's widgets) ages into the old generation:
    the young passes leave it, the FULL_EVERY-th frees it."""
    quiet, clock = collector
    kept = Cycle()
    old = weakref.ref(kept)
    clock.advance(1.0)
    _ = [Cycle() for _ in range(20)]
    assert quiet.tick()
    del kept
    freed_after = None
    for n in range(1, FULL_EVERY + 2):
        _ = [Cycle() for _ in range(20)]
        clock.advance(1.0)
        assert quiet.tick()
        if old() is None:
            freed_after = n
            break
    assert freed_after is not None, "an old cycle was never freed"
    assert freed_after > 1, "every pass looked at everything"


def test_stop_gives_collection_back_to_python(
    collector: tuple[QuietCollector, ManualClock],
) -> None:
    quiet, _ = collector
    quiet.stop()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_running_kiosk_keeps_collecting_in_quiet_moments(kiosk: Any) -> None:
    """In the real app, pass after pass (a tick that finds nothing to do must not stop the
    ticks: Kivy unschedules an interval whose callback returns False)."""

    def quiet_for(seconds: float) -> None:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            kiosk.frames(1)

    quiet_for(0.8)  # the kiosk's first pass (it freezes what the start made)
    for _ in range(3):
        dead = garbage_cycle()
        pile = [Cycle() for _ in range(3_000)]
        del pile
        quiet_for(0.8)  # nobody touches: a pass, then ticks with nothing to do
        assert dead() is None
