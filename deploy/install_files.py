"""How the installers write (deploy/install_center.py, deploy/install_central.py): a file only
when its content, mode or owner differs (`Installer`), the service user (useradd --root, or
by hand), and the broker's logins (mosquitto_passwd, only where a stored hash does not
match). Standard library only."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from deploy.install_plan import (
    BROKER_CONFIG,
    BROKER_GROUP,
    GROUP,
    STATE,
    USER,
    read_table,
)

# ---- writing: only what differs ---------------------------------------------------------------


STATUS_RANK = ("kept", "fixed mode/owner", "updated", "created")


@dataclass
class Installer:
    """Writes under `root`, each file or folder with its mode and owner (names looked up in
    the root's own /etc/passwd and /etc/group), and notes what it did to each."""

    root: Path
    set_owners: bool = True  # only root can give files away
    done: dict[str, str] = field(default_factory=dict)  # path → what happened to it

    def at(self, path: str) -> Path:
        return self.root / path.lstrip("/")

    def ids(self, user: str, group: str) -> tuple[int, int]:
        users, groups = read_table(self.at("/etc/passwd")), read_table(self.at("/etc/group"))
        return int(users[user][2]), int(groups[group][2])

    def directory(self, path: str, mode: int, user: str = "root", group: str = "root") -> None:
        """A folder of ours: made if missing, its mode and owner set."""
        target = self.at(path)
        made = self.parents(target, include_self=True)
        if not target.is_dir():
            raise OSError(f"{target} exists and is not a folder")
        fixed = self.fix(target, mode, user, group)
        self.note("created" if made else "fixed mode/owner" if fixed else "kept", path)

    def parents(self, target: Path, include_self: bool = False) -> bool:
        """Make the missing folders on the way to `target` (0755 root:root, as a package
        makes them); True if `target` itself had to be made."""
        chain = [target, *target.parents] if include_self else list(target.parents)
        missing = [p for p in chain if p != self.root and not p.exists()]
        for folder in reversed(missing):
            folder.mkdir()
            os.chmod(folder, 0o755)
            self.chown(folder, "root", "root")
            self.note("created", "/" + str(folder.relative_to(self.root)))
        return target in missing

    def file(
        self,
        path: str,
        content: str,
        mode: int,
        user: str = "root",
        group: str = "root",
        once: bool = False,
    ) -> None:
        """Write `content` unless the file has it already (`once`: unless the file exists and
        is not empty: a secret or a file the operator may edit is never replaced)."""
        target = self.at(path)
        self.parents(target)
        exists = target.is_file()
        if exists and ((once and target.stat().st_size > 0) or target.read_text() == content):
            fixed = self.fix(target, mode, user, group)
            self.note("fixed mode/owner" if fixed else "kept", path)
            return
        self.write(target, content, mode, user, group)
        self.note("updated" if exists else "created", path)

    def write(self, target: Path, content: str, mode: int, user: str, group: str) -> None:
        """Atomically: a temporary file beside it, its mode and owner set, then renamed."""
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, mode)
            self.chown(Path(temporary), user, group)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def fix(self, target: Path, mode: int, user: str, group: str) -> bool:
        """Set mode and owner; True if either was different."""
        st = target.stat()
        changed = st.st_mode & 0o7777 != mode
        if changed:
            os.chmod(target, mode)
        if self.set_owners and (st.st_uid, st.st_gid) != self.ids(user, group):
            self.chown(target, user, group)
            changed = True
        return changed

    def chown(self, target: Path, user: str, group: str) -> None:
        if self.set_owners:
            os.chown(target, *self.ids(user, group))

    def note(self, status: str, path: str) -> None:
        """Remember the strongest thing that happened to `path` (created > updated > …)."""
        old = self.done.get(path)
        if old is None or STATUS_RANK.index(status) > STATUS_RANK.index(old):
            self.done[path] = status


# ---- the service user ------------------------------------------------------------------------


def ensure_service_user(root: Path) -> str | None:
    """The system user and group `sarangbang` in the root's user database: what was made,
    or None if both were there."""
    users, groups = read_table(root / "etc/passwd"), read_table(root / "etc/group")
    if USER in users and GROUP in groups:
        return None
    # useradd/groupadd --root chroot() into the root: they need root and Debian's `passwd`
    # package; without them (or as another user, for a tree of one's own) the files are
    # edited directly, the way they would: a free system id from the top of login.defs' range.
    tools = bool(shutil.which("useradd") and shutil.which("groupadd")) and os.geteuid() == 0
    made = []
    if GROUP not in groups:
        if tools:
            _run_tool("groupadd", root, "--system", GROUP)
        else:
            add_group_by_hand(root, GROUP)
        made.append(f"group {GROUP} (gid {read_table(root / 'etc/group')[GROUP][2]})")
    if USER not in users:
        home, shell, comment = STATE, "/usr/sbin/nologin", "Sarangbang services"
        if tools:
            _run_tool(
                "useradd", root, "--system", "--gid", GROUP, "--home-dir", home,
                "--no-create-home", "--shell", shell, "--comment", comment, USER,
            )  # fmt: skip
        else:
            add_user_by_hand(root, USER, GROUP, comment, home, shell)
        made.append(f"user {USER} (uid {read_table(root / 'etc/passwd')[USER][2]})")
    how = "useradd/groupadd" if tools else "edited /etc/passwd, group, shadow, gshadow"
    return f"created {' and '.join(made)} ({how})"


def _run_tool(tool: str, root: Path, *args: str) -> None:
    where = [] if root == Path("/") else ["--root", str(root)]
    result = subprocess.run([tool, *where, *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise OSError(f"{tool} {' '.join(args)} failed: {result.stderr.strip()}")


def _login_defs(root: Path) -> dict[str, int]:
    values: dict[str, int] = {}
    try:
        for line in (root / "etc/login.defs").read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) == 2 and words[1].isdigit():
                values[words[0]] = int(words[1])
    except FileNotFoundError:
        pass
    return values


def _free_system_id(root: Path, kind: str, used: set[int]) -> int:
    """The highest free id in the system range, as useradd/groupadd pick it."""
    defs = _login_defs(root)
    low = defs.get(f"SYS_{kind}_MIN", 101)
    high = defs.get(f"SYS_{kind}_MAX", defs.get(f"{kind}_MIN", 1000) - 1)
    for candidate in range(high, low - 1, -1):
        if candidate not in used:
            return candidate
    raise OSError(f"no free system {kind.lower()} between {low} and {high}")


def _append_line(path: Path, line: str) -> None:
    """Add a line to a user database file, keeping its mode and owner (atomic rename)."""
    if not path.exists():
        return  # e.g. no /etc/gshadow: nothing to add to
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    text = text + ("" if text.endswith("\n") or not text else "\n") + line + "\n"
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(temporary, st.st_mode & 0o7777)
    if os.geteuid() == 0:
        os.chown(temporary, st.st_uid, st.st_gid)
    os.replace(temporary, path)


def add_group_by_hand(root: Path, name: str) -> None:
    used = {int(fields[2]) for fields in read_table(root / "etc/group").values()}
    gid = _free_system_id(root, "GID", used)
    _append_line(root / "etc/group", f"{name}:x:{gid}:")
    _append_line(root / "etc/gshadow", f"{name}:!::")


def add_user_by_hand(
    root: Path, name: str, group: str, comment: str, home: str, shell: str
) -> None:
    used = {int(fields[2]) for fields in read_table(root / "etc/passwd").values()}
    uid = _free_system_id(root, "UID", used)
    gid = read_table(root / "etc/group")[group][2]
    _append_line(root / "etc/passwd", f"{name}:x:{uid}:{gid}:{comment}:{home}:{shell}")
    days = int(time.time() // 86400)
    _append_line(root / "etc/shadow", f"{name}:!:{days}::::::")


# ---- the broker's logins -----------------------------------------------------------------------


def password_matches(hashed: str | None, password: str) -> bool:
    """Whether a Mosquitto password file entry (`$7$` PBKDF2-SHA512 of Mosquitto 2, `$6$`
    SHA-512 of 1.x) is of `password`: a login is written again only if it is not."""
    if not hashed:
        return False
    parts = hashed.split("$")
    try:
        if len(parts) == 5 and parts[1] == "7":
            salt, want = base64.b64decode(parts[3]), base64.b64decode(parts[4])
            got = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, int(parts[2]), len(want))
        elif len(parts) == 4 and parts[1] == "6":
            salt, want = base64.b64decode(parts[2]), base64.b64decode(parts[3])
            got = hashlib.sha512(password.encode() + salt).digest()
        else:
            return False
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(got, want)


def ensure_logins(installer: Installer, logins: list[tuple[str, Path]]) -> None:
    """Each `(user, secret file)` in the broker's password file with that secret's password,
    through mosquitto_passwd (the password on its stdin, never on a command line)."""
    path_name = f"{BROKER_CONFIG}/passwords"
    path = installer.at(path_name)
    entries: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            user, sep, hashed = line.partition(":")
            if sep:
                entries[user] = hashed
    passwords = [(user, secret.read_text(encoding="utf-8").strip()) for user, secret in logins]
    stale = [(user, pw) for user, pw in passwords if not password_matches(entries.get(user), pw)]
    existed = path.is_file()
    for user, password in stale:
        create = [] if path.is_file() and path.stat().st_size else ["-c"]
        result = subprocess.run(
            ["mosquitto_passwd", *create, str(path), user],
            input=f"{password}\n{password}\n",
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise OSError(f"mosquitto_passwd {user} failed: {result.stderr.strip()}")
    fixed = installer.fix(path, 0o640, "root", BROKER_GROUP)
    status = (
        ("updated" if existed else "created") if stale else "fixed mode/owner" if fixed else "kept"
    )
    installer.note(status, path_name)
