"""Calls to a backend on behalf of a caller over the long-lived transport
(``certboard_core.transport``), and the error contract."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import structlog

from certboard_core.logging import REQUEST_ID_HEADER
from certboard_core.transport import unreachable
from gateway.errors import CodedError

log = structlog.get_logger(__name__)


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
            if unreachable(exc):
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
