"""Typed clients for the backend services: one long-lived httpx client each."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import structlog

from certboard_core.logging import REQUEST_ID_HEADER
from gateway.errors import CodedError

log = structlog.get_logger(__name__)


def _resource_path(
    collection: str, resource_id: str, rest: tuple[str, ...], *, what: str, field: str
) -> str:
    # The id must be a UUID, so a caller's string never becomes a path of its own.
    try:
        parsed = uuid.UUID(resource_id)
    except ValueError as exc:
        raise CodedError("NOT_FOUND", f"no such {what}", field=field, status=404) from exc
    return "/".join((collection, str(parsed), *rest))


def application_path(application_id: str, *rest: str) -> str:
    """``/v1/applications/{id}/...``; a malformed id is NOT_FOUND."""
    return _resource_path("/v1/applications", application_id, rest, what="application", field="id")


def provider_path(provider_id: str, *rest: str) -> str:
    """``/v1/providers/{id}/...``; a malformed id is NOT_FOUND, as the service says it."""
    return _resource_path("/v1/providers", provider_id, rest, what="provider", field="provider_id")


def certificate_path(certificate_id: str, *rest: str) -> str:
    """``/v1/certificates/{id}/...``; a malformed id is NOT_FOUND, as the service says it."""
    return _resource_path(
        "/v1/certificates", certificate_id, rest, what="certificate", field="certificate_id"
    )


class ServiceClient:
    """Calls one backend on behalf of the caller, turning its error shape into CodedError."""

    def __init__(self, name: str, http: httpx.AsyncClient) -> None:
        self.name = name
        self.http = http

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None,
        request_id: str | None,
        **kwargs: Any,
    ) -> httpx.Response:
        headers: dict[str, str] = dict(kwargs.pop("headers", {}) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        try:
            response = await self.http.request(method, path, headers=headers, **kwargs)
        except httpx.TimeoutException as exc:
            raise CodedError(
                "UPSTREAM_TIMEOUT", f"the {self.name} service did not answer in time", status=504
            ) from exc
        except httpx.TransportError as exc:
            log.warning("backend unreachable", backend=self.name, error=str(exc))
            raise CodedError(
                "UPSTREAM_UNAVAILABLE", f"the {self.name} service is not reachable", status=503
            ) from exc
        if response.is_success:
            return response
        raise self._error_from(response)

    def _error_from(self, response: httpx.Response) -> CodedError:
        try:
            error = response.json()["error"]
            return CodedError(
                str(error["code"]),
                str(error["message"]),
                field=error.get("field"),
                status=response.status_code,
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

    async def get_json(
        self, path: str, *, token: str | None, request_id: str | None, **kwargs: Any
    ) -> Any:
        return (
            await self.request("GET", path, token=token, request_id=request_id, **kwargs)
        ).json()

    async def post_json(
        self, path: str, *, token: str | None, request_id: str | None, **kwargs: Any
    ) -> Any:
        return (
            await self.request("POST", path, token=token, request_id=request_id, **kwargs)
        ).json()


class Backends:
    """Every backend client, created once for the process's life."""

    def __init__(
        self,
        urls: dict[str, str],
        *,
        timeout: float,
        transports: dict[str, httpx.AsyncBaseTransport] | None = None,
    ) -> None:
        transports = transports or {}
        self._http = {
            name: httpx.AsyncClient(base_url=url, timeout=timeout, transport=transports.get(name))
            for name, url in urls.items()
        }
        self.applications = ServiceClient("applications", self._http["applications"])
        self.exams = ServiceClient("exams", self._http["exams"])
        self.supervision = ServiceClient("supervision", self._http["supervision"])

    @property
    def all(self) -> tuple[ServiceClient, ...]:
        return (self.applications, self.exams, self.supervision)

    async def aclose(self) -> None:
        for client in self._http.values():
            await client.aclose()
