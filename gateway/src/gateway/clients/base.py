"""What every backend client does: calls bound to one caller, ids checked, the test clock."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from certboard_core.internal import ClockUpdate
from gateway.clients.transport import ServiceClient
from gateway.errors import CodedError

# A document as httpx sends it in a multipart form: file name, content, content type.
FilePart = tuple[str, bytes, str]


def parse_id(value: str, *, what: str, field: str) -> uuid.UUID:
    """A resource id from a caller; a malformed one is NOT_FOUND, as the services say it."""
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise CodedError("NOT_FOUND", f"no such {what}", field=field, status=404) from exc


def wire_values(**values: Any) -> dict[str, Any]:
    """Query or form values without the unset ones; booleans and dates as REST strings."""
    params: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = str(value).lower()
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        params[name] = value
    return params


class BackendClient:
    """One backend for one request: the caller's token and request id go with every call."""

    def __init__(
        self,
        transport: ServiceClient,
        *,
        token: str | None,
        request_id: str | None,
        client: str | None = None,
    ) -> None:
        self._transport = transport
        self._token = token
        self._request_id = request_id
        self._client = client

    @property
    def name(self) -> str:
        """The backend's name, as errors and reports show it."""
        return self._transport.name

    async def _call(
        self, method: str, path: str, *, anonymous: bool = False, **kwargs: Any
    ) -> httpx.Response:
        token = None if anonymous else self._token
        return await self._transport.request(
            method, path, token=token, request_id=self._request_id, client=self._client, **kwargs
        )

    async def _get(self, path: str, **params: Any) -> Any:
        return (await self._call("GET", path, params=wire_values(**params))).json()

    async def _page(self, path: str, *, first: int, **params: Any) -> dict[str, Any]:
        """One page of a list; a page size the backend refuses is named as GraphQL names it."""
        try:
            page: dict[str, Any] = await self._get(path, limit=first, **params)
        except CodedError as exc:
            if exc.field != "limit":
                raise
            raise CodedError(exc.code, str(exc), field="first", status=exc.status) from exc
        return page

    async def _post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return (await self._call("POST", path, json=body)).json()

    async def document(self, path: str) -> tuple[str, bytes]:
        """A stored file's content type (as the service sniffed it on upload) and bytes."""
        response = await self._call("GET", path)
        return response.headers.get("content-type", "").split(";")[0].strip(), response.content

    async def check_ready(self) -> None:
        """Raise CodedError unless the backend says it is ready."""
        await self._call("GET", "/readyz", anonymous=True)

    async def move_test_clock(self, update: ClockUpdate) -> dict[str, Any]:
        """Set, advance or reset this backend's test clock; answers its clock now."""
        body = update.model_dump(mode="json", exclude_none=True)
        clock: dict[str, Any] = (await self._call("PUT", "/internal/test-clock", json=body)).json()
        return clock
