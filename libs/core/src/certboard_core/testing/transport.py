"""Route a client's requests to in-process ASGI apps by host name, as the network would."""

from __future__ import annotations

import httpx


class RoutingTransport(httpx.AsyncBaseTransport):
    """``http://exams/...`` goes to the ``exams`` app; an unknown host fails like a dead peer."""

    def __init__(self, routes: dict[str, httpx.AsyncBaseTransport]) -> None:
        self.routes = routes

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self.routes.get(request.url.host)
        if transport is None:
            raise httpx.ConnectError(f"no route to {request.url.host}", request=request)
        return await transport.handle_async_request(request)
