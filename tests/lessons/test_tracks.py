"""Tracks: every lesson of the library is in exactly one, and the checker says which is not."""

from __future__ import annotations

import shutil
from pathlib import Path

from lessons.library import BUNDLED_LIBRARY, check_library, load_library
from lessons.tracks import TRACKS, in_track_order, track_of, track_problem
from tests.lessons.conftest import make_lesson


def test_every_library_lesson_is_in_exactly_one_known_track() -> None:
    library = load_library()
    assert len(library.lessons) >= 36
    for lesson in library.lessons.values():
        assert track_problem(lesson) is None, lesson.id
    counts = {t.id: sum(track_of(x) == t for x in library.lessons.values()) for t in TRACKS}
    assert all(counts.values()), counts


def test_track_order_is_track_then_level() -> None:
    a = make_lesson(id="a", level=2, tags=["track-everyday"])
    b = make_lesson(id="b", level=3, tags=["track-basics"])
    c = make_lesson(id="c", level=1, tags=["track-everyday"])
    assert [x.id for x in in_track_order([a, b, c])] == ["b", "c", "a"]
    # in a level, after what it requires: "aa" requires "z"
    z = make_lesson(id="z", level=1, tags=["track-basics"])
    aa = make_lesson(id="aa", level=1, tags=["track-basics"], requires=["z"])
    assert [x.id for x in in_track_order([aa, z])] == ["z", "aa"]


def test_problems_in_words() -> None:
    assert "no track" in (track_problem(make_lesson(tags=["phone"])) or "")
    two = track_problem(make_lesson(tags=["track-basics", "track-safety"]))
    assert two is not None and "2 tracks" in two
    assert "unknown track 'track-fun'" in (track_problem(make_lesson(tags=["track-fun"])) or "")


def test_the_checker_reports_a_lesson_with_no_or_two_tracks(tmp_path: Path) -> None:
    root = tmp_path / "library"
    shutil.copytree(BUNDLED_LIBRARY, root)
    lessons = root / "lessons"
    for name, old, new in [
        ("phone-call.yaml", ", track-basics]", "]"),
        ("weather.yaml", "[track-everyday,", "[track-everyday, track-safety,"),
    ]:
        path = lessons / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    _, problems = check_library(root, walk=False)
    found = sorted(str(p) for p in problems)
    assert len(found) == 2, found
    assert "phone-call.yaml" in found[0] and "tags: no track" in found[0]
    assert "weather.yaml" in found[1] and "in 2 tracks" in found[1]
