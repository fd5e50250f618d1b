"""The kiosk as the screens see it: who is signed in, their settings and lessons, the
lesson being taught, the store's health. No Kivy here; the app wires it to the screens.

Reads go to a store connection on the calling (UI) thread: they are small indexed queries
on a local file. Every write goes through the writer thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from kiosk_app.config import KioskConfig
from kiosk_app.look.ui_text import tr
from kiosk_app.speaker import Speaker
from kiosk_app.storage.store import Learner, LessonState, Store, StoreError, StoreStatus
from kiosk_app.storage.store_writer import StoreWriter
from kiosk_app.teaching.class_mode import ClassRun
from kiosk_app.teaching.lesson_run import LessonRun
from kiosk_app.teaching.settings import LearnerSettings
from kiosk_app.teaching.today import parse_schedule, today_line
from lessons.events import EventKind, ProgressEvent
from lessons.learning_path import Completion, LessonRecord, Path, completion_of, plan
from lessons.library import Library
from lessons.model import Language, Lesson
from lessons.session import Clock, LessonSession
from lessons.tracks import Track, in_track_order, track_of
from robot_bridge.protocol.class_messages import Schedule

_T = TypeVar("_T")


@dataclass(frozen=True)
class LessonCard:
    lesson: Lesson
    state: LessonState | None
    record: LessonRecord = field(default_factory=LessonRecord)  # its runs (learning_path)

    @property
    def in_progress(self) -> bool:
        return self.state is not None and self.state.in_progress

    @property
    def mastered(self) -> bool:
        """Mastered on the learning path's rule (clean runs on two days)."""
        return self.record.mastered

    @property
    def track(self) -> Track | None:
        return track_of(self.lesson)

    def progress_text(self, language: Language = "ko") -> str:
        """How far this learner got, in words a senior reads at a glance."""
        state, total = self.state, len(self.lesson.steps)
        if state is not None and state.in_progress:
            return tr("card.in_progress", language, step=state.step_index + 1, total=total)
        if self.record.mastered:
            return tr("card.mastered", language)
        if self.record.clean_days:  # one clean day of two
            return tr("card.once_more", language)
        if state is None and not self.record.finished:
            return tr("card.new", language)
        return tr("card.finished", language)

    def track_text(self, language: Language = "ko") -> str:
        """The card's second line: its track, then how far the learner got."""
        track = self.track
        progress = self.progress_text(language)
        return f"{track.name(language)} · {progress}" if track else progress


@dataclass(frozen=True)
class HomeCards:
    """The learner's home, from the learning path: 다음 수업, 복습 when due, the rest."""

    next: LessonCard | None
    review: LessonCard | None
    rest: list[LessonCard]  # track by track


@dataclass(frozen=True)
class KioskStatus:
    store: StoreStatus | None
    waiting_writes: int
    problem: StoreError | None
    in_memory: bool


class Kiosk:
    def __init__(
        self,
        config: KioskConfig,
        library: Library,
        reader: Store,
        writer: StoreWriter,
        speaker: Speaker,
        clock: Clock,
        in_memory: bool = False,
    ) -> None:
        self.config = config
        self.library = library
        self.library_version: int | None = None  # the published version taught, if any
        self.reader = reader
        self.writer = writer
        self.speaker = speaker
        self.clock = clock
        self.in_memory = in_memory
        self.problem: StoreError | None = None
        self.learner: Learner | None = None
        self.settings = LearnerSettings()
        self.run: LessonRun | None = None
        self.class_run: ClassRun | None = None  # following a robot-led class
        # Lesson states handed to the writer but maybe not on disk yet, so that the home
        # screen shows where the learner really is.
        self._written: dict[tuple[str, str], LessonState] = {}
        # Finished runs handed to the writer, by event id, for the same reason.
        self._runs: dict[str, tuple[str, Completion]] = {}
        volume = self._read(lambda: self.reader.kept("volume"), None)
        if volume is not None:
            speaker.set_volume(float(volume))

    @property
    def language(self) -> Any:
        return self.config.language

    # ---- people ---------------------------------------------------------------------------

    def roster(self, include_hidden: bool = False) -> list[Learner]:
        return self._read(lambda: self.reader.learners(include_hidden), [])

    def sign_in(self, learner_id: str) -> None:
        self.learner = self._read(lambda: self.reader.learner(learner_id), None)
        self.settings = self._read(lambda: self.reader.settings(learner_id), LearnerSettings())
        self.run, self.class_run = None, None

    def sign_out(self) -> None:
        """Leave: progress is already stored step by step, so nothing is lost."""
        self.speaker.stop()
        self.learner, self.run, self.settings = None, None, LearnerSettings()
        self.class_run = None

    def save_settings(self, settings: LearnerSettings) -> None:
        self.settings = settings
        if self.learner is not None:
            learner_id = self.learner.id
            self.writer.submit(lambda store: store.save_settings(learner_id, settings))

    def write(self, job: Callable[[Store], Any], done: Callable[[Any], None] | None = None) -> None:
        """Queue a roster change (instructor mode) on the writer thread."""
        self.writer.submit(job, done)

    # ---- lessons --------------------------------------------------------------------------

    def teach_library(self, library: Library, version: int | None) -> None:
        """Teach from `library` from the next lesson on (a lesson under way keeps its own),
        and keep its version for the sync status (None: not a published version)."""
        self.library, self.library_version = library, version
        kept = "" if version is None else str(version)
        self.writer.submit(lambda store: store.keep("library_version", kept))

    def lesson_cards(self) -> list[LessonCard]:
        """Every lesson's card, track by track (lessons/tracks.py)."""
        states, done = self._states(), self._path().records
        return [
            LessonCard(lesson, states.get(lesson.id), done.get(lesson.id, LessonRecord()))
            for lesson in self._lessons()
        ]

    def home_cards(self) -> HomeCards:
        """다음 수업, 복습 when one is due, then the rest track by track."""
        path, states = self._path(), self._states()

        def card(lesson: Lesson) -> LessonCard:
            return LessonCard(lesson, states.get(lesson.id), path.record(lesson.id))

        return HomeCards(
            card(path.next) if path.next else None,
            card(path.review) if path.review else None,
            [card(lesson) for lesson in path.rest],
        )

    def start_review(self, lesson_id: str) -> LessonRun:
        """A short review of a mastered lesson: from its first practice step."""
        steps = self.library.lessons[lesson_id].steps
        first = next((i for i, step in enumerate(steps) if step.practice), 0)
        return self.start_lesson(lesson_id, resume=False, at_step=first)

    def resume_card(self) -> LessonCard | None:
        """The lesson to continue: the unfinished one touched last."""
        cards = [card for card in self.lesson_cards() if card.in_progress]
        return max(cards, key=lambda c: c.state.updated_at if c.state else 0.0, default=None)

    def start_lesson(self, lesson_id: str, resume: bool, at_step: int = 0) -> LessonRun:
        assert self.learner is not None, "sign in first"
        state = self._states().get(lesson_id)
        lesson = self.library.lessons[lesson_id]
        session = LessonSession(
            lesson, clock=self.clock, learner_id=self.learner.id, screens=self.library.screens
        )
        self.run = LessonRun(
            session,
            self.config.language,
            speak=self.say,
            record=self._record,
            clock=self.clock,
            was_mastered=bool(state and state.mastered),
        )
        if resume and state and state.in_progress:
            at_step = state.step_index
        at_step = min(at_step, len(lesson.steps) - 1)  # a newer version may have fewer steps
        self.speaker.prefetch(lesson, self.settings.rate_factor)  # before its first line
        self.run.start(at_step)
        return self.run

    def join_class(self) -> ClassRun:
        """Follow a robot-led class as the signed-in learner (progress stored as usual)."""
        assert self.learner is not None, "sign in first"
        self.run = None
        self.class_run = ClassRun(
            self.library, self.config.language, self.learner.id, self.say, self._record, self.clock
        )
        return self.class_run

    def kept_schedule(self) -> str | None:
        """The center's schedule as last received (kept in the store for days offline)."""
        return self._read(self.reader.schedule, None)

    def today_line(self, received: Schedule | None) -> str:
        """Today's class for the welcome screen, from the schedule received or else kept."""
        schedule = received or parse_schedule(self.kept_schedule())
        language = self.config.language
        titles = {key: lesson.title.get(language) for key, lesson in self.library.lessons.items()}
        return today_line(schedule, titles, self.clock(), language=language)

    def say(self, lines: Sequence[str]) -> None:
        self.speaker.say(lines, rate=self.settings.rate_factor)

    def set_volume(self, volume: float) -> None:
        """Set the speaker's volume (instructor mode) and keep it for the next start."""
        self.speaker.set_volume(volume)
        kept = str(self.speaker.volume)
        self.writer.submit(lambda store: store.keep("volume", kept))

    # ---- the store ------------------------------------------------------------------------

    def status(self) -> KioskStatus:
        store: StoreStatus | None = self._read(self.reader.status, None)
        return KioskStatus(store, self.writer.waiting, self.problem, self.in_memory)

    def set_problem(self, problem: StoreError | None) -> None:
        self.problem = problem

    def _record(self, events: list[ProgressEvent], state: LessonState) -> None:
        if self.library_version is not None:
            events = [_with_library(e, self.library_version) for e in events]
        self._written[(state.learner_id, state.lesson_id)] = state
        for e in events:
            run = completion_of(e)
            if run is not None and e.learner_id is not None:
                self._runs[e.id] = (e.learner_id, run)
        self.writer.submit(lambda store: store.record(events, state))

    def _states(self) -> dict[str, LessonState]:
        if self.learner is None:
            return {}
        learner_id = self.learner.id
        states: dict[str, LessonState] = self._read(
            lambda: self.reader.lesson_states(learner_id), {}
        )
        for (who, lesson_id), state in self._written.items():
            if who == learner_id:
                states[lesson_id] = state
        return states

    def _completions(self) -> list[Completion]:
        if self.learner is None:
            return []
        learner_id = self.learner.id
        stored: list[Completion] = self._read(lambda: self.reader.completions(learner_id), [])
        pending = [run for who, run in self._runs.values() if who == learner_id]
        return list(dict.fromkeys([*stored, *pending]))  # a run stored and pending: once

    def _path(self) -> Path:
        return plan(self.library.lessons.values(), self._completions(), self.clock())

    def _lessons(self) -> list[Lesson]:
        return in_track_order(self.library.lessons.values())

    def _read(self, read: Callable[[], _T], fallback: _T) -> _T:
        try:
            return read()
        except StoreError as exc:
            self.problem = exc
            return fallback


# the events that name the published library version a lesson was taught from
_NAMES_LIBRARY = frozenset({EventKind.LESSON_STARTED, EventKind.LESSON_COMPLETED})


def _with_library(event: ProgressEvent, version: int) -> ProgressEvent:
    if event.kind not in _NAMES_LIBRARY:
        return event
    return event.model_copy(update={"detail": {**event.detail, "library": version}})
