"""``certboard backup --to DIR`` and ``certboard restore --from DIR`` (``backup.py`` does the
work): the system's layout read from the environment ``certboard run`` gives it.

Only light modules are imported here: ``cli.py`` registers the subcommands at start-up.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from certboard_core.backup_files import MANIFEST, BackupRefused

if TYPE_CHECKING:
    from certboard_core.backup import Layout


def system_layout(data_dir: Path, environ: Mapping[str, str] = os.environ) -> Layout:
    """The layout ``certboard run`` gives ``data_dir``, or, per service, the URL in
    ``CERTBOARD_<SERVICE>_DATABASE_URL`` and the folder in ``CERTBOARD_<SERVICE>_DOCUMENT_DIR``."""
    from certboard_core.backup import Layout
    from certboard_core.launcher import BACKENDS
    from certboard_core.settings import default_database_url

    databases: dict[str, str] = {}
    documents: dict[str, Path] = {}
    for process in BACKENDS:
        name, prefix = process.name, f"CERTBOARD_{process.name.upper()}_"
        databases[name] = environ.get(f"{prefix}DATABASE_URL") or default_database_url(
            data_dir, name
        )
        # The service's own rule for its folder, without the rest of its environment.
        settings = importlib.import_module(f"{name}.config").Settings.model_construct(
            data_dir=data_dir, document_dir=environ.get(f"{prefix}DOCUMENT_DIR")
        )
        if hasattr(settings, "documents_path"):
            documents[name] = Path(settings.documents_path)
    return Layout(databases, documents)


def backup_command(args: argparse.Namespace) -> int:
    """``certboard backup --to DIR``."""
    from certboard_core import backup

    to = Path(args.to)
    try:
        layout = system_layout(Path(args.data_dir))
        manifest = asyncio.run(backup.take_backup(layout, to))
    except BackupRefused as exc:
        raise SystemExit(f"certboard backup: {exc}") from exc
    for name, service in manifest["services"].items():
        print(f"{name}: {service['backend']} at revision {service['revision']}")
    for name, files in manifest["documents"].items():
        print(f"{name}: {len(files)} documents")
    print(f"backed up into {to} ({MANIFEST} lists every file and its checksum)")
    return 0


def restore_command(args: argparse.Namespace) -> int:
    """``certboard restore --from DIR``."""
    from certboard_core import backup

    try:
        revisions = asyncio.run(
            backup.restore_backup(system_layout(Path(args.data_dir)), Path(args.src))
        )
    except BackupRefused as exc:
        raise SystemExit(f"certboard restore: {exc}") from exc
    for name, moved in revisions.items():
        print(f"{name}: restored at revision {moved}")
    return 0


def add_commands(sub: Any) -> None:
    """Register ``backup`` and ``restore`` on ``certboard``'s subcommands."""
    data_dir = os.environ.get("CERTBOARD_DATA_DIR", "data")
    p_backup = sub.add_parser("backup", help="dump every database and document store into DIR")
    p_backup.add_argument("--to", required=True, help="a new or empty folder")
    p_backup.add_argument("--data-dir", default=data_dir)
    p_backup.set_defaults(func=backup_command)
    p_restore = sub.add_parser("restore", help="load a backup into an empty system")
    p_restore.add_argument("--from", dest="src", required=True, help="a folder backup made")
    p_restore.add_argument("--data-dir", default=data_dir)
    p_restore.set_defaults(func=restore_command)
