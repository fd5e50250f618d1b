"""Answer requests for bytes of a published library's files from a store (central's, or a
center keeper's for its kiosks). Pure apart from reading the store's files."""

from __future__ import annotations

from lessons.library_store import LibraryStore
from robot_bridge.protocol.library_messages import (
    BlobHeader,
    BlobRequest,
    LibraryOffer,
    blob_message,
)


def answer(store: LibraryStore, request: BlobRequest) -> bytes:
    """The blob message for a request: its bytes, or `missing` when the store has no such
    file (or not yet: a center's keeper still fetching it)."""
    size = store.blob_size(request.blob)
    if size is None:
        return blob_message(BlobHeader(blob=request.blob, offset=request.offset, missing=True))
    data = store.read_blob(request.blob, request.offset, request.length) or b""
    return blob_message(BlobHeader(blob=request.blob, offset=request.offset, size=size), data)


def current_offer(store: LibraryStore) -> LibraryOffer | None:
    """The offer for the version `store` teaches, or None when it has none."""
    version = store.current()
    if version is None:
        return None
    document = store.document(version)
    sha = store.put_blob(document)  # the manifest is served as a file like the others
    return LibraryOffer(version=version, manifest=sha, size=len(document))
