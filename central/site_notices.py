"""What each center's programs tell the instructor (the class runner's and the library
keeper's notices on `…/instructor`: a robot stopped or gone quiet, a class finished, a
lesson library refused), brought to central over the bridge and kept for the center's
page. Help calls have their own list (central/help_calls.py), so their notice is not kept
twice. The words come ready-made from the site in both languages; they are text from a
device, shown escaped and cut to a length."""

from __future__ import annotations

import hashlib

from central.database import Database, write_transaction
from robot_bridge.protocol.class_messages import Notice, NoticeKey

KEEP_PER_CENTER = 500  # older notices of a center are let go (a year of classes is fewer)
MAX_TEXT = 400
SHOWN = 10  # on the center's page, newest first


def record_notice(
    db: Database, center: str, notice: Notice, payload: bytes, received_at: float
) -> bool:
    """Keep a notice once (a QoS 1 copy delivered twice is the same bytes); False for one
    not kept (a help call, or a copy)."""
    if notice.key is NoticeKey.HELP:
        return False
    digest = hashlib.sha256(payload).hexdigest()
    with write_transaction(db) as conn:
        added = conn.execute(
            "INSERT OR IGNORE INTO site_notices (center, digest, key, text_ko, text_en, "
            "class_id, kiosk, robot, at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                center, digest, str(notice.key), notice.text.get("ko", "")[:MAX_TEXT],
                notice.text.get("en", "")[:MAX_TEXT], notice.class_id, notice.kiosk,
                notice.robot, notice.at, received_at,
            ),
        ).rowcount  # fmt: skip
        conn.execute(
            "DELETE FROM site_notices WHERE center = ? AND id <= (SELECT id FROM site_notices "
            "WHERE center = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
            (center, center, KEEP_PER_CENTER),
        )
    return bool(added)


def recent_notices(
    db: Database, center: str, lang: str, limit: int = SHOWN
) -> list[tuple[float, str, str]]:
    """(when, key, words in `lang`) of a center's latest notices, newest first."""
    column = "text_en" if lang == "en" else "text_ko"
    rows = db.execute(
        f"SELECT at, key, {column} FROM site_notices WHERE center = ? ORDER BY id DESC LIMIT ?",
        (center, limit),
    ).fetchall()
    return [(float(at), str(key), str(text)) for at, key, text in rows]
