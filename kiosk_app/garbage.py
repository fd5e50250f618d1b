"""When the kiosk collects garbage: while nobody is touching the screen.

A step change builds a few dozen Kivy widgets and drops the last step's, and a Kivy widget
is a few hundred small objects in reference cycles, so Python's cyclic collector has a lot
to do: left to itself it ran a full pass (~40 ms, ~60,000 objects) in the middle of about
one step change in ten, and the worst step change took 60-100 ms against a budget of 50
(bench/kiosk_start.py). So once the kiosk has started, automatic collection is turned off and
the kiosk collects when the screen has been quiet for a moment, or at once when garbage has
piled up past a bound, so memory stays bounded however busy the screen is. After the first
of those passes (the long one, ~80 ms over everything made at start), what survives is
frozen out of every later pass: it lives as long as the kiosk.

A pass looks at the young generations only (what was made since the last passes), as
Python's own collector does; every FULL_EVERY-th pass looks at everything not frozen, so a
cycle that outlived a few passes (a screen's widgets, kept while it was shown) is still
freed. A full pass over a day's survivors took 140 ms where a young one takes a few.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

QUIET_SECONDS = 0.3  # no touch for this long: a pass now delays nothing anyone waits for
FEW = 2_000  # fewer new objects than this: not worth a pass
MANY = 100_000  # this many: collect even while someone keeps touching (a pass ~30-60 ms)
FULL_EVERY = 10  # young passes before a full one (Python's own threshold for generation 2)


class QuietCollector:
    def __init__(
        self,
        now: Callable[[], float] = time.monotonic,
        quiet: float = QUIET_SECONDS,
        few: int = FEW,
        many: int = MANY,
    ) -> None:
        self.now, self.quiet, self.few, self.many = now, quiet, few, many
        self._busy_at = now()
        self.passes = 0

    def start(self) -> None:
        """Take over from automatic collection."""
        gc.disable()

    def stop(self) -> None:
        """Give collection back to Python."""
        gc.unfreeze()
        gc.enable()

    def busy(self) -> None:
        """Someone touched the screen."""
        self._busy_at = self.now()

    def tick(self) -> bool:
        """Collect if it is a good moment (call it a few times a second); True if it did."""
        pending = gc.get_count()[0]  # objects made (less those freed) since the last pass
        if self.passes == 0:
            pending = max(pending, self.few)  # the first pass also freezes the start's objects
        quiet = self.now() - self._busy_at >= self.quiet
        if pending >= self.many or (quiet and pending >= self.few):
            full = self.passes == 0 or gc.get_count()[2] >= FULL_EVERY - 1
            gc.collect(2 if full else 1)
            if self.passes == 0:
                gc.freeze()
            self.passes += 1
            return True
        return False
