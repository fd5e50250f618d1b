"""The idle rule: after a long quiet time ask "are you still there?", then sign out.

There is no time limit inside a lesson; this only protects a learner's place when they
walk away. Pure: the clock is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class IdleState(Enum):
    ACTIVE = "active"
    ASKING = "asking"
    SIGN_OUT = "sign_out"


@dataclass
class IdleTimer:
    ask_after: float
    answer_within: float
    last_touch: float

    def touch(self, now: float) -> None:
        self.last_touch = now

    def state(self, now: float) -> IdleState:
        quiet = now - self.last_touch
        if quiet < self.ask_after:
            return IdleState.ACTIVE
        if quiet < self.ask_after + self.answer_within:
            return IdleState.ASKING
        return IdleState.SIGN_OUT

    def seconds_left(self, now: float) -> int:
        """Whole seconds left to answer while asking (rounded up, never below 0)."""
        left = self.ask_after + self.answer_within - (now - self.last_touch)
        return max(0, -int(-left // 1))
