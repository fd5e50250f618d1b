"""Progress by track (기초 / 생활 / 심화·안전, lessons/tracks.py), from the per-lesson and
per-learner-and-lesson sums the dashboard already reads (central/progress.py): pure, no SQL.

A center's instructor sees, per track, how many of its lessons were started, completed and
mastered by how many learners, and per learner how many lessons of each track they have
completed and mastered. "Mastered" is the kiosk's learning path's rule
(lessons/learning_path.py): clean runs (no level-3 hint, nothing skipped) on two different
days, which intake keeps from the events (`clean_days`), so the dashboard and the home
screen's 다음 수업 agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from central.progress import Totals
from lessons.model import Language, Lesson
from lessons.tracks import TRACKS, Track, in_track_order, track_of


@dataclass(frozen=True)
class TrackTotals:
    track: Track | None  # None: lessons in no track (or not in the library any more)
    lessons: int  # lessons of the library in this track
    learners: int  # learners with a row in any of its lessons
    started: int  # learner × lesson pairs
    completed: int
    mastered: int


@dataclass(frozen=True)
class LearnerTracks:
    key: str  # learner id
    name: str
    known: bool
    completed: tuple[int, ...]  # lessons completed, per track of `TRACKS`
    mastered: tuple[int, ...]


@dataclass(frozen=True)
class LessonRow:
    """One learner's sums for one lesson (a lesson_summary row)."""

    learner_id: str
    lesson_id: str
    started: bool
    completed: bool
    mastered: bool


def _track_id(lesson_id: str, lessons: Mapping[str, Lesson]) -> str | None:
    lesson = lessons.get(lesson_id)
    track = track_of(lesson) if lesson else None
    return track.id if track else None


def by_track(rows: Iterable[LessonRow], lessons: Mapping[str, Lesson]) -> list[TrackTotals]:
    """One row per track in teaching order (every track, even one nobody started), then
    one for lessons outside the tracks when there are any."""
    rows = list(rows)
    out = []
    for track in (*TRACKS, None):
        tid = track.id if track else None
        mine = [r for r in rows if _track_id(r.lesson_id, lessons) == tid]
        count = sum(1 for x in lessons.values() if track_of(x) == track)
        if track is None and not mine and not count:
            continue
        out.append(
            TrackTotals(
                track,
                count,
                len({r.learner_id for r in mine}),
                sum(r.started for r in mine),
                sum(r.completed for r in mine),
                sum(r.mastered for r in mine),
            )
        )
    return out


def learners_by_track(
    rows: Iterable[LessonRow], learners: Iterable[Totals], lessons: Mapping[str, Lesson]
) -> list[LearnerTracks]:
    """Per learner (in the order of `learners`, the per-learner table's), the lessons of
    each track completed and mastered."""
    index = {track.id: i for i, track in enumerate(TRACKS)}
    counts: dict[str, tuple[list[int], list[int]]] = {}
    for r in rows:
        tid = _track_id(r.lesson_id, lessons)
        if tid is None:
            continue
        done, known = counts.setdefault(r.learner_id, ([0] * len(TRACKS), [0] * len(TRACKS)))
        done[index[tid]] += r.completed
        known[index[tid]] += r.mastered
    empty = ([0] * len(TRACKS), [0] * len(TRACKS))
    return [
        LearnerTracks(
            t.key, t.name, t.known, tuple(counts.get(t.key, empty)[0]),
            tuple(counts.get(t.key, empty)[1]),
        )
        for t in learners
    ]  # fmt: skip


def lessons_by_track(
    lessons: Mapping[str, Lesson], language: str = "ko"
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The library's lessons grouped for a form's <optgroup>s: (track name, [(id, title)]),
    in teaching order; lessons in no track last, under "—"."""
    lang: Language = "en" if language == "en" else "ko"
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    ordered = in_track_order(lessons.values())
    for track in (*TRACKS, None):
        members = [(x.id, x.title.get(lang)) for x in ordered if track_of(x) == track]
        if members:
            groups.append((track.name(lang) if track else "—", members))
    return groups
