"""One error shape for every service: a stable code, a message for people, the field at fault."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

log = structlog.get_logger(__name__)


class ErrorReason(BaseModel):
    """One of several reasons a request was refused (every unmet condition, not the first)."""

    code: str
    message: str
    field: str | None = None


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    request_id: str | None = None
    # Only on refusals that list several reasons; absent (not null) everywhere else.
    reasons: list[ErrorReason] | None = None


class ErrorResponse(BaseModel):
    error: ErrorDetail


class DomainError(Exception):
    """An expected failure: it carries its HTTP status and a code clients can rely on."""

    status_code = 400
    code = "BAD_REQUEST"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        reasons: Sequence[ErrorReason] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.reasons = list(reasons)
        if code is not None:
            self.code = code

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries besides the body."""
        return {}


class NotAuthenticated(DomainError):
    status_code = 401
    code = "UNAUTHENTICATED"

    @property
    def headers(self) -> dict[str, str]:
        """Tells the client which scheme to authenticate with."""
        return {"WWW-Authenticate": "Bearer"}


class Forbidden(DomainError):
    status_code = 403
    code = "FORBIDDEN"


class NotFound(DomainError):
    status_code = 404
    code = "NOT_FOUND"


class Conflict(DomainError):
    status_code = 409
    code = "CONFLICT"


class PayloadTooLarge(DomainError):
    status_code = 413
    code = "PAYLOAD_TOO_LARGE"


class UnsupportedMediaType(DomainError):
    status_code = 415
    code = "UNSUPPORTED_MEDIA_TYPE"


class InvalidInput(DomainError):
    """Well-formed input that breaks a rule (an under-age date of birth, a missing attestation)."""

    status_code = 422
    code = "INVALID_INPUT"


class MalformedBody(DomainError):
    """A body that cannot be read at all: not JSON where JSON is declared, a broken form."""

    status_code = 400
    code = "MALFORMED_BODY"


class ValidationFailed(DomainError):
    """A payload, query or path parameter that is not of the declared shape (FastAPI's 422)."""

    status_code = 422
    code = "VALIDATION_ERROR"


class RateLimited(DomainError):
    """Too many requests from one client (or provider) in a window; retry after the window."""

    status_code = 429
    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        """The seconds until the window resets, as ``Retry-After``."""
        return {"Retry-After": str(self.retry_after)}


class UpstreamUnavailable(DomainError):
    status_code = 503
    code = "UPSTREAM_UNAVAILABLE"


_HTTP_CODES = {
    # Routes raise domain errors; a bare 400 comes from the body parser (a broken multipart).
    400: MalformedBody.code,
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _render(
    request: Request,
    status: int,
    code: str,
    message: str,
    field: str | None,
    headers: Mapping[str, str] | None = None,
    reasons: Sequence[ErrorReason] = (),
) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None)
    detail = ErrorDetail(
        code=code,
        message=message,
        field=field,
        request_id=request_id,
        reasons=list(reasons) or None,
    )
    body = ErrorResponse(error=detail).model_dump()
    if detail.reasons is None:
        del body["error"]["reasons"]  # every other error keeps the shape it always had
    headers = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    return JSONResponse(body, status_code=status, headers=headers)


def render_error(request: Request, exc: DomainError) -> JSONResponse:
    """The one error shape for ``exc``, with the headers (and reasons) it carries."""
    return _render(
        request, exc.status_code, exc.code, exc.message, exc.field, exc.headers, exc.reasons
    )


def _field_of(loc: Sequence[Any]) -> str | None:
    # FastAPI prefixes the part of the request ("body", "query"); clients want the field path.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or None


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return render_error(request, exc)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    if first.get("type") == "json_invalid":
        # Unreadable, not misshapen: FastAPI's location is a character offset, no field.
        return _render(
            request,
            MalformedBody.status_code,
            MalformedBody.code,
            "the body is not valid JSON",
            None,
        )
    field = _field_of(first.get("loc", ()))
    message = str(first.get("msg", "invalid request"))
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem(s))"
    return _render(request, ValidationFailed.status_code, ValidationFailed.code, message, field)


def _allowed_methods(request: Request) -> str:
    # Starlette names only the first route that matched the path, so a path served by two
    # routes (GET and PUT) would advertise one method: ask every route about every method.
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "HTTP_ERROR")
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return _render(request, exc.status_code, code, str(exc.detail), None, headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", path=request.url.path)
    return _render(
        request, 500, "INTERNAL", "an unexpected error occurred; it has been logged", None
    )


def install_error_handlers(app: FastAPI) -> None:
    """Render every failure in the one shape; unexpected ones are logged and masked."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


def error_responses(*errors: type[DomainError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the errors a route can really give: one entry per status,
    naming the codes it carries (``responses=error_responses(NotFound, VersionConflict)``)."""
    codes: dict[int, list[str]] = {}
    for error in errors:
        listed = codes.setdefault(error.status_code, [])
        if error.code not in listed:
            listed.append(error.code)
    return {
        status: {"model": ErrorResponse, "description": " or ".join(names)}
        for status, names in sorted(codes.items())
    }


# What every route behind a bearer token can answer, whatever it does: refused tokens count
# against the client's address, so any of them can also be 429 (``certboard_core.ratelimit``).
AUTHENTICATED = (NotAuthenticated, Forbidden, ValidationFailed, RateLimited)


def declare_body_errors(app: FastAPI) -> None:
    """Declare in OpenAPI the 400 of an unreadable body on every operation that takes one, as
    FastAPI declares its 422: the body parser answers it before any route's code runs."""
    generate = app.openapi
    status, declared = next(iter(error_responses(MalformedBody).items()))
    response = {
        "description": declared["description"],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }

    def openapi() -> dict[str, Any]:
        schema = generate()
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                if "requestBody" in operation:
                    operation["responses"].setdefault(str(status), response)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
