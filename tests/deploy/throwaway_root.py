"""A throw-away root for the installers' tests (test_install_center.py, test_install_central.py).

The root looks to an installer the way a fresh Debian with Mosquitto installed does: this
machine's /etc/passwd, group, shadow, gshadow and login.defs, an empty
/etc/mosquitto/conf.d and a `mosquitto` group. Owners are checked as the root's own passwd
and group map them, not this machine's.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

# Debian's own python3 (make setup installs it): the installers run before any venv, and
# as another user (the venv may sit where that user cannot read)
PYTHON = "/usr/bin/python3"
USER_DB = ("passwd", "group", "shadow", "gshadow", "login.defs")

# What the root holds before the installer runs.
GIVEN = {
    "etc": (0o755, "root", "root"),
    "etc/mosquitto": (0o755, "root", "root"),
    "etc/mosquitto/conf.d": (0o755, "root", "root"),
} | {f"etc/{name}": None for name in USER_DB}  # copies of this machine's: left to useradd
# What useradd/groupadd leave beside the user database: its backups and its lock file.
SHADOW_UTILS = {f"etc/{name}-" for name in ("passwd", "group", "shadow", "gshadow")} | {
    "etc/.pwd.lock"
}
SECRET = (0o640, "root", "sarangbang")
BROKER = (0o640, "root", "mosquitto")
PUBLIC = (0o644, "root", "root")

Snapshot = dict[str, tuple[int, int, int, str]]
Layout = dict[str, tuple[int, str, str]]


def table(path: Path) -> dict[str, list[str]]:
    """A passwd-style file as {name: fields}."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {fields[0]: fields for fields in (line.split(":") for line in lines if line)}


def make_root(tmp_path: Path, mosquitto_group: bool = True, name: str = "root") -> Path:
    root = tmp_path / name
    (root / "etc/mosquitto/conf.d").mkdir(parents=True)
    for db in USER_DB:
        copy = root / "etc" / db
        shutil.copy2(Path("/etc") / db, copy)
        host = (Path("/etc") / db).stat()
        os.chown(copy, host.st_uid, host.st_gid)
    group = root / "etc/group"
    lines = [line for line in group.read_text().splitlines() if not line.startswith("mosquitto:")]
    if mosquitto_group:  # as the mosquitto package makes it
        used = {int(fields[2]) for fields in (line.split(":") for line in lines)}
        gid = max(set(range(100, 1000)) - used)
        lines.append(f"mosquitto:x:{gid}:")
    group.write_text("\n".join(lines) + "\n")
    return root


def snapshot(root: Path) -> Snapshot:
    """Every path under the root: mode, owner, group and the sha256 of a file's content."""
    found: Snapshot = {}
    for path in [root, *root.rglob("*")]:
        st = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        found[str(path.relative_to(root))] = (st.st_mode, st.st_uid, st.st_gid, digest)
    return found


def owner_ids(root: Path, user: str, group: str) -> tuple[int, int]:
    """A user and group as the root's own /etc/passwd and /etc/group number them."""
    return int(table(root / "etc/passwd")[user][2]), int(table(root / "etc/group")[group][2])


def check_files(root: Path, made: Layout, extra: set[str]) -> None:
    """The root holds exactly what it was given, `made` (with those modes and owners) and
    `extra`."""
    found = {str(p.relative_to(root)) for p in root.rglob("*")}
    assert found == set(GIVEN) | set(made) | extra
    for name, (mode, user, group) in made.items():
        st = (root / name).stat()
        assert (oct(st.st_mode & 0o7777), st.st_uid, st.st_gid) == (
            oct(mode),
            *owner_ids(root, user, group),
        ), f"{name}: want {oct(mode)} {user}:{group}"
    for db in ("passwd", "group"):  # the user database keeps its own modes
        assert (root / "etc" / db).stat().st_mode & 0o7777 == 0o644


def check_service_user(root: Path) -> None:
    host_users, host_groups = table(Path("/etc/passwd")), table(Path("/etc/group"))
    users, groups = table(root / "etc/passwd"), table(root / "etc/group")
    assert set(users) - set(host_users) == {"sarangbang"}
    assert set(groups) - set(host_groups) - {"mosquitto"} == {"sarangbang"}
    _, _, uid, gid, _, home, shell = users["sarangbang"]
    assert int(uid) < 1000, "a system user"
    assert gid == groups["sarangbang"][2]
    assert (home, shell) == ("/var/lib/sarangbang", "/usr/sbin/nologin")
    assert table(root / "etc/shadow")["sarangbang"][1].startswith("!"), "no password login"
    assert "sarangbang" in table(root / "etc/gshadow")


def refused(root: Path, result: subprocess.CompletedProcess[str], before: Snapshot) -> str:
    """What a refusal said: exit 2, nothing written, nothing on stdout."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert snapshot(root) == before, "a refusal writes nothing"
    assert "Nothing was changed." in result.stderr
    assert result.stdout == ""
    return result.stderr
