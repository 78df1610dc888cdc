"""Structured JSON logs carrying the request id that the gateway passes to the services."""

from __future__ import annotations

import contextlib
import logging
import sys
import uuid

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from certboard_core.tracing import log_trace_id

REQUEST_ID_HEADER = "X-Request-ID"


def configure_logging(
    *, service: str, level: str = "INFO", json: bool = True, traced: bool = False
) -> None:
    """Route stdlib and structlog records through one JSON renderer; ``traced`` adds the
    current trace's id to each line."""
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        *([log_trace_id] if traced else []),
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _add_service(service),
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # One line per outgoing call is noise; failures are logged where they are handled.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # aiosqlite logs every statement with its parameters at DEBUG: answer keys, emails and
    # dates of birth would reach the log whenever LOG_LEVEL=debug.
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        # uvicorn's --no-access-log leaves its access logger with no handler and not
        # propagating; propagating here would log every request anyway (`certboard run`
        # asks for none: a JSON line per request cost more than a status read's own SQL).
        silenced = name == "uvicorn.access" and not logger.propagate and not logger.handlers
        logger.handlers[:] = []
        logger.propagate = not silenced


def _add_service(service: str) -> structlog.types.Processor:
    def add(
        _logger: object, _name: str, event: structlog.types.EventDict
    ) -> structlog.types.EventDict:
        event.setdefault("service", service)
        return event

    return add


def job_context(kind: str) -> contextlib.AbstractContextManager[object]:
    """Bind a fresh ``request_id`` (``<kind>-<hex>``) for work no request started, such as a
    sweep pass: its log lines, audit rows and events carry it as a request's would."""
    return structlog.contextvars.bound_contextvars(request_id=f"{kind}-{uuid.uuid4().hex}")


def _valid_request_id(value: str | None) -> str | None:
    # A caller-supplied id is echoed into logs and headers, so only a short, plain token is kept.
    if value and len(value) <= 128 and value.replace("-", "").replace("_", "").isalnum():
        return value
    return None


class RequestIdMiddleware:
    """Adopt the caller's X-Request-ID (or make one), bind it to every log line, echo it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = dict(scope["headers"]).get(REQUEST_ID_HEADER.lower().encode())
        request_id = _valid_request_id(raw.decode("latin-1") if raw else None) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        bound = structlog.contextvars.bind_contextvars(
            request_id=request_id, method=scope["method"], path=scope["path"]
        )
        await self.app(scope, receive, send_with_id)
        # Not in a ``finally``: an exception escaping the app leaves the id bound, so the
        # server's own "Exception in ASGI application" line (logged afterwards, in this
        # request's task) still names the request.
        structlog.contextvars.reset_contextvars(**bound)
