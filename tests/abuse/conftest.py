"""Every process as an outsider meets it: the gateway over the three services, in one process.

Built as tests/e2e builds the system, with small caps (2 MB requests on the gateway, 256 KB
documents) so oversized uploads cost little to send.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

import applications.config
import applications.main
import exams.config
import exams.main
import gateway.config
import gateway.main
import supervision.config
import supervision.main
from certboard_core.clock import TestClock
from certboard_core.testing.plugin import T0, DatabaseFactory, bearer
from certboard_core.testing.transport import RoutingTransport

SERVICES = {
    "applications": (applications.config.Settings, applications.main.create_app),
    "exams": (exams.config.Settings, exams.main.create_app),
    "supervision": (supervision.config.Settings, supervision.main.create_app),
}
MAX_REQUEST_BYTES = 2 * 1024 * 1024
MAX_DOCUMENT_BYTES = 256 * 1024

Files = dict[str, tuple[str, bytes, str]]


@dataclass
class Board:
    gateway: httpx.AsyncClient
    services: dict[str, httpx.AsyncClient]
    apps: dict[str, FastAPI]
    clocks: dict[str, TestClock]
    document_dir: Path

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        files: Files | None = None,
    ) -> httpx.Response:
        """POST one operation to the gateway; ``files`` maps variable paths to uploads."""
        headers = bearer(token) if token else {}
        if not files:
            return await self.gateway.post(
                "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
            )
        names = {str(i): path for i, path in enumerate(files)}
        return await self.gateway.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": query, "variables": variables or {}}),
                "map": json.dumps({name: [path] for name, path in names.items()}),
            },
            files={name: files[path] for name, path in names.items()},
            headers=headers,
        )


@pytest.fixture
async def board(
    database_factory: DatabaseFactory, dev_data_dir: Path, tmp_path: Path
) -> AsyncIterator[Board]:
    document_dir = tmp_path / "documents"
    async with AsyncExitStack() as stack:
        apps: dict[str, FastAPI] = {}
        clocks: dict[str, TestClock] = {}
        transports: dict[str, httpx.AsyncBaseTransport] = {}
        for name, (settings_class, factory) in SERVICES.items():
            extra: dict[str, Any] = {}
            if name == "applications":
                extra = {"document_dir": document_dir, "max_document_bytes": MAX_DOCUMENT_BYTES}
            settings = settings_class(
                environment="test",
                data_dir=dev_data_dir,
                database_url=database_factory(name),
                log_json=False,
                **extra,
            )
            clocks[name] = TestClock()
            clocks[name].set(T0)
            create: Callable[..., FastAPI] = factory
            app = create(
                settings,
                clock=clocks[name],
                http_transport=RoutingTransport(transports),
                run_background=False,
            )
            await stack.enter_async_context(LifespanManager(app))
            apps[name] = app
            transports[name] = httpx.ASGITransport(app=app)
        gateway_app = gateway.main.create_app(
            gateway.config.Settings(
                environment="test",
                data_dir=dev_data_dir,
                log_json=False,
                max_request_bytes=MAX_REQUEST_BYTES,
                **{f"{name}_url": f"http://{name}" for name in SERVICES},
            ),
            transports=transports,
        )
        await stack.enter_async_context(LifespanManager(gateway_app))
        clients = {
            name: await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url=f"http://{name}")
            )
            for name, transport in transports.items()
        }
        client = await stack.enter_async_context(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=gateway_app), base_url="http://gateway"
            )
        )
        yield Board(client, clients, apps, clocks, document_dir)


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
