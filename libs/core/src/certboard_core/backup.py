"""``certboard backup`` and ``certboard restore``: every service's database and the document
stores, taken together and put back into an empty system.

Why a backup is coherent (the README's "Backups and restore" says it at length): every service's
snapshot is taken before any is dumped, and the snapshots are compared: an event a service has
handled that its sender's snapshot does not hold means the snapshots straddle it, and they are
taken again; a delivery the sender's snapshot calls done that its subscriber's snapshot never
handled is listed in the manifest and made due again on restore (the subscriber's inbox drops
it if it had it after all). Documents are copied after the snapshots: a file is written before
the row naming it commits and is never changed or removed after, so the copy holds every file a
snapshot names (and perhaps a few no row names yet, which nothing reads).

The commands themselves are in ``backup_commands.py``.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from certboard_core.backup_files import (
    BackupRefused,
    checksum,
    copy_store,
    is_empty_folder,
    read_manifest,
    verify,
    write_manifest,
)

FORMAT = 1
# Snapshots taken again when they straddle an event, before the backup gives up.
ATTEMPTS = 3


@dataclass(frozen=True)
class Layout:
    """Where one system keeps its state: each service's database URL and document folder."""

    databases: dict[str, str]
    documents: dict[str, Path]


@dataclass
class Crossings:
    """How the services' snapshots relate through the events between them."""

    # "<receiver> handled <sender>'s event <id>", the sender's snapshot not holding the event.
    straddled: list[str] = field(default_factory=list)
    # Per sender, deliveries its snapshot calls done that the subscriber's never handled.
    redeliver: dict[str, list[int]] = field(default_factory=dict)


def crossings(
    published: Mapping[str, set[uuid.UUID]],
    handled: Mapping[str, Mapping[uuid.UUID, str]],
    delivered: Mapping[str, list[tuple[int, uuid.UUID, str]]],
) -> Crossings:
    """Compare snapshots: ``published`` event ids by sender, ``handled`` event id -> sender by
    receiver, ``delivered`` (delivery id, event id, subscriber) by sender."""
    found = Crossings()
    for receiver, events in handled.items():
        found.straddled += [
            f"{receiver} handled {sender}'s event {event}"
            for event, sender in events.items()
            if sender in published and event not in published[sender]
        ]
    for sender, rows in delivered.items():
        again = [d for d, event, to in rows if to in handled and event not in handled[to]]
        if again:
            found.redeliver[sender] = again
    return found


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


async def _compare(snapshots: Mapping[str, Any]) -> Crossings:
    published, handled, delivered = {}, {}, {}
    for name, snapshot in snapshots.items():
        published[name] = {_uuid(r[0]) for r in await snapshot.rows("SELECT id FROM outbox_event")}
        events = await snapshot.rows("SELECT event_id, source FROM processed_event")
        handled[name] = {_uuid(event): str(source) for event, source in events}
        rows = await snapshot.rows(
            "SELECT id, event_id, subscriber FROM outbox_delivery "
            "WHERE status = 'delivered' ORDER BY id"
        )
        delivered[name] = [(int(d), _uuid(e), str(to)) for d, e, to in rows]
    return crossings(published, handled, delivered)


async def _snapshot_and_dump(layout: Layout, to: Path) -> dict[str, Any]:
    """Every database, snapshotted together and dumped; what the manifest says of them."""
    from certboard_core import dumps

    for attempt in range(1, ATTEMPTS + 1):
        taken_at = datetime.now(UTC)
        snapshots: dict[str, dumps.Snapshot] = {}
        try:
            for name, url in layout.databases.items():
                snapshots[name] = await dumps.open_snapshot(url, to / dumps.dump_file(url, name))
            found = await _compare(snapshots)
            if found.straddled:
                continue
            services = {}
            for name, snapshot in snapshots.items():
                [(revision,)] = await snapshot.rows("SELECT version_num FROM alembic_version")
                services[name] = {
                    "backend": snapshot.backend,
                    "file": dumps.dump_file(layout.databases[name], name),
                    "revision": revision,
                    "tool": await snapshot.dump(),
                }
        finally:
            for snapshot in snapshots.values():
                await snapshot.close()
        return {
            "taken_at": taken_at.isoformat(),
            "attempts": attempt,
            "services": services,
            "redeliver": found.redeliver,
        }
    raise BackupRefused(
        f"the snapshots straddled events {ATTEMPTS} times ({'; '.join(found.straddled[:3])}): "
        "the system is too busy for an online backup; stop its writers and run it again"
    )


async def take_backup(layout: Layout, to: Path) -> dict[str, Any]:
    """Back the system up into the empty (or new) folder ``to``; the manifest written."""
    if not is_empty_folder(to):
        raise BackupRefused(f"{to} is not empty: a backup goes into a folder of its own")
    await asyncio.to_thread(to.mkdir, parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"format": FORMAT, "commit": _commit()}
    manifest |= await _snapshot_and_dump(layout, to)
    for service in manifest["services"].values():
        service["sha256"] = await asyncio.to_thread(checksum, to / service["file"])
    manifest["documents"] = {
        name: await asyncio.to_thread(copy_store, folder, to / "documents" / name)
        for name, folder in layout.documents.items()
    }
    manifest["finished_at"] = datetime.now(UTC).isoformat()
    # Written last: a folder without its manifest is not a backup, and restore says so.
    write_manifest(to, manifest)
    return manifest


def _heads(manifest: Mapping[str, Any], layout: Layout) -> dict[str, str]:
    """Each service's head revision; refused if the backup is from code this one does not know."""
    from alembic.script import ScriptDirectory

    from certboard_core.migrations import alembic_config

    heads = {}
    for name, url in layout.databases.items():
        script = ScriptDirectory.from_config(alembic_config(name, url))
        revision = manifest["services"][name]["revision"]
        if revision not in {r.revision for r in script.walk_revisions()}:
            raise BackupRefused(
                f"the {name} backup is at revision {revision}, which this code does not have: "
                "restore it with the code that made it (or newer)"
            )
        heads[name] = str(script.get_current_head())
    return heads


async def _check_targets(manifest: Mapping[str, Any], layout: Layout) -> None:
    from certboard_core import dumps

    if set(manifest["services"]) != set(layout.databases):
        raise BackupRefused(f"the backup holds {sorted(manifest['services'])}, not every service")
    for name, url in layout.databases.items():
        if manifest["services"][name]["file"] != dumps.dump_file(url, name):
            backend = manifest["services"][name]["backend"]
            raise BackupRefused(
                f"the {name} backup is of {backend}; its target {dumps.shown(url)} is not"
            )
        await dumps.check_loader(url, manifest["services"][name]["tool"])
        if found := await dumps.tables(url):
            raise BackupRefused(
                f"the {name} database is not empty ({len(found)} tables): {dumps.shown(url)}"
            )
    for name, folder in layout.documents.items():
        if not is_empty_folder(folder):
            raise BackupRefused(f"the {name} document folder is not empty: {folder}")


async def restore_backup(layout: Layout, source: Path) -> dict[str, str]:
    """Put the backup in ``source`` into the empty system ``layout`` names; each service's
    revision, as restored and brought forward to this code's head."""
    from sqlalchemy import update
    from sqlmodel import col

    from certboard_core import dumps, migrations
    from certboard_core.outbox import PENDING, OutboxDelivery

    manifest = read_manifest(source, FORMAT)
    await asyncio.to_thread(verify, source, manifest)
    heads = _heads(manifest, layout)
    await _check_targets(manifest, layout)
    # Everything checked: from here on, the targets are written.
    for name, url in layout.databases.items():
        service = manifest["services"][name]
        await dumps.load(url, source / service["file"])
        if service["revision"] != heads[name]:
            await asyncio.to_thread(migrations.upgrade, name, url)
        # No dispatcher of this system has claimed anything yet: leases taken before the
        # backup are void, and the deliveries the snapshots straddled are due now.
        pending = col(OutboxDelivery.status) == PENDING
        await dumps.execute(url, update(OutboxDelivery).where(pending).values(leased_until=None))
        if ids := manifest["redeliver"].get(name):
            again = update(OutboxDelivery).where(col(OutboxDelivery.id).in_(ids))
            values = {"status": PENDING, "leased_until": None, "delivered_at": None}
            await dumps.execute(url, again.values(**values, next_attempt_at=datetime.now(UTC)))
    for name, folder in layout.documents.items():
        await asyncio.to_thread(copy_store, source / "documents" / name, folder)
    return {name: f"{manifest['services'][name]['revision']} -> {heads[name]}" for name in heads}


def _commit() -> str | None:
    """The git commit of the code taking the backup, when it runs from a checkout."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None
