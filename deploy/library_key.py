"""Central's public key for published lesson libraries, as the installers handle it
(deploy/README.md, "Lessons published from central"): `sarangbang-central publish-key`
prints it as `ed25519:` + base64 of the 32-byte Ed25519 public key; install-central
add-center puts it into a center's credentials file (`library_key`), install-center into
/etc/sarangbang/library-keys (the keeper's --trusted-keys) and each kiosk's TOML
(`[library] trusted_keys`). Checked here by its form only, with the standard library: the
keeper and the kiosks check it as a key (lessons/bundle.py read_public_key).
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

PREFIX = "ed25519:"
KEY_BYTES = 32
# where central's operator saves the key for add-center (at central), and where a center's
# box keeps it for its keeper
PUBLIC_KEY_FILE = "/etc/sarangbang/library-key.pub"
KEYS_FILE = "/etc/sarangbang/library-keys"
# at central, as the service user (the signing key it makes once beside the database is its)
HOW_TO_MAKE = (
    "runuser -u sarangbang -- /opt/sarangbang/venv/bin/sarangbang-central "
    f"--db /var/lib/sarangbang/central.db publish-key > {PUBLIC_KEY_FILE}"
)


def problem(text: str) -> str | None:
    """Why `text` is not a public key as publish-key prints it, or None."""
    if not text.startswith(PREFIX):
        return f"does not start with {PREFIX!r}"
    encoded = text[len(PREFIX) :]
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return f"is not base64 after {PREFIX!r}"
    if len(raw) != KEY_BYTES:
        return f"is {len(raw)} bytes after {PREFIX!r}, an Ed25519 public key is {KEY_BYTES}"
    if base64.b64encode(raw).decode() != encoded:
        return "is not base64 as publish-key prints it (padding, or characters after it)"
    return None


def read_key_file(path: Path, shown: str) -> tuple[str | None, str | None]:
    """`(key, None)` from a file holding one key (`#` comments and blank lines aside), as
    `publish-key > FILE` leaves it; `(None, why)` naming it `shown` if it does not."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return None, f"{shown} cannot be read: {exc.strerror}"
    except UnicodeDecodeError:
        return None, f"{shown} is not text: save the output of publish-key in it"
    keys = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    keys = [key for key in keys if key]
    if len(keys) != 1:
        return None, f"{shown} holds {len(keys)} keys, not one (the output of publish-key)"
    if why := problem(keys[0]):
        return None, f"the key in {shown} {why}"
    return keys[0], None


def keys_file(key: str, center: str) -> str:
    """The content of KEYS_FILE on a center's box (lessons.bundle.read_trusted reads it)."""
    return (
        f"# Central's public key: center {center}'s keeper (sarangbang-library-keeper) takes\n"
        "# only lesson libraries it signed. Written by deploy/install-center from the\n"
        "# credentials file's library_key, again on each run: change that file, not this one.\n"
        f"{key}\n"
    )
