"""A published lesson library: its manifest (every file's path, size and SHA-256), signed with
Ed25519 by central, and checked against a folder before any kiosk teaches from it.

The signed manifest is one JSON document (`manifest.json` in a version's folder, and the
first thing a center or kiosk fetches):

    {"v": 1, "key": "3f0c…", "signature": "base64…",
     "manifest": {"version": 7, "created": 1764921600, "note": "…",
                  "files": [{"path": "lessons/phone-call.yaml", "sha256": "…", "size": 4210}, …]}}

The signature covers the manifest's canonical JSON (sorted keys, no spaces, UTF-8), so a
version's number, its note and every file's bytes are all signed. Keys are written
`ed25519:` + the base64 of the 32-byte public key; `key` in the document is a key's id (the
first 16 hex digits of the SHA-256 of its 32 bytes). Pure except for reading files.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = 1
MANIFEST_NAME = "manifest.json"
KEY_PREFIX = "ed25519:"
# A path inside a library: lowercase-ish names in at most three folders, never `..` or
# absolute, so a manifest can never write outside its version's folder on a kiosk.
_PATH = re.compile(r"^(?:[A-Za-z0-9_][A-Za-z0-9._-]{0,99}/){0,3}[A-Za-z0-9_][A-Za-z0-9._-]{0,99}\Z")
_SHA256 = re.compile(r"^[0-9a-f]{64}\Z")
# Bounds a signed manifest is held to before anything is fetched: today's library is 187
# files and 2.1 MB; these leave room for years of lessons and pictures, not for a disk's worth.
MAX_FILES = 5_000
MAX_FILE_BYTES = 20_000_000
MAX_TOTAL_BYTES = 500_000_000
MAX_MANIFEST_BYTES = 1_000_000
MAX_NOTE_CHARS = 500
MAX_VERSION = 10**9


class BundleError(Exception):
    """A signed manifest or a version's folder is not what central published. `kind` is one
    of: malformed, unsigned, unknown-key, bad-signature, missing, changed, extra."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, order=True)
class FileEntry:
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    version: int
    created: int  # seconds since the epoch
    note: str
    files: tuple[FileEntry, ...]

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "created": self.created,
            "note": self.note,
            "files": [{"path": f.path, "sha256": f.sha256, "size": f.size} for f in self.files],
        }

    def canonical(self) -> bytes:
        """The bytes the signature covers."""
        return canonical_json(self.to_json())


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---- keys ---------------------------------------------------------------------------------


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_text(key: Ed25519PrivateKey) -> str:
    """The private key as one line to keep in a 0600 file: `ed25519-private:` + base64."""
    from cryptography.hazmat.primitives import serialization as s

    raw = key.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw, s.NoEncryption())
    return "ed25519-private:" + base64.b64encode(raw).decode()


def read_private_key(text: str, where: str = "the key") -> Ed25519PrivateKey:
    prefix = "ed25519-private:"
    raw = _base64_key(text.strip(), prefix, where)
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_text(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """`ed25519:` + base64 of the 32-byte public key: what a kiosk's config trusts."""
    from cryptography.hazmat.primitives import serialization as s

    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)
    return KEY_PREFIX + base64.b64encode(raw).decode()


def read_public_key(text: str, where: str = "a trusted key") -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_base64_key(text.strip(), KEY_PREFIX, where))


def key_id(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    raw = base64.b64decode(public_key_text(key)[len(KEY_PREFIX) :])
    return hashlib.sha256(raw).hexdigest()[:16]


def trusted_keys(texts: Iterable[str]) -> dict[str, Ed25519PublicKey]:
    """Keys by id from their `ed25519:…` texts (a ValueError names a bad one)."""
    keys = [read_public_key(text) for text in texts]
    return {key_id(key): key for key in keys}


TRUST_HELP = "file of the keys to trust, one `ed25519:…` a line (central's publish-key)"


def read_trusted(path: Path) -> dict[str, Ed25519PublicKey]:
    """Trusted keys from a file, one `ed25519:…` a line (`#` starts a comment); ValueError
    naming the file and line of a bad one, or if there is none."""
    return trusted_keys(read_trusted_texts(path))


def read_trusted_texts(path: Path) -> list[str]:
    """The `ed25519:…` lines of a trusted-keys file, each checked (as `read_trusted`)."""
    texts = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if text:
            read_public_key(text, f"{path}:{number}")
            texts.append(text)
    if not texts:
        raise ValueError(f"{path}: no keys in it (one `ed25519:…` a line)")
    return texts


def _base64_key(text: str, prefix: str, where: str) -> bytes:
    if not text.startswith(prefix):
        raise ValueError(f"{where} does not start with {prefix!r}")
    try:
        raw = base64.b64decode(text[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{where} is not base64 after {prefix!r}") from None
    if len(raw) != 32:
        raise ValueError(f"{where} is {len(raw)} bytes, an Ed25519 key is 32")
    return raw


# ---- manifests ----------------------------------------------------------------------------


def scan(root: Path) -> tuple[FileEntry, ...]:
    """Every file of a library folder (hidden files and caches left out), sorted by path.
    A symbolic link or a name a kiosk could not take is a BundleError naming it."""
    entries = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if relative == MANIFEST_NAME or any(
            part.startswith(".") or part == "__pycache__" for part in relative.split("/")
        ):
            continue
        if path.is_symlink():
            raise BundleError("malformed", f"{path}: a symbolic link cannot be published")
        if path.is_dir():
            continue
        if not _PATH.match(relative):
            raise BundleError(
                "malformed", f"{path}: a published file's name is letters, digits, . _ - only"
            )
        entries.append(FileEntry(relative, file_sha256(path), path.stat().st_size))
    if not entries:
        raise BundleError("missing", f"{root}: no files to publish")
    return tuple(entries)


def sign(manifest: Manifest, key: Ed25519PrivateKey) -> bytes:
    """The signed manifest document (JSON bytes)."""
    signature = base64.b64encode(key.sign(manifest.canonical())).decode()
    document: dict[str, Any] = {"v": FORMAT, "key": key_id(key), "signature": signature}
    document["manifest"] = manifest.to_json()
    return canonical_json(document)


def verify(document: bytes, trusted: Mapping[str, Ed25519PublicKey]) -> Manifest:
    """The manifest of a signed document if one of the `trusted` keys signed it; else a
    BundleError saying what is wrong (malformed, unsigned, unknown-key, bad-signature)."""
    if len(document) > MAX_MANIFEST_BYTES:
        raise BundleError("malformed", f"the manifest is {len(document)} bytes, over the limit")
    try:
        data = json.loads(document)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BundleError("malformed", f"the manifest is not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("v") != FORMAT:
        raise BundleError("malformed", f"the manifest is not a format-{FORMAT} document")
    manifest = parse_manifest(data.get("manifest"))
    signature, key = data.get("signature"), data.get("key")
    if not signature or not key:
        raise BundleError("unsigned", f"version {manifest.version} is not signed")
    if not isinstance(key, str) or key not in trusted:
        raise BundleError(
            "unknown-key", f"version {manifest.version} is signed by key {str(key)[:20]!r}, "
            "which this device does not trust",
        )  # fmt: skip
    try:
        raw = base64.b64decode(str(signature), validate=True)
        trusted[key].verify(raw, manifest.canonical())
    except (InvalidSignature, binascii.Error, ValueError):
        raise BundleError(
            "bad-signature", f"version {manifest.version}: the signature does not match"
        ) from None
    return manifest


def unverified(document: bytes) -> Manifest:
    """The manifest in a signed document, without checking the signature: only for listing
    what a device signed or checked itself."""
    try:
        return parse_manifest(json.loads(document).get("manifest"))
    except (ValueError, AttributeError):
        raise BundleError("malformed", "the manifest is not a format-1 document") from None


def parse_manifest(data: Any) -> Manifest:
    """A Manifest from its JSON, held to the bounds above; BundleError("malformed") if not."""
    if not isinstance(data, dict) or set(data) != {"version", "created", "note", "files"}:
        raise BundleError("malformed", "the manifest needs exactly version, created, note, files")
    version, created, note, files = (data[k] for k in ("version", "created", "note", "files"))
    if not _whole(version) or not 1 <= version <= MAX_VERSION:
        raise BundleError("malformed", f"version {version!r} is not a whole number ≥ 1")
    if not _whole(created) or created < 0:
        raise BundleError("malformed", f"created {created!r} is not a time")
    if not isinstance(note, str) or len(note) > MAX_NOTE_CHARS:
        raise BundleError("malformed", f"the note is not text of ≤ {MAX_NOTE_CHARS} characters")
    if not isinstance(files, list) or not 1 <= len(files) <= MAX_FILES:
        raise BundleError("malformed", f"files must list 1 to {MAX_FILES} files")
    entries = tuple(_entry(item) for item in files)
    # Names as a case-insensitive disk sees them: two that differ only in case, or a file
    # that is also another's folder, would land on one path and one through the other.
    names = [e.path.casefold() for e in entries]
    folders = {"/".join(n.split("/")[:i]) for n in names for i in range(1, n.count("/") + 1)}
    if len(set(names)) != len(names) or folders & set(names):
        raise BundleError("malformed", "a file is listed twice, or as a file and a folder")
    if MANIFEST_NAME.casefold() in names:
        raise BundleError("malformed", f"{MANIFEST_NAME} cannot be one of a version's files")
    if sum(e.size for e in entries) > MAX_TOTAL_BYTES:
        raise BundleError("malformed", f"the files add up to over {MAX_TOTAL_BYTES} bytes")
    return Manifest(version, created, note, entries)


def _entry(item: Any) -> FileEntry:
    if not isinstance(item, dict) or set(item) != {"path", "sha256", "size"}:
        raise BundleError("malformed", "a file entry needs exactly path, sha256, size")
    path, sha, size = item["path"], item["sha256"], item["size"]
    if not isinstance(path, str) or not _PATH.match(path):
        raise BundleError("malformed", f"file path {str(path)[:120]!r} is not allowed")
    if not isinstance(sha, str) or not _SHA256.match(sha):
        raise BundleError("malformed", f"{path}: sha256 is not 64 lowercase hex digits")
    if not _whole(size) or not 0 <= size <= MAX_FILE_BYTES:
        raise BundleError("malformed", f"{path}: size {size!r} is out of bounds")
    return FileEntry(path, sha, size)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_folder(root: Path, manifest: Manifest) -> list[str]:
    """What differs between a version's folder and its manifest (missing, changed or extra
    files), one line each; [] when every byte is what was signed. `manifest.json` itself is
    not a library file."""
    problems = []
    listed = {entry.path for entry in manifest.files}
    for entry in manifest.files:
        path = root / entry.path
        if not path.is_file() or path.is_symlink():
            problems.append(f"{entry.path}: missing")
        elif path.stat().st_size != entry.size:
            problems.append(f"{entry.path}: {path.stat().st_size} bytes, {entry.size} signed")
        elif file_sha256(path) != entry.sha256:
            problems.append(f"{entry.path}: changed since it was signed")
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and relative != MANIFEST_NAME and relative not in listed:
            problems.append(f"{relative}: not in the signed manifest")
    return problems
