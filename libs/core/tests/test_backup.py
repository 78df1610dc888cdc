"""``certboard backup`` / ``restore``: how snapshots are compared, what a restore refuses before
it writes anything, and a backup of older code's schema brought forward (SQLite: the journey
through both backends is ``tests/e2e/test_backup.py``)."""

from __future__ import annotations

import asyncio
import json
import shutil
import uuid
from pathlib import Path

import pytest

from certboard_core import migrations
from certboard_core.backup import Layout, crossings, restore_backup, take_backup
from certboard_core.backup_commands import system_layout
from certboard_core.backup_files import MANIFEST, BackupRefused
from certboard_core.cli import main
from certboard_core.dumps import DumpFailed, check_loader, tables
from certboard_core.testing.plugin import DatabaseFactory

SERVICES = ("applications", "exams", "supervision")
SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])
E1, E2, E3 = (uuid.UUID(int=n) for n in (1, 2, 3))


def test_an_event_handled_but_unknown_to_its_senders_snapshot_means_they_straddled_it() -> None:
    found = crossings(
        published={"applications": {E1}, "exams": set()},
        handled={"applications": {}, "exams": {E1: "applications", E2: "applications"}},
        delivered={},
    )
    assert found.straddled == [f"exams handled applications's event {E2}"]
    assert found.redeliver == {}


def test_a_delivery_its_subscriber_never_handled_is_made_due_again() -> None:
    found = crossings(
        published={"exams": {E1, E2, E3}, "applications": set()},
        handled={"exams": {}, "applications": {E1: "exams"}},
        # 12 went to applications unseen; 13 to a local subscriber (a mailer) stays as it was.
        delivered={
            "exams": [(11, E1, "applications"), (12, E2, "applications"), (13, E3, "mailer")]
        },
    )
    assert found.straddled == []
    assert found.redeliver == {"exams": [12]}


def test_the_layout_is_make_runs_unless_the_environment_names_a_service(tmp_path: Path) -> None:
    made = system_layout(tmp_path, environ={})
    assert made.databases == {n: f"sqlite+aiosqlite:///{tmp_path / n}.db" for n in SERVICES}
    assert made.documents == {
        "applications": tmp_path / "documents",
        "exams": tmp_path / "exam-documents",
    }
    production = {
        "CERTBOARD_EXAMS_DATABASE_URL": "postgresql+asyncpg://certboard@db/exams",
        "CERTBOARD_APPLICATIONS_DOCUMENT_DIR": "/documents",
    }
    named = system_layout(tmp_path, environ=production)
    assert named.databases["exams"] == "postgresql+asyncpg://certboard@db/exams"
    assert named.databases["supervision"] == f"sqlite+aiosqlite:///{tmp_path}/supervision.db"
    assert named.documents["applications"] == Path("/documents")


@pytest.fixture
def system(database_factory: DatabaseFactory, tmp_path: Path) -> Layout:
    """Migrated SQLite databases and a document store holding one file."""
    store = tmp_path / "documents"
    (store / "ab").mkdir(parents=True)
    (store / "ab" / ("ab" + "0" * 30)).write_bytes(b"%PDF-1.4 a document")
    (store / "ab" / "in-flight.part").write_bytes(b"half an upload")
    return Layout({name: database_factory(name) for name in SERVICES}, {"applications": store})


def empty_target(database_factory: DatabaseFactory, folder: Path) -> Layout:
    return Layout({name: database_factory(None) for name in SERVICES}, {"applications": folder})


@SQLITE
async def test_a_backup_names_each_file_with_its_checksum_and_skips_unfinished_uploads(
    system: Layout, tmp_path: Path
) -> None:
    manifest = await take_backup(system, tmp_path / "backup")
    assert manifest["documents"] == {
        "applications": {
            f"ab/ab{'0' * 30}": manifest["documents"]["applications"][f"ab/ab{'0' * 30}"]
        }
    }
    assert set(manifest["services"]) == set(SERVICES)
    assert {s["backend"] for s in manifest["services"].values()} == {"sqlite"}
    on_disk = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert on_disk == manifest
    with pytest.raises(BackupRefused, match="is not empty: a backup goes into a folder of its own"):
        await take_backup(system, tmp_path / "backup")


@SQLITE
@pytest.mark.parametrize(
    ("damage", "refusal"),
    [
        ("no manifest", "has no manifest.json: it is not a finished backup"),
        ("a changed document", "does not match its checksum: the backup is damaged"),
        ("a missing dump", "exams.sqlite is missing from the backup"),
        ("newer code's revision", "at revision 9999, which this code does not have"),
        ("a non-empty document folder", "the applications document folder is not empty"),
        (
            "a PostgreSQL target",
            r"exams backup is of sqlite; its target postgresql\+asyncpg://"
            r"certboard:\*\*\*@127.0.0.1:1/exams is not",
        ),
    ],
)
async def test_a_restore_refuses_before_it_writes_anything(
    system: Layout,
    database_factory: DatabaseFactory,
    tmp_path: Path,
    damage: str,
    refusal: str,
) -> None:
    backup = tmp_path / "backup"
    await take_backup(system, backup)
    manifest = json.loads((backup / MANIFEST).read_text())
    target = empty_target(database_factory, tmp_path / "restored")
    if damage == "no manifest":
        (backup / MANIFEST).unlink()
    elif damage == "a changed document":
        (backup / "documents" / "applications" / "ab" / ("ab" + "0" * 30)).write_bytes(b"%PDF-")
    elif damage == "a missing dump":
        (backup / "exams.sqlite").unlink()
    elif damage == "newer code's revision":
        manifest["services"]["exams"]["revision"] = "9999"
        (backup / MANIFEST).write_text(json.dumps(manifest))
    elif damage == "a PostgreSQL target":
        target.databases["exams"] = "postgresql+asyncpg://certboard:secret@127.0.0.1:1/exams"
    else:
        (tmp_path / "restored").mkdir()
        (tmp_path / "restored" / "left-over").write_bytes(b"x")
    with pytest.raises(BackupRefused, match=refusal):
        await restore_backup(target, backup)
    written = [await tables(url) for url in target.databases.values() if url.startswith("sqlite")]
    assert written in ([[], [], []], [[], []])  # the PostgreSQL target is not reachable


@SQLITE
async def test_a_backup_of_an_older_schema_is_restored_and_migrated_to_the_head(
    system: Layout, database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    older = database_factory(None)
    await asyncio.to_thread(migrations.upgrade, "supervision", older, "0005")
    system = Layout({**system.databases, "supervision": older}, system.documents)
    manifest = await take_backup(system, tmp_path / "backup")
    assert manifest["services"]["supervision"]["revision"] == "0005"

    target = empty_target(database_factory, tmp_path / "restored")
    revisions = await restore_backup(target, tmp_path / "backup")
    assert revisions["supervision"] == "0005 -> 0006"
    restored = tmp_path / "restored" / "ab" / ("ab" + "0" * 30)
    assert restored.read_bytes() == b"%PDF-1.4 a document"
    assert not (tmp_path / "restored" / "ab" / "in-flight.part").exists()
    assert "supervision_peer_week" in " ".join(await tables(target.databases["supervision"]))


@SQLITE
def test_the_commands_back_up_make_runs_data_folder_and_restore_it_into_a_new_one(
    system: Layout,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name, url in system.databases.items():
        shutil.copyfile(url.split(":///", 1)[1], data / f"{name}.db")
    shutil.copytree(system.documents["applications"], data / "documents")
    for name in SERVICES:
        monkeypatch.delenv(f"CERTBOARD_{name.upper()}_DATABASE_URL", raising=False)
        monkeypatch.delenv(f"CERTBOARD_{name.upper()}_DOCUMENT_DIR", raising=False)

    assert main(["backup", "--to", str(tmp_path / "b"), "--data-dir", str(data)]) == 0
    assert "applications: 1 documents" in capsys.readouterr().out
    assert main(["restore", "--from", str(tmp_path / "b"), "--data-dir", str(tmp_path / "r")]) == 0
    assert "supervision: restored at revision 0006 -> 0006" in capsys.readouterr().out
    assert (tmp_path / "r" / "documents" / "ab" / ("ab" + "0" * 30)).is_file()
    with pytest.raises(SystemExit, match="certboard restore: the applications database is not"):
        main(["restore", "--from", str(tmp_path / "b"), "--data-dir", str(tmp_path / "r")])

    (data / "exams.db").unlink()
    (data / "exams.db").touch()  # a database never migrated
    with pytest.raises(SystemExit, match=r"certboard backup: .*exams\.db: no such table"):
        main(["backup", "--to", str(tmp_path / "b2"), "--data-dir", str(data)])


async def test_a_dump_from_newer_postgresql_tools_is_refused_before_anything_is_written() -> None:
    url = "postgresql+asyncpg://certboard@db/exams"
    await check_loader(url, "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)")
    with pytest.raises(DumpFailed, match="restore with PostgreSQL's client tools 99 or newer"):
        await check_loader(url, "pg_dump (PostgreSQL) 99.1")
