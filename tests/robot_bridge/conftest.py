"""Fixtures for the robot protocol and class tests: a private Mosquitto with persistence off
(a restart loses retained messages, as a power cut would), and robots that act instantly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from robot_bridge.robots import robot_sim
from tests.mosquitto import Broker, free_port


@pytest.fixture
def site_broker(tmp_path: Path) -> Iterator[Broker]:
    port = free_port()
    # set_tcp_nodelay as docs/protocol.md recommends for a site broker: small messages at once
    config = (
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        "set_tcp_nodelay true\n"
    )
    broker = Broker(tmp_path / "site-broker", config=config, port=port).start()
    yield broker
    broker.stop()


@pytest.fixture(autouse=True)
def instant_robots(monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated robots act in no time unless a test sets a speed itself."""
    monkeypatch.setattr(robot_sim, "SPEED", 0.0)
