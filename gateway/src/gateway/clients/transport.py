"""The one transport to every backend: a long-lived httpx client over aiohttp's connections,
and the error contract.

The gateway calls a backend for nearly every query, and httpx's own connection pool (httpcore,
h11 and anyio, all in Python) cost it about a third of its CPU per status query: more than the
GraphQL execution. Through ``httpx_aiohttp`` the calls keep httpx's interface (and tests keep
wiring backends to in-process apps with httpx transports) while aiohttp's pool and its
C-accelerated HTTP parser carry them, at about a fourth of the CPU per call.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
import structlog
from httpx_aiohttp import AiohttpTransport

from certboard_core.logging import REQUEST_ID_HEADER
from gateway.errors import CodedError

log = structlog.get_logger(__name__)


# Idle connections close before the services' (uvicorn's 5 s keep-alive), so the gateway never
# sends a request on a connection the service is closing.
KEEPALIVE_SECONDS = 4.0


def backend_transport(connections: int) -> httpx.AsyncBaseTransport:
    """A backend's connections: ``connections`` at most, every one kept alive while in use."""
    return AiohttpTransport(
        limits=httpx.Limits(
            max_connections=connections,
            max_keepalive_connections=connections,
            keepalive_expiry=KEEPALIVE_SECONDS,
        )
    )


def _unreachable(exc: BaseException) -> bool:
    """httpx_aiohttp reports every aiohttp connection error as a ConnectTimeout; a refused or
    dropped connection is a backend that cannot be reached, not a slow one."""
    cause = exc.__cause__
    return isinstance(cause, aiohttp.ClientConnectionError) and not isinstance(cause, TimeoutError)


class ServiceClient:
    """Calls one backend on behalf of a caller, turning its error shape into CodedError."""

    def __init__(
        self, name: str, http: httpx.AsyncClient, *, slots: int, wait_seconds: float
    ) -> None:
        self.name = name
        self.http = http
        # Calls past ``slots`` (``Settings.backend_connections``) wait here, no longer than a
        # call's timeout: the pool's own queue would hold them without one.
        self._slots = asyncio.Semaphore(slots)
        self._wait_seconds = wait_seconds

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None,
        request_id: str | None,
        client: str | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send one request; a refusal or an unreachable backend raises CodedError."""
        headers: dict[str, str] = dict(kwargs.pop("headers", {}) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        if client:
            # The caller's address, as the gateway saw it: a service that trusts the gateway's
            # address for proxy headers (uvicorn's --forwarded-allow-ips) then counts public
            # limits per caller, not every caller as the gateway.
            headers["X-Forwarded-For"] = client
        try:
            async with self._turn():
                response = await self.http.request(method, path, headers=headers, **kwargs)
        except (httpx.TimeoutException, TimeoutError) as exc:
            if _unreachable(exc):
                raise self._unavailable(exc) from exc
            raise CodedError(
                "UPSTREAM_TIMEOUT", f"the {self.name} service did not answer in time", status=504
            ) from exc
        except httpx.TransportError as exc:
            raise self._unavailable(exc) from exc
        if response.is_success:
            return response
        raise self._error_from(response)

    @contextlib.asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """A slot to call the backend in; TimeoutError when none frees up in time (as httpx's
        own pool timeout would say)."""
        async with asyncio.timeout(self._wait_seconds):
            await self._slots.acquire()
        try:
            yield
        finally:
            self._slots.release()

    def _unavailable(self, exc: Exception) -> CodedError:
        log.warning("backend unreachable", backend=self.name, error=str(exc))
        return CodedError(
            "UPSTREAM_UNAVAILABLE", f"the {self.name} service is not reachable", status=503
        )

    def _error_from(self, response: httpx.Response) -> CodedError:
        try:
            error = response.json()["error"]
            reasons = error.get("reasons")
            return CodedError(
                str(error["code"]),
                str(error["message"]),
                field=error.get("field"),
                status=response.status_code,
                reasons=[
                    {"code": str(r["code"]), "message": str(r["message"]), "field": r.get("field")}
                    for r in reasons
                ]
                if reasons
                else None,
            )
        except (ValueError, KeyError, TypeError):
            log.error(
                "backend answered outside the error contract",
                backend=self.name,
                status=response.status_code,
            )
            return CodedError(
                "UPSTREAM_ERROR",
                f"the {self.name} service failed (HTTP {response.status_code})",
                status=502,
            )
