"""The library's tracks: basics, everyday life, advanced and safety (기초, 생활, 심화·안전).

A lesson joins a track with a tag (`tags: [track-basics, …]`); a library that uses tracks
puts every lesson in exactly one (`lessons check` says which lesson has none or two). The
kiosk's home and the instructor dashboard show lessons track by track, in this order.
Pure: no files, no Kivy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lessons.model import Language, Lesson

TAG_PREFIX = "track-"


@dataclass(frozen=True)
class Track:
    id: str  # the tag without its prefix: "basics"
    ko: str
    en: str

    @property
    def tag(self) -> str:
        return TAG_PREFIX + self.id

    def name(self, language: Language = "ko") -> str:
        return self.en if language == "en" else self.ko


# In teaching order: a learner starts with the phone itself, then uses it for everyday
# life, then for money, documents and scams (the tracks of Seoul's smart senior centers
# and the national 디지털배움터 program).
TRACKS: tuple[Track, ...] = (
    Track("basics", "기초", "Basics"),
    Track("everyday", "생활", "Everyday life"),
    Track("safety", "심화·안전", "Advanced and safety"),
)
BY_ID = {track.id: track for track in TRACKS}
BY_TAG = {track.tag: track for track in TRACKS}


def track_tags(tags: Iterable[str]) -> list[str]:
    """The tags among `tags` that name a track (known or not: `track-typo` is one too)."""
    return [tag for tag in tags if tag.startswith(TAG_PREFIX)]


def track_of(lesson: Lesson) -> Track | None:
    """The lesson's track; None when it has none, several or an unknown one."""
    tags = track_tags(lesson.tags)
    return BY_TAG.get(tags[0]) if len(tags) == 1 else None


def track_order(lesson: Lesson) -> int:
    """Where the lesson's track comes (a lesson without one comes last)."""
    track = track_of(lesson)
    return TRACKS.index(track) if track else len(TRACKS)


def in_track_order(lessons: Iterable[Lesson]) -> list[Lesson]:
    """Track by track; in a track by level, then after what each requires (its depth: the
    longest chain of `requires` under it), then by id: phone-basics before battery-charging,
    which requires it, though both are level 1."""
    given = list(lessons)
    by_id = {x.id: x for x in given}
    depth: dict[str, int] = {}

    def depth_of(lesson_id: str, trail: frozenset[str] = frozenset()) -> int:
        if lesson_id not in depth:
            below = [
                depth_of(r, trail | {lesson_id}) + 1
                for r in by_id[lesson_id].requires
                if r in by_id and r not in trail  # a cycle is the checker's to report
            ]
            depth[lesson_id] = max(below, default=0)
        return depth[lesson_id]

    return sorted(given, key=lambda x: (track_order(x), x.level, depth_of(x.id), x.id))


def track_problem(lesson: Lesson) -> str | None:
    """What is wrong with the lesson's track tags, in a writer's words; None when fine."""
    tags = track_tags(lesson.tags)
    known = ", ".join(track.tag for track in TRACKS)
    if not tags:
        return f"no track: add one of {known} to tags"
    if len(tags) > 1:
        return f"in {len(tags)} tracks ({', '.join(tags)}): keep one of them"
    if tags[0] not in BY_TAG:
        return f"unknown track '{tags[0]}' (known: {known})"
    return None
