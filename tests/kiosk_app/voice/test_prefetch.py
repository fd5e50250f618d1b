"""A lesson's lines are synthesised in the background before the learner reaches them."""

from __future__ import annotations

import time
from concurrent.futures import wait

from kiosk_app.voice.narration import Narrator
from kiosk_app.voice.prefetch import lesson_lines, prefetch_lesson
from lessons.library import load_library
from lessons.session import LessonSession

# The quickest a learner can leave a step: hear a short line and tap "next". The whole
# lesson must be ready well within the first step, so no step ever waits on synthesis.
FIRST_STEP_SECONDS = 3.0


def test_every_line_a_lesson_says_is_ready_before_the_learner_reaches_it(
    narrator: Narrator,
) -> None:
    lesson = load_library().lessons["phone-call"]
    started = time.monotonic()
    pending = prefetch_lesson(narrator, lesson, "ko", 0.75)
    finished, late = wait(pending, timeout=FIRST_STEP_SECONDS)
    elapsed = time.monotonic() - started
    assert not late, f"{len(late)} lines not ready after {elapsed:.1f} s"
    assert all(future.exception() is None for future in finished)

    misses = narrator.cache.misses
    session = LessonSession(lesson, clock=time.monotonic, learner_id="kim")
    said = session.start()
    while not session.view.finished:
        for line in said:
            assert narrator.render([line.get("ko")], "ko", 0.75).done(), line.get("ko")
        said = session.next()
    assert narrator.cache.misses == misses


def test_lesson_lines_keep_cues_and_come_once_in_step_order() -> None:
    lesson = load_library().lessons["phone-call"]
    lines = lesson_lines(lesson, "ko")
    assert len(lines) == len(set(lines))
    first_step = lesson.steps[0]
    assert first_step.say is not None and lines[0] == first_step.say.ko
