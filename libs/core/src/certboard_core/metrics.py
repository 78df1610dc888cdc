"""Prometheus metrics: one registry per process, requests timed by route, served at /metrics.

Each app owns its registry (``Metrics``), so the processes that tests run side by side in one
interpreter keep their own figures. Per request the middleware does the least it can: one
histogram observation on a label child cached by (method, route, status). Its ``_count``
series is the request count, so no separate counter is kept. The route label is the route's
template (``/v1/applications/{application_id}``), never the raw path, and anything unrouted is
``unmatched``: label values stay a small, fixed set whatever callers send.

Figures read from the database (the outbox backlog, the work queues) are refreshed when
Prometheus scrapes, at most once per ``metrics_refresh_seconds`` whoever asks, so an idle
process queries nothing and many scrapers cost no more than one.
"""

from __future__ import annotations

import asyncio
import hmac
import time
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.routing import iter_route_contexts
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from certboard_core.settings import ProcessSettings

log = structlog.get_logger(__name__)

METRICS_PATH = "/metrics"
# Seconds; most answers take milliseconds, a slow backend or a large upload up to seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Anything else a client sends as a method is counted as "other" (label values stay bounded).
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"

Refresh = Callable[[], Awaitable[None]]


class Metrics:
    """One process's registry, its request histogram, and the figures refreshed on scrape."""

    def __init__(self, *, refresh_seconds: float = 15.0) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self.requests = Histogram(
            "certboard_http_request_duration_seconds",
            "HTTP requests answered, by method, route template and status (seconds to answer).",
            ("method", "route", "status"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._refreshes: list[Refresh] = []
        self._refresh_seconds = refresh_seconds
        self._refreshed_at: float | None = None
        self._refreshing = asyncio.Lock()

    def on_scrape(self, refresh: Refresh) -> None:
        """Run ``refresh`` before a scrape is answered (at most once per refresh interval)."""
        self._refreshes.append(refresh)

    async def refresh(self) -> None:
        """Bring the scrape-time figures up to date unless they were within the interval."""
        async with self._refreshing:
            now = time.monotonic()
            if self._refreshed_at is not None and now - self._refreshed_at < self._refresh_seconds:
                return
            for refresh in self._refreshes:
                try:
                    await refresh()
                except Exception:
                    # The request figures still go out; the stale gauges keep their last value.
                    log.exception(
                        "a metrics refresh failed", refresh=getattr(refresh, "__name__", "")
                    )
            self._refreshed_at = time.monotonic()

    async def render(self) -> bytes:
        """The exposition text of everything in the registry, refreshed first."""
        await self.refresh()
        return generate_latest(self.registry)


class RequestMetricsMiddleware:
    """Times every HTTP request into the app's request histogram (pure ASGI, no body work)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.histogram = metrics.requests
        self._children: dict[tuple[str, str, int], Any] = {}
        # Route object (by id) -> its full template, made on the first request (all routes are
        # in place by then). FastAPI leaves the route it chose in the scope, but a route of an
        # included router knows its path without the router's prefix.
        self._templates: dict[int, str] | None = None

    def _template(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is None:
            return UNMATCHED
        if self._templates is None:
            self._templates = {
                id(context.original_route): context.path
                for context in iter_route_contexts(scope["app"].routes)
                if context.path
            }
        return self._templates.get(id(route)) or getattr(route, "path", None) or UNMATCHED

    def _child(self, method: str, route: str, status: int) -> Any:
        key = (method, route, status)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self.histogram.labels(method, route, str(status))
        return child

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "other"
            self._child(method, self._template(scope), status).observe(
                time.perf_counter() - started
            )


def serve_metrics(app: FastAPI, metrics: Metrics, token: str | None) -> None:
    """``GET /metrics``; with ``token`` set, only for a caller presenting it as a bearer token.
    A route of the app itself, beside its docs, never in its OpenAPI."""
    expected = f"Bearer {token}".encode() if token else None

    @app.get(METRICS_PATH, include_in_schema=False)
    async def scrape(request: Request) -> Response:
        """The process's metrics in Prometheus's text format."""
        if expected is not None:
            given = request.headers.get("authorization", "").encode()
            if not hmac.compare_digest(given, expected):
                # Plain, not the REST error shape: the web console renders no such errors.
                return Response("the metrics token is needed\n", status_code=401)
        return Response(await metrics.render(), media_type=CONTENT_TYPE_LATEST)


def install_metrics(app: FastAPI, settings: ProcessSettings) -> Metrics | None:
    """Serve /metrics and time every request, as the settings allow; the app's ``Metrics``
    (also ``app.state.metrics``), or None when metrics are off. Call it after adding the app's
    other middleware, so that the timing wraps them all and sees their refusals too."""
    app.state.metrics = None
    if not settings.metrics_enabled:
        return None
    metrics = Metrics(refresh_seconds=settings.metrics_refresh_seconds)
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    serve_metrics(app, metrics, token)
    app.add_middleware(RequestMetricsMiddleware, metrics=metrics)
    app.state.metrics = metrics
    return metrics
