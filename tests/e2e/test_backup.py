"""Backup and restore of the running system: a certified applicant and her documents come back
from fresh empty databases and document folders, read through the services' APIs.

The backup is taken while events cross between services, in the two ways that matter: an
event a service handles between its sender's snapshot and its own (the snapshots are taken
again), and one delivered between its subscriber's snapshot and its sender's (the restore makes
it due again, and the restored subscriber handles it then).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from certboard_core import dumps
from certboard_core.backup import Layout, restore_backup, take_backup
from certboard_core.backup_files import BackupRefused
from certboard_core.testing.plugin import DatabaseFactory, Minter, bearer

from .conftest import SERVICES, System, running_system
from .helpers import JPEG, PDF, approved_application, data_of, set_clock
from .journeys import deliver

READ = """
query R($id: ID!) {
  application(id: $id) { status certification { number holderName status issuedOn } }
}
"""


def layout_of(system: System) -> Layout:
    """Where the running system keeps its state."""
    settings = {name: app.state.settings for name, app in system.services.items()}
    return Layout(
        databases={name: s.database_url for name, s in settings.items()},
        documents={
            n: s.documents_path for n, s in settings.items() if hasattr(s, "documents_path")
        },
    )


async def publish_pass(system: System, application: dict[str, Any]) -> None:
    """Exams' outbox gets ``exam.passed`` for the application, not yet delivered."""
    exams = system.services["exams"].state
    async with exams.sessions() as session, session.begin():
        await exams.outbox.publish(
            session,
            type="exam.passed",
            aggregate_type="attempt",
            aggregate_id=str(uuid.uuid4()),
            payload={
                "attempt_id": str(uuid.uuid4()),
                "authorization_id": str(uuid.uuid4()),
                "application_id": application["id"],
                "applicant_id": application["applicant_id"],
                "taken_on": "2026-05-04",
                "correct": 97,
                "total": 120,
            },
            at=exams.clock.now(),
        )


async def read(system: System, token: str, application_id: str) -> dict[str, Any]:
    view: dict[str, Any] = (await data_of(system, READ, {"id": application_id}, token=token))[
        "application"
    ]
    return view


async def document_bytes(system: System, token: str, application_id: str) -> dict[str, bytes]:
    """Each current document's bytes by kind, through the applications service's API."""
    transport = httpx.ASGITransport(app=system.services["applications"])
    async with httpx.AsyncClient(transport=transport, base_url="http://applications") as client:
        path = f"/v1/applications/{application_id}"
        view = await client.get(path, headers=bearer(token))
        assert view.status_code == 200, view.text
        found = {}
        for document in view.json()["documents"]:
            got = await client.get(f"{path}/documents/{document['id']}", headers=bearer(token))
            assert got.status_code == 200, got.text
            found[document["kind"]] = got.content
        return found


async def test_a_backup_taken_while_events_cross_restores_into_an_empty_system(
    system: System,
    mint: Minter,
    database_factory: DatabaseFactory,
    dev_data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    staff, alice, bob = mint("staff", "sam"), mint("applicant", "alice"), mint("applicant", "bob")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    certified = await approved_application(system, mint)
    await publish_pass(system, certified)
    await deliver(system)
    before = await read(system, alice, certified["id"])
    assert before["status"] == "CERTIFIED"
    passing = await approved_application(system, mint, "bob", "bob@example.org")
    await publish_pass(system, passing)

    real_snapshot, taken = dumps.open_snapshot, []

    async def while_events_cross(url: str, path: Path) -> dumps.Snapshot:
        snapshot = await real_snapshot(url, path)
        if url == system.services["applications"].state.settings.database_url:
            taken.append(url)
            if len(taken) == 1:
                # Applications publishes after its snapshot, and exams handles it before its own.
                await approved_application(system, mint, "carol", "carol@example.org")
                sent = system.services["applications"].state.dispatcher
                while await sent.dispatch_once():
                    pass
            else:
                # Bob's pass is delivered after applications' snapshot, before exams' own.
                assert await system.services["exams"].state.dispatcher.dispatch_once() == 1
        return snapshot

    monkeypatch.setattr(dumps, "open_snapshot", while_events_cross)
    manifest = await take_backup(layout_of(system), tmp_path / "backup")
    assert manifest["attempts"] == 2
    assert [(s, len(ids)) for s, ids in manifest["redeliver"].items()] == [("exams", 1)]
    assert (await read(system, bob, passing["id"]))["status"] == "CERTIFIED"

    fresh = {name: database_factory(None) for name in SERVICES}
    target = Layout(fresh, {"applications": tmp_path / "docs", "exams": tmp_path / "exam-docs"})
    revisions = await restore_backup(target, tmp_path / "backup")
    assert revisions == {
        n: f"{s['revision']} -> {s['revision']}" for n, s in manifest["services"].items()
    }
    with pytest.raises(BackupRefused, match="database is not empty"):
        await restore_backup(target, tmp_path / "backup")

    overrides = {"exams": {"document_dir": tmp_path / "exam-docs"}}
    async with running_system(
        fresh.__getitem__, dev_data_dir, tmp_path / "docs", overrides
    ) as again:
        assert await read(again, alice, certified["id"]) == before
        assert await document_bytes(again, alice, certified["id"]) == {
            "government_id": JPEG,
            "diploma": PDF,
        }
        # Restored as applications' snapshot held it: bob's pass not yet handled, and due again.
        assert (await read(again, bob, passing["id"]))["status"] == "APPROVED"
        await deliver(again)
        after = await read(again, bob, passing["id"])
        assert after["status"] == "CERTIFIED"
        assert after["certification"]["holderName"] == "Maria Lopez"
        assert await read(again, alice, certified["id"]) == before
