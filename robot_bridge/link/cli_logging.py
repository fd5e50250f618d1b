"""Logging for the robot-side command-line programs (bridge, simulated robot)."""

from __future__ import annotations

import logging


def log_to_stderr(verbose: bool) -> None:
    """Warnings and errors only; with -v, what the program does (protocol details)."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
