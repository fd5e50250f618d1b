"""Every step of every lesson in the library, at every text size, fits a 10-inch tablet:
no text drawn over other text, none pushed past the window's edge, every number met.

The accessibility walk (test_accessibility.py) goes through one lesson at the default
size; long questions and narrations elsewhere in the library, at 아주 크게, are where text
runs out of room, so this walks them all on the smallest screen.
"""

from __future__ import annotations

from typing import Any

import pytest

from kiosk_app.look.ui_text import tr
from kiosk_app.teaching.settings import TEXT_SIZES, LearnerSettings
from lessons.tracks import TRACKS, track_of
from tests.kiosk_app.driver import labels
from tests.kiosk_app.measure import Measures

TABLET = (1280, 800, 10.1)


def off_window(root: Any, width: int, height: int) -> list[tuple[str, Any]]:
    """Text whose box reaches past the window's edge (cut off on the screen), each with
    its label."""
    problems = []
    for label in labels(root):
        x, y = label.to_window(label.x, label.y)
        if x < -1 or y < -1 or x + label.width > width + 1 or y + label.height > height + 1:
            problems.append((f"'{label.text[:16]}' reaches past the window's edge", label))
    return problems


# Not yet: the public Wi-Fi lesson's connect step (its wifi-connect screen's tallest row,
# the ID and password 'seoul', is drawn at its Latin x-height since the kiosk measures what
# a reader reads) is this much too tall (mm) at 크게 and 아주 크게, the side bar being wider
# there; the simulated screen is being rebuilt (widgets/practice_screen.py). A ratchet.
KNOWN_TOO_TALL = {("public-wifi", 8, 1): 1.7, ("public-wifi", 8, 2): 3.1}
# Not yet, inside the simulated device (widgets/mock_device.py keeps the real app's grid in
# every language and size, issue 12, where the old screen took fewer columns): on a 10-inch
# tablet a word wider than its cell at the floors' size is broken (KakaoTalk's + menu has
# four columns of 4-syllable words: 36 mm each at 8 mm, cells of 24 mm with the phone as
# wide as the tablet allows; a phone number, 'SEOUL_Secure'). The most per text size: a
# ratchet, lowered as they are fixed (docs/kiosk.md, "Practice: the simulated device").
KNOWN_IN_MOCK = {0: 6, 1: 7, 2: 7}
# A DEFECT HELD BY A RATCHET, NOT A PASS (issue 12's closing note, 2026-12-04): once the
# library's screens became stateful (headers, bottom bars, pop-ups) and 26 lessons were
# added, the phone stacked under the instruction on a 10-inch tablet overflows: 1,312-1,434
# problems inside it per text size (elements over each other, targets 4-6 mm), and these
# lessons have steps whose own text does not fit (long quiz explanations, keyboards). The
# numbers may only go down; the fix is the tablet layout of issue 12 ("give the phone the
# full height next to the side bar") and shorter texts in these lessons.
# Per text size and track, measured 2026-12-04 (each track is its own test, so the suite's
# workers share the walk). At 아주 크게 the sum (1,453) is 3 over the 1,450 held before:
# a pop-up no longer leaves the widgets behind it disabled on later screens, so they are
# measured now, and text of the device that reaches past the window counts here too.
# 2026-12-05: the practice takes the tablet's whole height in Korean, the controls in the
# column beside it (docs/kiosk.md "On a tablet"): 1,279 / 1,433 / 1,453 -> 502 / 515 / 528
# per text size; what is left is mostly the dialer's and the lists' rows that still scroll,
# pop-ups taller than the device, and typing steps (the keyboard keeps the old layout).
# Twenty lessons left KNOWN_UNFIT below (printed by the test as "fit now").
TABLET_IN_MOCK = {
    (0, "basics"): 74, (0, "everyday"): 293, (0, "safety"): 135,
    (1, "basics"): 74, (1, "everyday"): 300, (1, "safety"): 141,
    (2, "basics"): 74, (2, "everyday"): 311, (2, "safety"): 143,
}  # fmt: skip
KNOWN_UNFIT = {
    0: {"atm-withdraw", "bank-transfer", "battery-charging", "emergency-sos",
        "gov-certificate", "kakao-add-friend", "kakaotalk-message", "movie-ticket-kiosk",
        "phishing-call", "phishing-sms", "public-wifi", "send-text-message", "take-photo",
        "train-ticket", "unlock-phone"},
    1: {"bank-transfer", "gov-certificate", "install-app", "movie-ticket-kiosk",
        "phishing-call", "public-wifi", "send-text-message"},
    2: {"bank-transfer", "gov-certificate", "install-app", "movie-ticket-kiosk",
        "phishing-call", "public-wifi", "send-text-message"},
}  # fmt: skip


def too_long(body: Any, px_mm: float, where: tuple[str, int, int]) -> list[str]:
    """A step that does not fit even at the smallest sizes: its content is too long. At the
    default size, an answered quiz must also keep its question (at larger sizes its
    explanation may stand in for it)."""
    lesson_id, _, text_size = where
    file = f"lessons/library/lessons/{lesson_id}.yaml"
    if body.overflow / px_mm <= KNOWN_TOO_TALL.get(where, 0.0) + 0.05:
        pass
    elif body.overflow >= 1:
        return [
            f"the step is {body.overflow / px_mm:.1f} mm too tall at the smallest text "
            f"sizes: shorten it, or split it in two, in {file}"
        ]
    if body.question_hidden and text_size == 0:
        return [f"the explanation leaves no room for the question: shorten them in {file}"]
    return []


def check(kiosk: Any, measures: Measures, where: str, lesson_id: str, text_size: int) -> None:
    kiosk.frames(3)  # measured on the widgets: no need to draw
    px_mm = kiosk.app.px_mm
    measures.check(where, kiosk.screen, px_mm)
    width, height = kiosk.window.size
    step = kiosk.app.kiosk.run.view.index + 1
    problems = too_long(kiosk.screen.ids.body, px_mm, (lesson_id, step, text_size))
    measures.problems += [f"{where}: {p}" for p in problems]
    for problem, label in off_window(kiosk.screen, width, height):
        measures._add(f"{where}: {problem}", label)  # in the simulated device: its count


@pytest.mark.parametrize("track", [track.id for track in TRACKS])
@pytest.mark.parametrize("text_size", range(len(TEXT_SIZES)))
def test_every_step_of_every_lesson_fits_a_10_inch_tablet(
    kiosk: Any, text_size: int, track: str
) -> None:
    """One track's lessons at one text size (a test each, so the suite's workers share
    the walk)."""
    app = kiosk.app
    width, height, inches = TABLET
    kiosk.use_screen(width, height, inches)
    learner = app.kiosk.roster()[-1]
    measures = Measures()
    try:
        app.kiosk.sign_in(learner.id)
        app.kiosk.save_settings(LearnerSettings(text_size=text_size))
        app.apply_learner_settings()
        lessons = app.kiosk.library.lessons
        in_track = sorted(i for i, lesson in lessons.items() if track_id(lesson) == track)
        assert in_track, f"no lesson in the track {track}"
        for lesson_id in in_track:
            run = app.kiosk.start_lesson(lesson_id, resume=False)
            app.go("lesson")
            while not run.view.finished:
                step = run.view.step
                size = tr(TEXT_SIZES[text_size][1])  # 보통, 크게, 아주 크게
                where = f"{size} {lesson_id} step {run.view.index + 1}"
                check(kiosk, measures, where, lesson_id, text_size)
                if step.quiz is not None:  # answered: the explanation strip shows too
                    run.answer(1 if step.quiz.answer != 1 else 2)
                    check(kiosk, measures, f"{where} answered wrong", lesson_id, text_size)
                    run.answer(min(step.quiz.answers))
                    check(kiosk, measures, f"{where} answered right", lesson_id, text_size)
                run.next()
    finally:
        app.kiosk.save_settings(LearnerSettings())
        app.sign_out()
        kiosk.use_screen(1920, 1080, 24.0)
    print(f"\n{tr(TEXT_SIZES[text_size][1])}: {measures}")
    mine = [p for p in measures.problems if p not in measures.in_mock]
    print(f"in the simulated device ({len(measures.in_mock)}):", *measures.in_mock, sep="\n")
    size = tr(TEXT_SIZES[text_size][1])
    known = KNOWN_UNFIT[text_size]
    print(f"known defect, lessons that do not fit ({len(known)}):", *sorted(known))
    new = [p for p in mine if p.removeprefix(f"{size} ").split(" ")[0] not in known]
    assert not new, "\n".join(new)
    unfit = {p.removeprefix(f"{size} ").split(" ")[0] for p in mine}
    fit_now = sorted(known & set(in_track) - unfit)
    print(f"fit now ({text_size}, {track}), to leave KNOWN_UNFIT:", *fit_now)
    limit = max(KNOWN_IN_MOCK[text_size], TABLET_IN_MOCK[text_size, track])
    print(f"in the mock ({text_size}, {track}): {len(measures.in_mock)} (at most {limit})")
    assert len(measures.in_mock) <= limit, "\n".join(measures.in_mock[:50])


def track_id(lesson: Any) -> str:
    found = track_of(lesson)
    return found.id if found else ""
