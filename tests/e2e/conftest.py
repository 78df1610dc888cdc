"""The whole system in one process: the gateway wired over httpx to the services' ASGI apps."""

from __future__ import annotations

import contextlib
import json
from collections import Counter
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
from certboard_core.testing.plugin import DatabaseFactory, bearer
from certboard_core.testing.transport import RoutingTransport

SERVICES = {
    "applications": (applications.config.Settings, applications.main.create_app),
    "exams": (exams.config.Settings, exams.main.create_app),
    "supervision": (supervision.config.Settings, supervision.main.create_app),
}
SUBSCRIBERS = {
    "applications": {"exams": "http://exams", "supervision": "http://supervision"},
    "exams": {"applications": "http://applications"},
    "supervision": {"applications": "http://applications"},
}


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes the gateway's calls to a service on, counting them by method and path; a
    service named in ``down`` is unreachable."""

    def __init__(
        self,
        service: str,
        inner: httpx.AsyncBaseTransport,
        calls: Counter[Any],
        down: set[str],
    ) -> None:
        self.service = service
        self.inner = inner
        self.calls = calls
        self.down = down

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls[self.service, request.method, request.url.path] += 1
        if self.service in self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


@dataclass
class System:
    gateway: FastAPI
    services: dict[str, FastAPI]
    client: httpx.AsyncClient
    # What the gateway asked of the services: (service, method, path) -> times.
    calls: Counter[tuple[str, str, str]]
    # Services the gateway cannot reach (add a name to take one down).
    down: set[str]

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> httpx.Response:
        """POST a GraphQL operation; ``files`` maps variable paths to uploads (multipart spec)."""
        headers = bearer(token) if token else {}
        if not files:
            return await self.client.post(
                "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
            )
        names = {str(i): path for i, path in enumerate(files)}
        return await self.client.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": query, "variables": variables or {}}),
                "map": json.dumps({name: [path] for name, path in names.items()}),
            },
            files={name: files[path] for name, path in names.items()},
            headers=headers,
        )


@contextlib.asynccontextmanager
async def running_system(
    database_factory: DatabaseFactory,
    data_dir: Path,
    documents: Path,
    overrides: dict[str, dict[str, Any]] | None = None,
) -> AsyncIterator[System]:
    """The three services on fresh databases and the gateway, started; stopped on exit.

    ``overrides``: settings by process ("applications", ..., "gateway") to change.
    """
    overrides = overrides or {}
    async with AsyncExitStack() as stack:
        apps: dict[str, FastAPI] = {}
        transports: dict[str, httpx.AsyncBaseTransport] = {}
        router = RoutingTransport(transports)
        for name, (settings_class, factory) in SERVICES.items():
            settings = settings_class(
                environment="test",
                data_dir=data_dir,
                database_url=database_factory(name),
                outbox_subscribers=SUBSCRIBERS[name],
                log_json=False,
                **(
                    (
                        {"document_dir": documents, "supervision_url": "http://supervision"}
                        if name == "applications"
                        else {}
                    )
                    | (
                        {"applications_url": "http://applications"}
                        if name in ("exams", "supervision")
                        else {}
                    )
                    | overrides.get(name, {})
                ),
            )
            create: Callable[..., FastAPI] = factory
            # Delivery and sweeps are driven by the tests (dispatch_once, runSweep), not timers.
            app = create(settings, clock=TestClock(), http_transport=router, run_background=False)
            await stack.enter_async_context(LifespanManager(app))
            apps[name] = app
            transports[name] = httpx.ASGITransport(app=app)
        calls: Counter[tuple[str, str, str]] = Counter()
        down: set[str] = set()
        gateway_app = gateway.main.create_app(
            gateway.config.Settings(
                environment="test",
                data_dir=data_dir,
                applications_url="http://applications",
                exams_url="http://exams",
                supervision_url="http://supervision",
                log_json=False,
                **overrides.get("gateway", {}),
            ),
            transports={n: RecordingTransport(n, t, calls, down) for n, t in transports.items()},
        )
        await stack.enter_async_context(LifespanManager(gateway_app))
        client = await stack.enter_async_context(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=gateway_app), base_url="http://gateway"
            )
        )
        yield System(gateway=gateway_app, services=apps, client=client, calls=calls, down=down)


@pytest.fixture
async def system(
    database_factory: DatabaseFactory, dev_data_dir: Path, tmp_path: Path
) -> AsyncIterator[System]:
    """A fresh system for the test, on the backend it runs for."""
    async with running_system(database_factory, dev_data_dir, tmp_path / "documents") as made:
        yield made
