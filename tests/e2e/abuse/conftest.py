"""Every process as an outsider meets it: the e2e system, with small caps (2 MB requests on
the gateway, 256 KB documents) so oversized uploads cost little to send."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

import gateway.config
import gateway.main
from certboard_core.clock import TestClock
from certboard_core.testing.plugin import T0, DatabaseFactory
from certboard_core.testing.transport import RoutingTransport

from ..conftest import System, running_system

MAX_REQUEST_BYTES = 2 * 1024 * 1024
MAX_DOCUMENT_BYTES = 256 * 1024

Files = dict[str, tuple[str, bytes, str]]


@dataclass
class Board:
    """The system as the abuse tests reach it: the gateway, and each service directly."""

    system: System
    services: dict[str, httpx.AsyncClient]
    document_dir: Path

    @property
    def gateway(self) -> httpx.AsyncClient:
        return self.system.client

    @property
    def apps(self) -> dict[str, FastAPI]:
        return self.system.services

    @property
    def clocks(self) -> dict[str, TestClock]:
        return {name: app.state.clock for name, app in self.apps.items()}

    async def gql(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        """POST one operation to the gateway (``System.gql``)."""
        return await self.system.gql(query, variables, **kw)


@pytest.fixture
async def board(
    database_factory: DatabaseFactory, dev_data_dir: Path, tmp_path: Path
) -> AsyncIterator[Board]:
    document_dir = tmp_path / "documents"
    caps = {
        "applications": {"max_document_bytes": MAX_DOCUMENT_BYTES},
        "gateway": {"max_request_bytes": MAX_REQUEST_BYTES},
    }
    async with (
        running_system(database_factory, dev_data_dir, document_dir, caps) as system,
        AsyncExitStack() as stack,
    ):
        for app in system.services.values():
            app.state.clock.set(T0)
        clients = {
            name: await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")
            )
            for name, app in system.services.items()
        }
        yield Board(system, clients, document_dir)


@pytest.fixture
async def lone_gateway(dev_data_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway with default settings and no backend reachable: limits need none."""
    settings = gateway.config.Settings(environment="test", data_dir=dev_data_dir, log_json=False)
    app = gateway.main.create_app(
        settings, transports={n: RoutingTransport({}) for n in settings.backends}
    )
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as c,
    ):
        yield c
