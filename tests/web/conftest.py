"""The web console over the whole system in one process: its gateway client wired to the
in-process gateway (``tests/e2e``'s ``running_system``), its own pages over ASGI."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from certboard_core.testing.plugin import DatabaseFactory
from tests.e2e.conftest import System, running_system
from web.config import Settings
from web.main import create_app


@pytest.fixture
def db_backend() -> str:
    """The console reads no database: the services under it run on SQLite only (their own
    suites cover PostgreSQL), so each console test runs once."""
    return "sqlite"


@dataclass
class Console:
    app: FastAPI
    system: System
    client: httpx.AsyncClient

    async def csrf(self, path: str = "/") -> str:
        """The session's CSRF token, as the page at ``path`` carries it."""
        page = await self.client.get(path)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, page.text
        return found.group(1)

    async def sign_in(self, role: str, subject: str) -> httpx.Response:
        token = await self.csrf("/signin")
        return await self.client.post(
            "/signin", data={"role": role, "subject": subject, "csrf_token": token}
        )


def console_app(system: System, data_dir: Path, **overrides: object) -> FastAPI:
    settings = Settings(environment="test", data_dir=data_dir, log_json=False, **overrides)
    return create_app(settings, gateway_transport=httpx.ASGITransport(app=system.gateway))


@pytest.fixture
async def console(
    database_factory: DatabaseFactory, dev_data_dir: Path, tmp_path: Path
) -> AsyncIterator[Console]:
    async with running_system(database_factory, dev_data_dir, tmp_path / "documents") as system:
        app = console_app(system, dev_data_dir)
        async with (
            LifespanManager(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://web"
            ) as client,
        ):
            yield Console(app=app, system=system, client=client)
