"""Topics of the robot and class protocol: the only place their strings are built and parsed.

Every topic is `sarangbang/v1/centers/{center}/` followed by one of `TEMPLATES`. Ids (center,
robot, class, kiosk) are lowercase slugs: `a-z`, `0-9` and single dashes, at most 64 chars.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

PREFIX = ("sarangbang", "v1", "centers")
MAX_ID_LENGTH = 64
_SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z"
_ID = re.compile(_SLUG_PATTERN)


class TopicError(ValueError):
    """A topic or an id in it is not part of the protocol."""


class Kind(StrEnum):
    ROBOT_STATUS = "robot_status"  # robot → all, retained, last will `offline`
    ROBOT_CMD = "robot_cmd"  # runner → robot, never retained
    ROBOT_EVENTS = "robot_events"  # robot → runner
    ROBOT_ESTOP = "robot_estop"  # anyone → one robot: stop now
    CENTER_ESTOP = "center_estop"  # anyone → every robot of the center: stop now
    CLASS_STATE = "class_state"  # runner → kiosks, retained
    CLASS_CONTROL = "class_control"  # instructor → runner
    KIOSK_CLASS = "kiosk_class"  # kiosk → runner: joined / practice done / left
    HELP = "help"  # kiosk → runner: 도와주세요
    INSTRUCTOR = "instructor"  # runner → instructor: notices (help calls, robot dropped out)
    SCHEDULE = "schedule"  # central → site, retained
    ROSTER = "roster"  # central → site, retained: the center's learners
    SYNC_BATCH = "sync_batch"  # site → central: a run of one kiosk's progress outbox
    SYNC_ACK = "sync_ack"  # central → site: the run is stored
    SYNC_STATUS = "sync_status"  # site → central, retained: a kiosk's backlog and lag
    # Published lesson libraries (docs/lesson-publishing.md): central → center over the
    # bridge, then the center's keeper → its kiosks on the site broker.
    LIBRARY_OFFER = "library_offer"  # central → site, retained: the version to teach
    LIBRARY_FETCH = "library_fetch"  # site → central: send me these bytes of a file
    LIBRARY_BLOB = "library_blob"  # central → site: bytes of a file
    LIBRARY_STATUS = "library_status"  # keeper → central, retained: what the center has
    SITE_LIBRARY = "site_library"  # keeper → kiosks, retained: the version the center has
    KIOSK_LIBRARY_FETCH = "kiosk_library_fetch"  # kiosk → keeper
    KIOSK_LIBRARY_BLOB = "kiosk_library_blob"  # keeper → kiosk


# What follows the center in each topic; `{robot}`, `{class}`, `{kiosk}` are ids.
TEMPLATES: dict[Kind, tuple[str, ...]] = {
    Kind.ROBOT_STATUS: ("robots", "{robot}", "status"),
    Kind.ROBOT_CMD: ("robots", "{robot}", "cmd"),
    Kind.ROBOT_EVENTS: ("robots", "{robot}", "events"),
    Kind.ROBOT_ESTOP: ("robots", "{robot}", "estop"),
    Kind.CENTER_ESTOP: ("robots", "estop"),
    Kind.CLASS_STATE: ("classes", "{class}", "state"),
    Kind.CLASS_CONTROL: ("classes", "{class}", "control"),
    Kind.KIOSK_CLASS: ("kiosks", "{kiosk}", "class"),
    Kind.HELP: ("help",),
    Kind.INSTRUCTOR: ("instructor",),
    Kind.SCHEDULE: ("schedule",),
    Kind.ROSTER: ("roster",),
    Kind.SYNC_BATCH: ("sync", "{kiosk}", "batch"),
    Kind.SYNC_ACK: ("sync", "{kiosk}", "ack"),
    Kind.SYNC_STATUS: ("sync", "{kiosk}", "status"),
    Kind.LIBRARY_OFFER: ("library", "offer"),
    Kind.LIBRARY_FETCH: ("library", "fetch"),
    Kind.LIBRARY_BLOB: ("library", "blob"),
    Kind.LIBRARY_STATUS: ("library", "status"),
    Kind.SITE_LIBRARY: ("library", "site"),
    Kind.KIOSK_LIBRARY_FETCH: ("kiosks", "{kiosk}", "library", "fetch"),
    Kind.KIOSK_LIBRARY_BLOB: ("kiosks", "{kiosk}", "library", "blob"),
}
# Central's intake workers share the batch subscription, so the broker splits batches among them.
SHARED_INTAKE_GROUP = "central-intake"
_FIELDS = {"{robot}": "robot", "{class}": "class_id", "{kiosk}": "kiosk"}


def check_id(value: str, what: str = "id") -> str:
    """Return `value` if it is a valid id, else raise TopicError saying why."""
    if not _ID.match(value) or len(value) > MAX_ID_LENGTH:
        raise TopicError(
            f"{what} {value[:80]!r} is not a slug (a-z, 0-9, single dashes, ≤ {MAX_ID_LENGTH})"
        )
    return value


@dataclass(frozen=True)
class Topic:
    """A parsed protocol topic; `str(topic)` is the topic string."""

    kind: Kind
    center: str
    robot: str | None = None
    class_id: str | None = None
    kiosk: str | None = None

    def __post_init__(self) -> None:
        check_id(self.center, "center")
        for part in TEMPLATES[self.kind]:
            if part in _FIELDS:
                value = getattr(self, _FIELDS[part])
                if value is None:
                    raise TopicError(f"a {self.kind} topic needs a {_FIELDS[part]}")
                check_id(value, _FIELDS[part])

    def __str__(self) -> str:
        parts = [getattr(self, _FIELDS[p]) if p in _FIELDS else p for p in TEMPLATES[self.kind]]
        return "/".join((*PREFIX, self.center, *parts))


# The kinds whose messages are published retained (docs/protocol.md, docs/sync.md). Any other
# kind is an event or a command: a retained copy of one is stale by definition.
RETAINED_KINDS = frozenset(
    {
        Kind.ROBOT_STATUS,
        Kind.CLASS_STATE,
        Kind.SCHEDULE,
        Kind.ROSTER,
        Kind.SYNC_STATUS,
        Kind.LIBRARY_OFFER,
        Kind.LIBRARY_STATUS,
        Kind.SITE_LIBRARY,
    }
)


def stale_retained_copy(text: str, retain: bool) -> bool:
    """True for a retained copy on a topic of ours that is never retained: Mosquitto's ACL
    cannot refuse the retain flag, so a kiosk could leave a help call (a robot an event, a
    runner a command) that every reader would take again each time it subscribes."""
    if not retain:
        return False
    try:
        return parse_topic(text).kind not in RETAINED_KINDS
    except TopicError:
        return False  # not ours to judge (e.g. the bridge's own state)


@functools.lru_cache(maxsize=4096)
def parse_topic(text: str) -> Topic:
    """The Topic for a topic string; raise TopicError if it is not one of ours. Cached: a
    program sees the same few topics again and again (a refused one is not cached)."""
    parts = text.split("/")
    if tuple(parts[: len(PREFIX)]) != PREFIX or len(parts) < len(PREFIX) + 2:
        raise TopicError(f"topic {text[:200]!r} is not under {'/'.join(PREFIX)}/{{center}}/")
    center, rest = parts[len(PREFIX)], parts[len(PREFIX) + 1 :]
    for kind, template in TEMPLATES.items():
        if len(template) == len(rest) and all(
            t in _FIELDS or t == r for t, r in zip(template, rest, strict=True)
        ):
            ids = {_FIELDS[t]: r for t, r in zip(template, rest, strict=True) if t in _FIELDS}
            return Topic(kind, center, **ids)
    raise TopicError(f"topic {text[:200]!r} is not part of the Sarangbang protocol")


def robot_status(center: str, robot: str) -> str:
    return str(Topic(Kind.ROBOT_STATUS, center, robot=robot))


def robot_cmd(center: str, robot: str) -> str:
    return str(Topic(Kind.ROBOT_CMD, center, robot=robot))


def robot_events(center: str, robot: str) -> str:
    return str(Topic(Kind.ROBOT_EVENTS, center, robot=robot))


def robot_estop(center: str, robot: str) -> str:
    return str(Topic(Kind.ROBOT_ESTOP, center, robot=robot))


def center_estop(center: str) -> str:
    return str(Topic(Kind.CENTER_ESTOP, center))


def class_state(center: str, class_id: str) -> str:
    return str(Topic(Kind.CLASS_STATE, center, class_id=class_id))


def class_control(center: str, class_id: str) -> str:
    return str(Topic(Kind.CLASS_CONTROL, center, class_id=class_id))


def kiosk_class(center: str, kiosk: str) -> str:
    return str(Topic(Kind.KIOSK_CLASS, center, kiosk=kiosk))


def help_calls(center: str) -> str:
    return str(Topic(Kind.HELP, center))


def instructor(center: str) -> str:
    return str(Topic(Kind.INSTRUCTOR, center))


def schedule(center: str) -> str:
    return str(Topic(Kind.SCHEDULE, center))


def roster(center: str) -> str:
    return str(Topic(Kind.ROSTER, center))


def sync_batch(center: str, kiosk: str) -> str:
    return str(Topic(Kind.SYNC_BATCH, center, kiosk=kiosk))


def sync_ack(center: str, kiosk: str) -> str:
    return str(Topic(Kind.SYNC_ACK, center, kiosk=kiosk))


def sync_status(center: str, kiosk: str) -> str:
    return str(Topic(Kind.SYNC_STATUS, center, kiosk=kiosk))


def library_topic(kind: Kind, center: str, kiosk: str | None = None) -> str:
    """A library transfer topic: LIBRARY_* and SITE_LIBRARY need no kiosk, KIOSK_LIBRARY_* one."""
    return str(Topic(kind, center, kiosk=kiosk))


def _wildcard(center: str, kind: Kind) -> str:
    parts = ["+" if p in _FIELDS else p for p in TEMPLATES[kind]]
    center = center if center == "+" else check_id(center, "center")
    return "/".join((*PREFIX, center, *parts))


def every_device(center: str, kind: Kind) -> str:
    """A subscription to `kind` from every kiosk or robot of one center (`+` in its place)."""
    return _wildcard(center, kind)


def every_center(kind: Kind) -> str:
    """A subscription to `kind` at every center (central's side of the bridge)."""
    return _wildcard("+", kind)


def intake_subscription(group: str = SHARED_INTAKE_GROUP) -> str:
    """Every center's sync batches, shared among central's intake workers (`group`)."""
    return f"$share/{group}/{every_center(Kind.SYNC_BATCH)}"


def robot_subscriptions(center: str, robot: str) -> list[str]:
    """What a robot subscribes to: its commands, its own and the center's emergency stop."""
    return [robot_cmd(center, robot), robot_estop(center, robot), center_estop(center)]


def runner_subscriptions(center: str) -> list[str]:
    """What the class runner subscribes to."""
    kinds = (
        Kind.ROBOT_STATUS,
        Kind.ROBOT_EVENTS,
        Kind.ROBOT_ESTOP,  # a stop from anywhere (a vendor's remote, an operator) pauses the class
        Kind.CLASS_CONTROL,
        Kind.KIOSK_CLASS,
    )
    wildcards = [_wildcard(center, k) for k in kinds]
    return [*wildcards, center_estop(center), help_calls(center), schedule(center)]


def class_state_subscription(center: str) -> str:
    """Every class's state: a kiosk's welcome screen lists the running classes from it."""
    return _wildcard(center, Kind.CLASS_STATE)


def bridge_state(center: str) -> str:
    """The site broker's own notice of its bridge to central: retained `1` (up) or `0`
    (down), published by Mosquitto on the site only (deploy/mosquitto/site-bridge.conf.in)."""
    return "/".join((*PREFIX, check_id(center, "center"), "bridge", "state"))
