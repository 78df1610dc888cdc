"""The files of a backup folder: document stores copied with their checksums, the manifest
written last and read first, and every checksum verified before a restore writes anything."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
_CHUNK = 1024 * 1024


class BackupRefused(RuntimeError):
    """The backup or restore was not started, or stopped: the message says why."""


def checksum(path: Path) -> str:
    """The SHA-256 of a file, read in chunks (a dump may be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def is_empty_folder(folder: Path) -> bool:
    """True for a folder that does not exist or holds nothing."""
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


def copy_store(source: Path, target: Path) -> dict[str, str]:
    """Copy a document store's files (its layout kept), each to disk before the next; their
    SHA-256 by path. A ``.part`` file is an upload still being written, which no row names."""
    copied: dict[str, str] = {}
    if not source.exists():
        return copied
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.suffix == ".part":
            continue
        relative = path.relative_to(source).as_posix()
        data = path.read_bytes()
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        with open(destination, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        copied[relative] = hashlib.sha256(data).hexdigest()
    return copied


def write_manifest(folder: Path, manifest: Mapping[str, Any]) -> None:
    """Write the manifest atomically: it exists whole or not at all."""
    partial = folder / f"{MANIFEST}.part"
    partial.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    os.replace(partial, folder / MANIFEST)


def read_manifest(folder: Path, expected_format: int) -> dict[str, Any]:
    """The manifest of a finished backup of a format this code reads."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupRefused(f"{folder} has no {MANIFEST}: it is not a finished backup")
    manifest: dict[str, Any] = json.loads(path.read_text())
    if manifest.get("format") != expected_format:
        raise BackupRefused(
            f"{path} is of format {manifest.get('format')!r}; this code reads {expected_format}"
        )
    return manifest


def verify(folder: Path, manifest: Mapping[str, Any]) -> None:
    """Every file the manifest names is there with its checksum."""
    expected = {service["file"]: service["sha256"] for service in manifest["services"].values()}
    for name, files in manifest["documents"].items():
        expected |= {f"documents/{name}/{path}": sha for path, sha in files.items()}
    for relative, sha in expected.items():
        path = folder / relative
        if not path.is_file():
            raise BackupRefused(f"{path} is missing from the backup")
        if checksum(path) != sha:
            raise BackupRefused(f"{path} does not match its checksum: the backup is damaged")
