"""Shared setup of the benchmarks: where databases come from, and where results go."""

from __future__ import annotations

import asyncio
import os
import platform
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import aiosqlite
import asyncpg
import sqlalchemy
from sqlalchemy import Table

from applications.db import TABLES, metadata
from applications.notification.mailer import mailer
from applications.notification.sender import LogSender
from certboard_core import migrations
from certboard_core.logging import configure_logging
from certboard_core.outbox import Outbox

Backend = Literal["sqlite", "postgresql"]
BACKENDS: tuple[Backend, ...] = ("sqlite", "postgresql")
PACKAGE = "applications"
PG_ADMIN_URL = os.environ.get(
    "CERTBOARD_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
RESULTS = Path(__file__).with_name("RESULTS.md")
# A fixed instant, so every run sees the same local day and the same windows.
NOW = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)


def quiet_logs() -> None:
    """Only warnings: the sweep's one-line summary and the mailer's lines are not wanted here."""
    configure_logging(service="bench", level="WARNING", json=False)


def deployment_outbox() -> Outbox:
    """What a deployment publishes to: the two other services and the in-process mailer."""
    return Outbox(
        source="applications",
        subscribers={"exams": "http://127.0.0.1:8002", "supervision": "http://127.0.0.1:8003"},
        local={"mailer": mailer(LogSender())},
    )


def table(name: str) -> Table:
    """The applications service's table ``name``, as its models define it."""
    if name not in TABLES:
        raise KeyError(name)
    return metadata.tables[name]


class Databases:
    """Fresh migrated databases of one backend: migrated once into a template, then cloned."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._run = uuid.uuid4().hex[:8]
        self._folder = Path(tempfile.mkdtemp(prefix="certboard-bench-"))
        self._template: str | None = None
        self._made: list[str] = []

    def _url(self, name: str) -> str:
        if self.backend == "sqlite":
            return f"sqlite+aiosqlite:///{self._folder / name}.db"
        base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        return f"{base}/{name}"

    async def _admin(self, *statements: str) -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL, timeout=10)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    async def fresh(self) -> str:
        """The URL of a new database at the newest migration, empty but for its schema."""
        if self._template is None:
            name = f"certboard_bench_{self._run}_tmpl"
            if self.backend == "postgresql":
                await self._admin(f'CREATE DATABASE "{name}"')
            self._made.append(name)
            # Alembic's env runs its own event loop: keep it off this one.
            await asyncio.to_thread(migrations.upgrade, PACKAGE, self._url(name))
            self._template = name
        name = f"certboard_bench_{self._run}_{len(self._made)}"
        if self.backend == "sqlite":
            shutil.copyfile(self._folder / f"{self._template}.db", self._folder / f"{name}.db")
        else:
            await self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"')
        self._made.append(name)
        return self._url(name)

    async def drop(self, url: str) -> None:
        """Remove the database at ``url`` now (a million rows take disk space)."""
        name = url.rsplit("/", 1)[1].removesuffix(".db")
        if self.backend == "sqlite":
            for suffix in (".db", ".db-wal", ".db-shm"):
                (self._folder / f"{name}{suffix}").unlink(missing_ok=True)
        else:
            await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self._made:
            self._made.remove(name)

    async def close(self) -> None:
        """Drop every database this object made, the template too."""
        if self.backend == "postgresql" and self._made:
            await self._admin(*(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in self._made))
        shutil.rmtree(self._folder, ignore_errors=True)
        self._made.clear()


async def _server_version(backend: Backend) -> str:
    if backend == "sqlite":
        return f"SQLite {sqlite_version()}"
    conn = await asyncpg.connect(PG_ADMIN_URL, timeout=10)
    try:
        return f"PostgreSQL {await conn.fetchval('SHOW server_version')}"
    finally:
        await conn.close()


def sqlite_version() -> str:
    return sqlite3.sqlite_version


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "services", "libs"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' + uncommitted service changes' if dirty else ''}"


async def machine(backend: Backend) -> str:
    """One line saying where and with what the figures were taken."""
    if backend == "postgresql":
        driver = f"asyncpg {asyncpg.__version__}"
    else:
        driver = f"aiosqlite {aiosqlite.__version__}"
    # Other work on the machine shows up here (the figures are wall times).
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({_cpu_model()}), Python {platform.python_version()}, "
        f"{await _server_version(backend)}, SQLAlchemy {sqlalchemy.__version__}, {driver}; "
        f"commit {_commit()}; load average {load} (1/5/15 min) when the run ended"
    )


def report(title: str, lines: Sequence[str], *, keep: bool) -> None:
    """Print a section; if ``keep``, append it, dated, to bench/RESULTS.md."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = [f"## {stamp}: {title}", "", *lines, ""]
    print("\n".join(section), flush=True)
    if not keep:
        return
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\nAppended by `bench/sweep_bench.py` and "
            "`bench/status_bench.py`; see README.md for what they measure.\n\n"
        )
    with RESULTS.open("a") as out:
        out.write("\n".join(section) + "\n")
