"""The GraphQL endpoint: strawberry's router with certboard's error codes on every error."""

from __future__ import annotations

import json
from typing import Any, cast

import strawberry
from cross_web import AsyncHTTPRequestAdapter, FormData, StarletteRequestAdapter
from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult

from certboard_core.errors import DomainError, PayloadTooLarge
from gateway.config import Settings
from gateway.context import GatewayContext, get_context
from gateway.errors import code_for_unlabelled
from gateway.ide import ide_page
from gateway.metrics import GraphQLMetrics

_STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


class QueryTooLarge(PayloadTooLarge):
    """The query text is over ``max_query_bytes``: refused before graphql-core reads it."""

    code = "QUERY_TOO_LARGE"


class BatchNotAccepted(DomainError):
    """An array of operations: one operation per request is what the gateway answers."""

    code = "BATCHING_NOT_SUPPORTED"


class _LimitedFormRequest(StarletteRequestAdapter):
    """Reads GraphQL multipart bodies with the gateway's limits, refusing extra parts early."""

    async def get_form_data(self) -> FormData:
        settings: Settings = self._request.app.state.settings
        form = await self._request.form(
            max_files=settings.max_upload_files,
            # The spec's `operations` and `map`; anything else is a file part or refused.
            max_fields=2,
            # Text parts are bounded by the body cap; the query in them by its own cap.
            max_part_size=settings.max_request_bytes,
        )
        return FormData(files=form, form=form)


class CertboardGraphQLRouter(GraphQLRouter[GatewayContext, None]):
    """POST-only GraphQL with the gateway's request limits and a code on every error."""

    request_adapter_class = _LimitedFormRequest

    def __init__(self, schema: strawberry.Schema, settings: Settings) -> None:
        super().__init__(
            schema,
            context_getter=get_context,
            graphql_ide="graphiql" if settings.graphiql_enabled else None,
            # Reads by GET can be cached or prefetched by browsers; this API is POST only.
            allow_queries_via_get=False,
            multipart_uploads_enabled=True,
        )
        self.max_query_bytes = settings.max_query_bytes

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """GraphiQL from the gateway's own files (``ide.py``), never a CDN's."""
        return ide_page()

    def decode_json(self, data: str | bytes) -> object:
        """JSON from a body or a multipart part; an array of operations (a batch) is refused."""
        decoded = super().decode_json(data)
        if isinstance(decoded, list):
            raise BatchNotAccepted("send one operation per request: batches are not accepted")
        return decoded

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The operation sent, refused before it is parsed if its query text is too large."""
        data = await super().parse_http_body(request)
        for operation in data if isinstance(data, list) else [data]:
            query = operation.query or ""
            # Characters first: a huge query is refused without encoding it.
            if len(query) > self.max_query_bytes or len(query.encode()) > self.max_query_bytes:
                raise QueryTooLarge(
                    f"the GraphQL query is larger than {self.max_query_bytes} bytes"
                )
        return data

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        errors = cast(list[dict[str, Any]], response.get("errors") or [])
        for error in errors:
            extensions = error.setdefault("extensions", {})
            extensions.setdefault("code", code_for_unlabelled(error))
        return response


def _as_graphql_error(status: int, content_type: str, body: bytes) -> dict[str, Any]:
    error: dict[str, Any] = {
        "message": body.decode("utf-8", "replace").strip() or "request refused",
        "extensions": {"code": _STATUS_CODES.get(status, "INTERNAL"), "status": status},
    }
    if content_type.startswith("application/json"):
        try:
            detail = json.loads(body)["error"]
            error["message"] = detail["message"]
            error["extensions"]["code"] = detail["code"]
            if detail.get("field"):
                error["extensions"]["field"] = detail["field"]
        except (ValueError, KeyError, TypeError):
            pass
    return error


class GraphQLErrorShapeMiddleware:
    """Answers refused GraphQL requests (bad JSON, bad token, too large) as GraphQL errors.

    Such refusals happen before GraphQL runs, so strawberry and the HTTP layer answer them
    in plain text or the REST error shape; GraphQL clients expect ``errors[].extensions.code``.
    """

    def __init__(self, app: ASGIApp, path: str) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and message["status"] >= 400:
                start = message
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            headers = {k.lower(): v for k, v in start.get("headers", [])}
            content_type = headers.get(b"content-type", b"").decode()
            if content_type.startswith("text/html"):
                await send(start)
                await send({"type": "http.response.body", "body": b"".join(chunks)})
                return
            error = _as_graphql_error(start["status"], content_type, b"".join(chunks))
            metrics: GraphQLMetrics | None = scope["app"].state.graphql_metrics
            if metrics is not None:
                metrics.refused(error["extensions"]["code"])
            body = json.dumps({"data": None, "errors": [error]}).encode()
            kept = [
                (k, v)
                for k, v in start.get("headers", [])
                if k.lower() not in (b"content-type", b"content-length")
            ]
            await send(
                {
                    "type": "http.response.start",
                    "status": start["status"],
                    "headers": [
                        *kept,
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)
