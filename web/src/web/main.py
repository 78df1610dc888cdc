"""The web console: ``uvicorn --factory web.main:create_app``.

Server-rendered pages over the gateway's GraphQL; it holds no rule and reads no database.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from certboard_core.logging import RequestIdMiddleware, configure_logging
from certboard_core.metrics import install_metrics
from certboard_core.tracing import shutdown, trace_app, trace_client, tracer_provider
from web.auth.oidc import ProviderSignIn
from web.auth.session import SessionExpiryMiddleware
from web.config import Settings, get_settings
from web.gateway import Gateway, GatewayUnavailable
from web.limits import BodyLimitMiddleware
from web.pages import (
    account,
    applicant,
    employer,
    peer,
    provider_signin,
    public,
    signin,
    staff,
    supervisor,
    supervisor_actions,
    supervisor_record,
)
from web.render import page
from web.security import CsrfRefused, SecurityHeadersMiddleware, content_security_policy

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "certboard_session"


def create_app(
    settings: Settings | None = None,
    *,
    gateway_transport: httpx.AsyncBaseTransport | None = None,
    tracing: TracerProvider | None = None,
) -> FastAPI:
    """Build the console; ``gateway_transport`` lets tests wire it to an in-process gateway,
    and ``tracing`` replaces the tracer provider the settings would make."""
    settings = settings or get_settings()
    provider = tracing or tracer_provider(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(
            service="web",
            level=settings.log_level,
            json=settings.log_json,
            traced=provider is not None,
        )
        app.state.gateway = Gateway(
            settings.gateway_url,
            timeout=settings.http_timeout_seconds,
            transport=gateway_transport,
        )
        trace_client(app.state.gateway.client, provider)
        try:
            yield
        finally:
            await app.state.gateway.aclose()
            await shutdown(provider)

    app = FastAPI(
        title="certboard web console",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    provider_sign_in = ProviderSignIn(settings) if settings.oidc_issuer is not None else None
    app.state.provider_sign_in = provider_sign_in
    # Both added before the session middleware, so they run inside it: the expiry check reads
    # (and renews) the session, and the body limit's refusal page is in its language.
    app.add_middleware(SessionExpiryMiddleware, provider=provider_sign_in)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    # Starlette's session cookie is signed (itsdangerous), HttpOnly always, SameSite=Lax, and
    # Secure in production (served over HTTPS there). Lax, not Strict: the provider's redirect
    # back to /auth/callback is a top-level navigation from its site, and must carry it.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_key(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.is_production,
    )
    # Signing out goes on to the provider's end_session_endpoint: a form's redirect that the
    # browser checks against form-action.
    app.add_middleware(
        SecurityHeadersMiddleware,
        policy=content_security_policy(provider=settings.oidc_issuer),
    )
    app.add_middleware(RequestIdMiddleware)
    install_metrics(app, settings)
    trace_app(app, provider)
    install_error_pages(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(public.router)
    app.include_router(account.router)
    app.include_router(applicant.router)
    app.include_router(staff.router)
    app.include_router(employer.router)
    app.include_router(supervisor.router)
    app.include_router(supervisor_actions.router)
    app.include_router(supervisor_record.router)
    app.include_router(peer.router)
    app.include_router(peer.forms)
    if provider_sign_in is not None:
        app.include_router(provider_signin.router)
    elif settings.dev_sign_in:
        app.include_router(signin.router)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        # Ready once the gateway is: a console that cannot reach it can only show errors.
        if await request.app.state.gateway.ready():
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "gateway unavailable"}, status_code=503)

    return app


def install_error_pages(app: FastAPI) -> None:
    """Refusals as pages in words: a failed CSRF check, a missing page, the gateway down."""

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _exc: CsrfRefused) -> HTMLResponse:
        return page(request, "error.html", status_code=403, message="error.csrf")

    @app.exception_handler(GatewayUnavailable)
    async def gateway_down(request: Request, _exc: GatewayUnavailable) -> HTMLResponse:
        return page(request, "error.html", status_code=503, message="error.gateway")

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, _exc: RequestValidationError) -> HTMLResponse:
        # A value no form of ours sends (a field past its length, a missing one).
        return page(request, "error.html", status_code=422, message="error.bad_request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return page(request, "error.html", status_code=404, message="error.not_found")
        if exc.status_code == 413:
            return page(request, "error.html", status_code=413, message="error.too_large")
        return HTMLResponse(str(exc.detail), status_code=exc.status_code, headers=exc.headers)
