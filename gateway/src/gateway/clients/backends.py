"""Every backend: the long-lived transports, and typed clients bound to one request's caller."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx

from certboard_core.internal import ClockUpdate
from certboard_core.transport import internal_transport
from gateway.clients.applications import ApplicationsClient
from gateway.clients.base import BackendClient
from gateway.clients.exams import ExamsClient
from gateway.clients.supervision import SupervisionClient
from gateway.clients.transport import ServiceClient


@dataclass(frozen=True)
class RequestBackends:
    """The backends as one request's caller reaches them."""

    applications: ApplicationsClient
    exams: ExamsClient
    supervision: SupervisionClient

    @property
    def all(self) -> tuple[BackendClient, ...]:
        """Every backend, in a fixed order."""
        return (self.applications, self.exams, self.supervision)

    async def move_test_clocks(self, update: ClockUpdate) -> list[tuple[str, dict[str, Any]]]:
        """Apply one clock change to every backend at once: each one's name and clock now."""
        clocks = await asyncio.gather(*(c.move_test_clock(update) for c in self.all))
        return [(c.name, clock) for c, clock in zip(self.all, clocks, strict=True)]


class Backends:
    """Every backend's transport, created once for the process's life."""

    def __init__(
        self,
        urls: dict[str, str],
        *,
        timeout: float,
        connections: int,
        transports: dict[str, httpx.AsyncBaseTransport] | None = None,
    ) -> None:
        transports = transports or {}
        self._http = {
            name: httpx.AsyncClient(
                base_url=url,
                timeout=timeout,
                transport=transports.get(name) or internal_transport(connections),
            )
            for name, url in urls.items()
        }
        self._services = {
            name: ServiceClient(name, http, slots=connections, wait_seconds=timeout)
            for name, http in self._http.items()
        }

    def for_request(
        self, token: str | None, request_id: str | None, client: str | None = None
    ) -> RequestBackends:
        """Typed clients that send this caller's token, request id and address with every
        call."""
        bound = {"token": token, "request_id": request_id, "client": client}
        return RequestBackends(
            applications=ApplicationsClient(self._services["applications"], **bound),
            exams=ExamsClient(self._services["exams"], **bound),
            supervision=SupervisionClient(self._services["supervision"], **bound),
        )

    @property
    def clients(self) -> list[httpx.AsyncClient]:
        """The long-lived httpx client of each backend."""
        return list(self._http.values())

    async def aclose(self) -> None:
        """Close every transport."""
        for client in self._http.values():
            await client.aclose()
