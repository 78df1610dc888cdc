"""How the gateway calls a backend: past its slots a call waits its turn on the gateway, not
in httpx's pool (never more in flight than the slots, every call answered, a wait that
outlasts the timeout UPSTREAM_TIMEOUT like any other); the caller's address goes along."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from asgi_lifespan import LifespanManager

from gateway.clients.transport import ServiceClient
from gateway.config import Settings
from gateway.errors import CodedError
from gateway.main import create_app


class Backend:
    """A backend that holds each request until told to answer, counting those in flight."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.most = 0
        self.arrived = asyncio.Condition()
        self.release = asyncio.Event()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        async with self.arrived:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            self.arrived.notify_all()
        await self.release.wait()
        self.in_flight -= 1
        return httpx.Response(200, json={"path": request.url.path})

    async def until_in_flight(self, count: int) -> None:
        async with self.arrived:
            await self.arrived.wait_for(lambda: self.in_flight >= count)


def client(backend: Backend, *, slots: int, wait_seconds: float = 5.0) -> ServiceClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(backend), base_url="http://b")
    return ServiceClient("applications", http, slots=slots, wait_seconds=wait_seconds)


async def test_no_more_in_flight_than_the_slots_and_every_call_answered() -> None:
    backend = Backend()
    service = client(backend, slots=2)
    calls = [
        asyncio.create_task(service.request("GET", f"/v1/{n}", token=None, request_id=None))
        for n in range(6)
    ]
    await backend.until_in_flight(2)
    await asyncio.sleep(0)  # let the other four reach their turn, if they could
    assert backend.in_flight == 2
    backend.release.set()
    answers = await asyncio.gather(*calls)
    assert sorted(a.json()["path"] for a in answers) == [f"/v1/{n}" for n in range(6)]
    assert backend.most == 2


async def test_a_wait_past_the_timeout_is_upstream_timeout() -> None:
    backend = Backend()
    service = client(backend, slots=1, wait_seconds=0.01)
    held = asyncio.create_task(service.request("GET", "/v1/held", token=None, request_id=None))
    await backend.until_in_flight(1)
    with pytest.raises(CodedError) as refused:
        await service.request("GET", "/v1/waiting", token=None, request_id=None)
    assert (refused.value.code, refused.value.status) == ("UPSTREAM_TIMEOUT", 504)
    backend.release.set()
    assert (await held).json() == {"path": "/v1/held"}
    # The slot the timed-out call never had is not lost: the next call goes through.
    assert (await service.request("GET", "/v1/next", token=None, request_id=None)).is_success


async def test_the_callers_address_goes_with_every_backend_call(dev_data_dir) -> None:
    """So a service counts public limits per caller, not every caller as the gateway."""
    seen: list[str | None] = []

    async def verification(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("X-Forwarded-For"))
        return httpx.Response(
            200,
            json={
                "holder_name": "Maria Lopez",
                "number": "AAAA-BBBB-CCCC",
                "status": "active",
                "issued_on": "2026-05-04",
                "valid_through": "2028-05-03",
                "discipline": [],
                "credential_url": None,
            },
        )

    settings = Settings(environment="test", data_dir=dev_data_dir, log_json=False)
    transports = {name: httpx.MockTransport(verification) for name in settings.backends}
    app = create_app(settings, transports=transports)
    query = '{ verifyCertification(number: "AAAA-BBBB-CCCC") { status } }'
    async with LifespanManager(app):
        for address in ("203.0.113.7", "198.51.100.9"):
            gateway = httpx.ASGITransport(app=app, client=(address, 5000))
            async with httpx.AsyncClient(transport=gateway, base_url="http://gw") as caller:
                answer = await caller.post("/graphql", json={"query": query})
            assert answer.json() == {"data": {"verifyCertification": {"status": "ACTIVE"}}}
    assert seen == ["203.0.113.7", "198.51.100.9"]
