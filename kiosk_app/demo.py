"""A demo data folder: a config for this machine's screen and a roster to try the kiosk."""

from __future__ import annotations

from pathlib import Path

from kiosk_app.config import KioskConfig, load_config
from kiosk_app.storage.store import Store

DEMO_ROSTER = ("김영희", "이순자", "박말순", "최복례", "정옥자", "강춘자", "조금순", "윤정희")
DEMO_CONFIG = """\
# Demo kiosk: written by `sarangbang-kiosk --demo`; edit freely (docs/kiosk.md lists every key).
center_id = "demo-center"
kiosk_id = "demo-kiosk"
instructor_pin = "2580"
data_dir = "data"

[screen]
diagonal_inches = 24.0
width_px = 1920
height_px = 1080
fullscreen = false
"""


def prepare_demo(folder: Path) -> KioskConfig:
    """Write the demo config (if missing) and fill an empty roster with demo learners."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kiosk.toml"
    if not path.exists():
        path.write_text(DEMO_CONFIG, encoding="utf-8")
    config = load_config(path)
    store = Store.open(config.store_path, config.kiosk_id)
    try:
        if not store.learners(include_hidden=True):
            for name in DEMO_ROSTER:
                store.add_learner(name)
    finally:
        store.close()
    return config
