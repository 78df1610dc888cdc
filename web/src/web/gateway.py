"""The one way the web console learns anything: GraphQL operations sent to the gateway."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog

from certboard_core.transport import internal_transport

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Reason:
    """One unmet condition of a refusal that lists several (``extensions.reasons``)."""

    code: str
    message: str


@dataclass(frozen=True)
class GraphQLError:
    """One error of an answer: its stable code, the field at fault, the gateway's words and
    the unmet conditions it lists, if any."""

    code: str
    message: str
    field: str | None = None
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Answer:
    data: dict[str, Any] | None
    errors: list[GraphQLError] = field(default_factory=list)

    def code(self) -> str | None:
        """The first error's code, if any."""
        return self.errors[0].code if self.errors else None


# A file sent with an operation: its name, its bytes and its content type.
Upload = tuple[str, bytes, str]


class GatewayUnavailable(Exception):
    """The gateway could not be reached or did not answer in GraphQL."""


class Gateway:
    """One long-lived client for the process's life (a client per request is much slower)."""

    def __init__(
        self, url: str, *, timeout: float, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.client = httpx.AsyncClient(
            base_url=url, timeout=timeout, transport=transport or internal_transport(16)
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def ready(self) -> bool:
        """Whether the gateway says it is ready (it checks its services in turn)."""
        try:
            return (await self.client.get("/readyz")).is_success
        except httpx.HTTPError:
            return False

    async def query(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        request_id: str | None = None,
        files: dict[str, Upload] | None = None,
    ) -> Answer:
        """Send one operation; the token goes in the Authorization header, never the URL.

        ``files`` maps variable paths (``variables.input.diploma``) to uploads: the operation
        then goes as a GraphQL multipart request, each path's variable left null."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if request_id:
            headers["X-Request-ID"] = request_id
        operation = {"query": document, "variables": variables or {}}
        try:
            if files:
                paths = dict(enumerate(files))
                response = await self.client.post(
                    "/graphql",
                    data={
                        "operations": json.dumps(operation),
                        "map": json.dumps({str(i): [path] for i, path in paths.items()}),
                    },
                    files={str(i): files[path] for i, path in paths.items()},
                    headers=headers,
                )
            else:
                response = await self.client.post("/graphql", json=operation, headers=headers)
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("gateway unreachable", error=type(exc).__name__)
            raise GatewayUnavailable(str(type(exc).__name__)) from exc
        if not isinstance(body, dict) or ("data" not in body and "errors" not in body):
            raise GatewayUnavailable(f"status {response.status_code}")
        errors = [_error(e) for e in body.get("errors") or []]
        return Answer(data=body.get("data"), errors=errors)

    async def document(
        self, path: str, *, token: str, request_id: str | None = None
    ) -> tuple[int, str, bytes]:
        """A file the gateway relays (``/documents/...``): its status, content type and bytes."""
        headers = {"Authorization": f"Bearer {token}"}
        if request_id:
            headers["X-Request-ID"] = request_id
        try:
            response = await self.client.get(path, headers=headers)
        except httpx.HTTPError as exc:
            log.warning("gateway unreachable", error=type(exc).__name__)
            raise GatewayUnavailable(str(type(exc).__name__)) from exc
        kind = response.headers.get("content-type", "").split(";")[0].strip()
        return response.status_code, kind, response.content


def _error(error: dict[str, Any]) -> GraphQLError:
    extensions = error.get("extensions") or {}
    return GraphQLError(
        code=str(extensions.get("code", "INTERNAL")),
        message=str(error.get("message", "")),
        field=extensions.get("field"),
        reasons=tuple(
            Reason(code=str(r.get("code")), message=str(r.get("message", "")))
            for r in extensions.get("reasons") or []
        ),
    )
