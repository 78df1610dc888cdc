"""Where uploaded documents live: a folder outside any web root, written atomically.

Infrastructure shared by every service that takes documents (applicants' documents, exam
accommodation evidence): documents are checked by their content, never their name."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import unicodedata
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filetype
from starlette.datastructures import UploadFile
from starlette.responses import Response

from certboard_core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType


class DocumentTooLarge(PayloadTooLarge):
    code = "DOCUMENT_TOO_LARGE"


class DocumentTypeNotAccepted(UnsupportedMediaType):
    code = "DOCUMENT_TYPE_NOT_ACCEPTED"


class EmptyDocument(InvalidInput):
    code = "DOCUMENT_EMPTY"


# What a route taking a document can answer about it, for ``error_responses``.
DOCUMENT_ERRORS = (DocumentTooLarge, DocumentTypeNotAccepted, EmptyDocument)

ACCEPTED_TYPES = {"image/jpeg": "jpg", "application/pdf": "pdf"}
_CHUNK = 64 * 1024
# A display name's length, in characters; an extension up to this long is kept when cut.
MAX_NAME_CHARS = 120
_MAX_EXTENSION_CHARS = 16
# Control, format (bidirectional overrides, zero-width), surrogate, private-use and
# unassigned code points, and the line and paragraph separators: nothing a name shows.
_UNSHOWN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class CheckedDocument:
    data: bytes
    content_type: str
    sha256: str


def check_document(data: bytes, *, field: str, max_bytes: int) -> CheckedDocument:
    """Accept a JPEG or PDF by its bytes (never its name or declared type) within the size limit."""
    if not data:
        raise EmptyDocument("the document is empty", field=field)
    if len(data) > max_bytes:
        raise DocumentTooLarge(
            f"the document is larger than the {max_bytes // (1024 * 1024)} MB limit", field=field
        )
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in ACCEPTED_TYPES:
        found = kind.mime if kind else "an unrecognised format"
        raise DocumentTypeNotAccepted(
            f"the document must be a JPEG image or a PDF; its content is {found}", field=field
        )
    return CheckedDocument(
        data=data, content_type=kind.mime, sha256=hashlib.sha256(data).hexdigest()
    )


def display_name(filename: str | None) -> str | None:
    """The client's file name reduced to a base name safe to show: no directories (either
    separator, nor a drive), no control or invisible characters, no leading dots or spaces,
    at most ``MAX_NAME_CHARS`` characters; None when nothing is left. Only ever displayed:
    files are stored and served under names of our own."""
    if filename is None:
        return None
    base = _DRIVE.sub("", re.split(r"[/\\]", filename)[-1])
    shown = "".join(
        c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c) not in _UNSHOWN
    )
    name = shown.lstrip(". ").rstrip()
    if len(name) > MAX_NAME_CHARS:
        stem, extension = os.path.splitext(name)
        if len(extension) > _MAX_EXTENSION_CHARS:
            stem, extension = name, ""
        name = stem[: MAX_NAME_CHARS - len(extension)].rstrip() + extension
    return name or None


async def read_limited(upload: UploadFile, *, max_bytes: int) -> bytes:
    """Read an upload, stopping one chunk past ``max_bytes``: big files are never held whole."""
    parts: list[bytes] = []
    total = 0
    while total <= max_bytes and (chunk := await upload.read(_CHUNK)):
        total += len(chunk)
        parts.append(chunk)
    return b"".join(parts)


class DocumentStore:
    """Files named by opaque keys; the database holds what they are and whose."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if len(key) != 32 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("not a document key")
        return self.root / key[:2] / key

    def _write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    async def save(self, data: bytes) -> str:
        """Store ``data`` durably under a new key, and return the key."""
        key = uuid.uuid4().hex
        await asyncio.to_thread(self._write, key, data)
        return key

    async def read(self, key: str) -> bytes:
        """The bytes stored under ``key``."""
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def discard(self, key: str) -> None:
        """Remove a file whose database row never committed."""
        await asyncio.to_thread(self._path(key).unlink, True)


@asynccontextmanager
async def files_removed_on_failure(store: DocumentStore) -> AsyncIterator[list[str]]:
    """Collects the keys of files written; if the block fails they are deleted again (the
    rows that named them roll back with the request)."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for key in saved:
            await store.discard(key)
        raise


# The documents every service keeps, as a read of one declares its answer in OpenAPI.
DOCUMENT_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/jpeg": {}, "application/pdf": {}}}
}


def document_response(content: bytes, content_type: str | None, name: str) -> Response:
    """A stored document as a download named ``name`` (ours: an uploader's file name is only
    ever displayed), never sniffed by the browser nor kept in a cache."""
    return Response(
        content,
        media_type=content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
