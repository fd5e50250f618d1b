"""Progress as the dashboard shows it: per lesson, per learner, and who is stuck.

Everything is read from the summaries intake keeps (`lesson_summary`, `step_summary`,
primary keys starting with the center), never from the events table, so a center's page
costs the same with ten events or ten million.

Learner ids in the summaries come from kiosks. A row whose id is not on the center's own
roster is kept (its progress happened) but marked `known = False`, so the pages never show
it as if it were a learner of the center, and never with another center's learner's name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from central.database import Database

# The hint ladder tops out at 3 (the tap is shown); three wrong taps on one step means the
# learner went through all of it. Two help calls on one step means the screen did not help.
STUCK_WRONG_TAPS = 3
STUCK_HELP_CALLS = 2
STUCK_LIST_LIMIT = 30


@dataclass(frozen=True)
class Totals:
    """Sums over lesson_summary rows (one row per learner and lesson)."""

    key: str  # lesson id, or learner id
    name: str  # learner name (empty for a lesson row)
    learners: int  # rows summed: learners (per lesson) or lessons (per learner)
    started: int  # rows with a start
    completed: int
    mastered: int
    seconds: float
    wrong_taps: int
    max_hint_level: int
    help_calls: int
    last_at: float
    known: bool = True  # a learner row: the id is on the center's roster


@dataclass(frozen=True)
class StuckStep:
    learner_id: str
    name: str
    lesson_id: str
    step_id: str
    wrong_taps: int
    help_calls: int
    max_hint_level: int
    last_at: float
    known: bool = True  # the id is on the center's roster


# Only the center's own roster names a learner (an id another center uses is not ours).
_ROSTER_JOIN = "LEFT JOIN learners l ON l.id = {table}.learner_id AND l.center = {table}.center"
_SUMS = (
    "count(*), sum(CASE WHEN s.started > 0 THEN 1 ELSE 0 END), "
    "sum(CASE WHEN s.completed > 0 THEN 1 ELSE 0 END), sum(s.mastered), sum(s.seconds), "
    "sum(s.wrong_attempts), max(s.max_hint_level), sum(s.help_calls), max(s.last_at)"
)


def per_lesson(db: Database, center: str) -> list[Totals]:
    rows = db.execute(
        f"SELECT s.lesson_id, '', {_SUMS} FROM lesson_summary s WHERE s.center = ? "
        "GROUP BY s.lesson_id ORDER BY s.lesson_id",
        [center],
    )
    return [Totals(*row) for row in rows.fetchall()]


def per_learner(db: Database, center: str, lesson_id: str | None = None) -> list[Totals]:
    """One row per learner (of one lesson, or over all lessons), by name."""
    where, params = "s.center = ?", [center]
    if lesson_id:
        where += " AND s.lesson_id = ?"
        params.append(lesson_id)
    rows = db.execute(
        f"SELECT s.learner_id, coalesce(l.name, ''), {_SUMS}, l.id IS NOT NULL "
        f"FROM lesson_summary s {_ROSTER_JOIN.format(table='s')} WHERE {where} "
        "GROUP BY s.learner_id, l.id, l.name ORDER BY l.id IS NULL, coalesce(l.name, s.learner_id)",
        params,
    )
    return [replace(Totals(*row[:-1]), known=bool(row[-1])) for row in rows.fetchall()]


def lesson_rows(db: Database, center: str) -> list[tuple[str, str, bool, bool, bool]]:
    """Each learner's row per lesson: (learner id, lesson id, started, completed, mastered),
    for the progress by track (central/track_progress.py)."""
    rows = db.execute(
        "SELECT learner_id, lesson_id, started > 0, completed > 0, mastered > 0 "
        "FROM lesson_summary WHERE center = ?",
        [center],
    )
    return [(r[0], r[1], bool(r[2]), bool(r[3]), bool(r[4])) for r in rows.fetchall()]


def learner_lessons(db: Database, center: str, learner_id: str) -> list[Totals]:
    """One row per lesson of one learner."""
    rows = db.execute(
        f"SELECT s.lesson_id, '', {_SUMS} FROM lesson_summary s "
        "WHERE s.center = ? AND s.learner_id = ? GROUP BY s.lesson_id ORDER BY s.lesson_id",
        [center, learner_id],
    )
    return [Totals(*row) for row in rows.fetchall()]


def stuck(db: Database, center: str, lesson_id: str | None = None) -> list[StuckStep]:
    """Steps where a learner who has not mastered the lesson tapped wrong or called for help
    again and again; the worst first."""
    where, params = "st.center = ?", [center]
    if lesson_id:
        where += " AND st.lesson_id = ?"
        params.append(lesson_id)
    rows = db.execute(
        "SELECT st.learner_id, coalesce(l.name, ''), st.lesson_id, st.step_id, "
        "st.wrong_attempts, st.help_calls, st.max_hint_level, ls.last_at, l.id IS NOT NULL "
        "FROM step_summary st JOIN lesson_summary ls ON ls.center = st.center "
        "AND ls.learner_id = st.learner_id AND ls.lesson_id = st.lesson_id "
        f"{_ROSTER_JOIN.format(table='st')} WHERE {where} AND ls.mastered = 0 "
        "AND (st.wrong_attempts >= ? OR st.help_calls >= ?) "
        "ORDER BY st.wrong_attempts + 2 * st.help_calls DESC, ls.last_at DESC LIMIT ?",
        [*params, STUCK_WRONG_TAPS, STUCK_HELP_CALLS, STUCK_LIST_LIMIT],
    )
    return [replace(StuckStep(*row[:-1]), known=bool(row[-1])) for row in rows.fetchall()]
