"""Pytest fixtures shared by every service's tests: databases on both backends, tokens, clocks.

Every test that takes ``database_factory`` runs twice, once per backend. SQLite databases are
copies of a migrated template file; PostgreSQL ones are ``CREATE DATABASE ... TEMPLATE`` clones
of a migrated template database, made and dropped within the run. Without a reachable
PostgreSQL the PostgreSQL half skips locally and fails in CI (``CI=true``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from certboard_core import migrations
from certboard_core.auth import Role
from certboard_core.clock import TestClock
from certboard_core.devissuer import ALL_AUDIENCES, ensure_dev_key, mint_token

T = TypeVar("T")

PG_ADMIN_URL = os.environ.get(
    "CERTBOARD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = os.environ.get("CERTBOARD_TEST_BACKENDS", "sqlite,postgresql").split(",")
RUN_ID = uuid.uuid4().hex[:8]
# A fixed instant, so dates in tests never depend on the day they run.
T0 = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)


def in_thread(fn: Callable[[], T]) -> T:
    """Run ``fn`` on its own thread, so it may start an event loop whatever the caller runs in."""
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(fn())
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


def _pg_execute(*statements: str) -> None:
    async def go() -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    in_thread(lambda: asyncio.run(go()))


def _async_url(database: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{database}"


class _Templates:
    """Migrated template databases, one per (service, backend), made on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sqlite: dict[str, Path] = {}
        self.postgres: dict[str, str] = {}
        self.created: list[str] = []
        self.pg_error: str | None = None
        self.pg_checked = False
        self.lock = threading.Lock()

    def sqlite_template(self, package: str) -> Path:
        with self.lock:
            if package not in self.sqlite:
                path = self.folder / f"{package}-template.db"
                in_thread(lambda: migrations.upgrade(package, f"sqlite+aiosqlite:///{path}"))
                self.sqlite[package] = path
            return self.sqlite[package]

    def _reachable(self) -> None:
        if self.pg_error is None and not self.pg_checked:
            try:
                _pg_execute("SELECT 1")
            except (OSError, asyncpg.PostgresError) as exc:
                self.pg_error = f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}"
            self.pg_checked = True
        if self.pg_error is not None:
            raise ConnectionError(self.pg_error)

    def postgres_template(self, package: str | None) -> str:
        """The template to clone for ``package`` (PostgreSQL's empty template0 for None)."""
        with self.lock:
            self._reachable()
            if package is None:
                return "template0"
            if package not in self.postgres:
                name = f"certboard_t{RUN_ID}_{package}_tmpl"
                _pg_execute(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
                self.created.append(name)
                in_thread(lambda: migrations.upgrade(package, _async_url(name)))
                self.postgres[package] = name
            return self.postgres[package]


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Templates]:
    templates = _Templates(tmp_path_factory.mktemp("db-templates"))
    yield templates
    if templates.created:
        _pg_execute(*(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in templates.created))


@pytest.fixture(params=BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    """The database backend this run of the test uses."""
    return str(request.param)


DatabaseFactory = Callable[[str | None], str]


@contextlib.contextmanager
def databases(db_backend: str, templates: _Templates, folder: Path) -> Iterator[DatabaseFactory]:
    """``make(package)`` for ``db_backend``, SQLite files in ``folder``; PostgreSQL ones are
    dropped on exit. Without PostgreSQL: a skip, or a failure in CI (``CI=true``)."""
    made: list[str] = []

    def make(package: str | None) -> str:
        if db_backend == "sqlite":
            path = folder / f"{package or 'empty'}-{uuid.uuid4().hex[:6]}.db"
            if package is not None:
                shutil.copyfile(templates.sqlite_template(package), path)
            return f"sqlite+aiosqlite:///{path}"
        try:
            template = templates.postgres_template(package)
        except ConnectionError as exc:
            if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
                pytest.fail(f"{exc} (CI requires PostgreSQL)", pytrace=False)
            pytest.skip(f"{exc}; the PostgreSQL half of the suite runs in CI")
        name = f"certboard_t{RUN_ID}_{uuid.uuid4().hex[:10]}"
        _pg_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        made.append(name)
        return _async_url(name)

    try:
        yield make
    finally:
        if made:
            _pg_execute(*(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in made))


@pytest.fixture
def database_factory(
    db_backend: str, _templates: _Templates, tmp_path: Path
) -> Iterator[DatabaseFactory]:
    """``make(package)``: a fresh database migrated for that service; ``make(None)``: empty."""
    with databases(db_backend, _templates, tmp_path) as make:
        yield make


@pytest.fixture(scope="session")
def dev_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding a development signing key made for this run."""
    folder = tmp_path_factory.mktemp("data")
    ensure_dev_key(folder)
    return folder


Minter = Callable[..., str]


@pytest.fixture(scope="session")
def mint(dev_data_dir: Path) -> Minter:
    """``mint(role, sub, **claims)``: a token from the development issuer for this run."""
    private_key = ensure_dev_key(dev_data_dir)

    def make(
        role: Role | str,
        sub: str,
        *,
        audiences: tuple[str, ...] = ALL_AUDIENCES,
        ttl: timedelta = timedelta(hours=1),
        now: datetime | None = None,
        **claims: Any,
    ) -> str:
        return mint_token(
            private_key,
            subject=sub,
            roles=[Role(role)],
            audiences=audiences,
            ttl=ttl,
            extra_claims=claims,
            now=now,
        )

    return make


@pytest.fixture
def clock() -> TestClock:
    """A test clock frozen at ``T0``; tests move it explicitly."""
    test_clock = TestClock()
    test_clock.set(T0)
    return test_clock


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the service under test (each service's conftest provides ``app``)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://service"
    ) as http:
        yield http


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
