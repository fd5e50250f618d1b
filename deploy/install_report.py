"""What an installer (install-center, install-central) says and starts: its refusal, the list
of what it changed, and the systemctl lines it runs on this machine or prints for another
root. Standard library only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from deploy.install_files import Installer
from deploy.install_plan import USER, Refused


def print_refusal(prog: str, what: str, refused: Refused) -> int:
    """Every problem on stderr, one a line; the exit status of a refusal (2)."""
    print(f"{prog}: cannot {what}:", file=sys.stderr)
    for problem in refused.problems:
        print(f"  - {problem}", file=sys.stderr)
    print("Nothing was changed.", file=sys.stderr)
    return 2


def changed(installer: Installer) -> list[str]:
    """The paths the installer created, updated or mended, in order."""
    return [path for path, status in installer.done.items() if status != "kept"]


def changes(
    installer: Installer,
    headline: str,
    user_done: str | None = None,
    *,
    service_user: bool = True,
) -> list[str]:
    """The headline, then what was made and changed, or that everything was in place;
    `user_done` says what was made of the service user (if it was looked after at all)."""
    kept = [path for path, status in installer.done.items() if status == "kept"]
    lines = [headline]
    user = f", user and group {USER}" if service_user else ""
    if not changed(installer) and user_done is None:
        lines.append(
            f"Everything was already in place ({len(kept)} files and folders{user}): "
            "nothing changed."
        )
        return lines
    if service_user:
        lines.append(user_done or f"user and group {USER}: already there")
    lines += [
        f"  {status:17} {path}" for path, status in installer.done.items() if status != "kept"
    ]
    if kept:
        lines.append(f"left as they were ({len(kept)}): " + ", ".join(kept))
    return lines


def systemctl(root: Path, commands: list[list[str]]) -> list[str]:
    """Run `commands` on this machine (--root /, systemd running); otherwise say what to run
    there. OSError if one fails."""
    if root != Path("/"):
        lines = [f"Nothing started or enabled (--root {root}). On that box, run:"]
        return lines + [f"  {' '.join(command)}" for command in commands]
    if not Path("/run/systemd/system").is_dir():
        lines = ["systemd is not running here: nothing started. When it is, run:"]
        return lines + [f"  {' '.join(command)}" for command in commands]
    lines = []
    for command in commands:
        lines.append(f"ran: {' '.join(command)}")
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise OSError(f"{' '.join(command)} failed: {result.stderr.strip()}")
    return lines
