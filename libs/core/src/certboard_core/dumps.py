"""One service's database held still, written to a file and loaded back: ``pg_dump`` and
``pg_restore`` (custom format) on PostgreSQL, SQLite's online backup API on SQLite.

A snapshot is taken first and read and dumped after, so a backup can take every service's
snapshot close together and compare them before it writes anything large (``backup.py``).
"""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import asyncpg
from sqlalchemy import Executable, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from certboard_core.backup_files import BackupRefused
from certboard_core.db import create_engine, is_sqlite


class DumpFailed(BackupRefused):
    """A database could not be reached, dumped or loaded; the message says what said what."""


def shown(url: str) -> str:
    """A database URL fit for a message: its password hidden."""
    return make_url(url).render_as_string(hide_password=True)


class Snapshot(Protocol):
    """One database as it was at one instant, for reading and dumping."""

    backend: str

    async def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows of a query, as the snapshot saw them."""
        ...

    async def dump(self) -> str:
        """Write the snapshot to its file; what wrote it (tool and version)."""
        ...

    async def close(self) -> None: ...


def dump_file(url: str, name: str) -> str:
    """The name of ``name``'s dump in a backup folder, by backend."""
    return f"{name}.sqlite" if is_sqlite(url) else f"{name}.pgdump"


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise DumpFailed(f"{url} is not a SQLite file")
    return Path(database)


def _libpq_env(url: URL) -> dict[str, str]:
    """The connection as libpq's environment: no password on a command line."""
    values = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode") or url.query.get("ssl"),
    }
    return {key: str(value) for key, value in values.items() if value}


async def _run(*command: str, env: dict[str, str]) -> str:
    """Run a PostgreSQL client tool; its stderr, or DumpFailed with it."""
    try:
        process = await asyncio.create_subprocess_exec(
            *command,
            env={**os.environ, **env},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
    except FileNotFoundError as exc:
        raise DumpFailed(f"{command[0]} is not installed (PostgreSQL's client tools)") from exc
    out, err = await process.communicate()
    if process.returncode != 0:
        raise DumpFailed(f"{command[0]} failed: {err.decode(errors='replace').strip()}")
    return out.decode().strip()


async def _connect(url: URL) -> asyncpg.Connection:
    return await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
        ssl=url.query.get("sslmode") or url.query.get("ssl"),
    )


@dataclass
class PostgresSnapshot:
    """A REPEATABLE READ transaction holding an exported snapshot that ``pg_dump`` shares."""

    url: URL
    path: Path
    connection: asyncpg.Connection
    snapshot_id: str
    backend: str = "postgresql"

    async def rows(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            return [tuple(record) for record in await self.connection.fetch(sql)]
        except asyncpg.PostgresError as exc:
            raise DumpFailed(f"{self.url.render_as_string(hide_password=True)}: {exc}") from exc

    async def dump(self) -> str:
        env = _libpq_env(self.url)
        await _run(
            "pg_dump",
            "--format=custom",
            f"--snapshot={self.snapshot_id}",
            f"--file={self.path}",
            env=env,
        )
        return await _run("pg_dump", "--version", env=env)

    async def close(self) -> None:
        await self.connection.close()


@dataclass
class SqliteSnapshot:
    """The online backup API's copy, made at once: the copy is the snapshot and the dump."""

    source: Path
    path: Path
    backend: str = "sqlite"

    async def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(self.path)) as connection:
            try:
                return list(connection.execute(sql).fetchall())
            except sqlite3.Error as exc:
                raise DumpFailed(f"{self.source}: {exc}") from exc

    async def dump(self) -> str:
        return f"sqlite3 online backup (SQLite {sqlite3.sqlite_version})"

    async def close(self) -> None:
        pass


def _sqlite_copy(source: Path, target: Path) -> None:
    # A reader's consistent view of a WAL database, while its writers go on; the target's
    # pages are all replaced (a snapshot taken again overwrites the last).
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


async def open_snapshot(url: str, path: Path) -> Snapshot:
    """Hold ``url``'s database still (PostgreSQL) or copy it now (SQLite), to dump at ``path``."""
    if is_sqlite(url):
        source = _sqlite_path(url)
        if not source.is_file():
            raise DumpFailed(f"there is no SQLite database at {source}")
        await asyncio.to_thread(_sqlite_copy, source, path)
        return SqliteSnapshot(source, path)
    parsed = make_url(url)
    try:
        connection = await _connect(parsed)
    except (OSError, asyncpg.PostgresError) as exc:
        raise DumpFailed(f"cannot reach {shown(url)}: {exc}") from exc
    try:
        await connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot_id = await connection.fetchval("SELECT pg_export_snapshot()")
    except BaseException:
        await connection.close()
        raise
    return PostgresSnapshot(parsed, path, connection, str(snapshot_id))


async def tables(url: str) -> list[str]:
    """The tables in ``url``'s database (none for a SQLite file not made yet)."""
    if is_sqlite(url) and not _sqlite_path(url).exists():
        return []
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            names: list[str] = await connection.run_sync(
                lambda sync: inspect(sync).get_table_names()
            )
            return names
    except (OSError, DBAPIError) as exc:
        raise DumpFailed(f"cannot reach {shown(url)}: {getattr(exc, 'orig', exc)}") from exc
    finally:
        await engine.dispose()


def _major(tool: str) -> int:
    """The major version in ``pg_dump (PostgreSQL) 15.20 (Debian ...)``."""
    found = re.search(r"\(PostgreSQL\) (\d+)", tool)
    return int(found.group(1)) if found else 0


async def check_loader(url: str, written_by: str) -> None:
    """Refuse a PostgreSQL dump this machine's ``pg_restore`` is too old to read."""
    if is_sqlite(url):
        return
    loader = await _run("pg_restore", "--version", env={})
    if _major(loader) < _major(written_by):
        raise DumpFailed(
            f"the dump was written by {written_by}; {loader} cannot read it: "
            f"restore with PostgreSQL's client tools {_major(written_by)} or newer"
        )


async def load(url: str, path: Path) -> None:
    """Load a dump into ``url``'s database, which the caller has found empty."""
    if is_sqlite(url):
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(_sqlite_copy, path, target)
        return
    await _run(
        "pg_restore",
        # The restoring role owns what it makes: the dump's owners may not exist here.
        "--no-owner",
        "--no-acl",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={make_url(url).database}",
        str(path),
        env=_libpq_env(make_url(url)),
    )


async def execute(url: str, statement: Executable, **params: Any) -> None:
    """One statement in its own transaction."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(statement, params)
    finally:
        await engine.dispose()
