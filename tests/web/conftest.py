"""The web console over the whole system in one process: its gateway client wired to the
in-process gateway (``tests/e2e``'s ``running_system``), its own pages over ASGI."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from certboard_core.devissuer import ensure_dev_key
from certboard_core.testing.oidc import StandInProvider
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


STAND_IN_SECRET = "stand-in-client-secret-0123456789abcdef"


@pytest.fixture
def stand_in(dev_data_dir: Path) -> Iterator[StandInProvider]:
    """A stand-in OpenID provider on a free port (``certboard_core.testing.oidc``)."""
    # The development key, so that the services' own `service` tokens (signed with it under
    # the issuer they trust) verify against the stand-in's JWKS too.
    with StandInProvider(
        client_secret=STAND_IN_SECRET, signing_key_file=ensure_dev_key(dev_data_dir)
    ) as provider:
        yield provider


def trusting(provider: StandInProvider) -> dict[str, Any]:
    """Settings of a process that takes ``provider`` as the board's identity provider."""
    return {"jwt_issuer": provider.issuer, "jwt_jwks_url": provider.jwks_url}


def signing_in_through(provider: StandInProvider) -> dict[str, Any]:
    """Settings of a console that signs people in through ``provider``."""
    return {
        **trusting(provider),
        "oidc_issuer": provider.issuer,
        "oidc_client_id": provider.client_id,
        "oidc_client_secret": STAND_IN_SECRET,
    }


@pytest.fixture
async def oidc_app(stand_in: StandInProvider, tmp_path: Path) -> AsyncIterator[FastAPI]:
    """A console signing in through the stand-in, started, its gateway nowhere: signing in
    needs none."""
    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        log_json=False,
        gateway_url="http://127.0.0.1:9",
        **signing_in_through(stand_in),
    )
    app = create_app(settings)
    async with LifespanManager(app):
        yield app


@pytest.fixture
async def oidc_console(oidc_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A browser's session with ``oidc_app``."""
    transport = httpx.ASGITransport(app=oidc_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://web") as client:
        yield client
