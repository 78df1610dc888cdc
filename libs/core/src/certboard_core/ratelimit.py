"""Rate limits: per client address on public routes and refused tokens, per provider on uploads.

Counting is the ``limits`` library's fixed window over a storage named by URI: this process's
memory by default, so each replica counts on its own (replicas share counters through a store
such as Redis, ``CERTBOARD_RATE_LIMIT_STORAGE_URI``). Windows run on real time, never on the
test clock. A refused request is ``429 RATE_LIMITED`` with ``Retry-After``, the seconds until
its window resets.

A route opts in with one line, ``dependencies=[PER_CLIENT]`` for a public route (policy
today; verification, complaint filing and sign-in when they exist) or
``dependencies=[PER_PROVIDER]`` for uploads, and declares its 429 with
``error_responses(RateLimited)`` (``AUTHENTICATED`` already does). Every request refused for
its token counts against its client's address (``install_rate_limits``), so guessing tokens
soon meets 429s. Health and readiness take no part.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from enum import StrEnum

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from limits import parse
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.storage import storage_from_string
from starlette.requests import HTTPConnection

from certboard_core.auth import CurrentPrincipal
from certboard_core.errors import NotAuthenticated, RateLimited, render_error
from certboard_core.settings import ProcessSettings


class LimitClass(StrEnum):
    """What a request is counted as, each class with its own limit."""

    PUBLIC = "public"
    UNAUTHENTICATED = "unauthenticated"
    UPLOADS = "uploads"


WallClock = Callable[[], float]


class RateLimiter:
    """Counts requests per (class, key) in fixed windows and refuses those past the limit."""

    def __init__(
        self,
        limits: Mapping[LimitClass, str],
        *,
        storage: Storage,
        enabled: bool = True,
        now: WallClock = time.time,
    ) -> None:
        self.enabled = enabled
        self._limits = {kind: parse(value) for kind, value in limits.items()}
        self._strategy = FixedWindowRateLimiter(storage)
        # The storage's own clock: window resets are reported in its seconds since the epoch.
        self._now = now

    @classmethod
    def from_settings(cls, settings: ProcessSettings) -> RateLimiter:
        """The limiter a process's settings describe."""
        storage = storage_from_string(settings.rate_limit_storage_uri)
        if not isinstance(storage, Storage):
            raise ValueError(
                "CERTBOARD_RATE_LIMIT_STORAGE_URI must name an asyncio storage "
                f"(async+memory://, async+redis://...), not {settings.rate_limit_storage_uri!r}"
            )
        limits = {
            LimitClass.PUBLIC: settings.rate_limit_public,
            LimitClass.UNAUTHENTICATED: settings.rate_limit_unauthenticated,
            LimitClass.UPLOADS: settings.rate_limit_uploads,
        }
        return cls(limits, storage=storage, enabled=bool(settings.rate_limits_enabled))

    async def hit(self, kind: LimitClass, key: str) -> None:
        """Count one request of ``key``; raise RateLimited once its class's limit is spent."""
        if not self.enabled:
            return
        limit = self._limits[kind]
        if await self._strategy.hit(limit, kind.value, key):
            return
        reset_at, _remaining = await self._strategy.get_window_stats(limit, kind.value, key)
        wait = max(1, math.ceil(reset_at - self._now()))
        raise RateLimited(
            f"too many requests (at most {limit}); try again in {wait} s", retry_after=wait
        )


# Dependencies take the connection, not the request, so they serve websocket routes as well.
def limiter_of(connection: HTTPConnection) -> RateLimiter:
    """The process's limiter."""
    limiter: RateLimiter = connection.app.state.rate_limiter
    return limiter


def client_address(connection: HTTPConnection) -> str:
    """The caller's address; behind a proxy, the one uvicorn's ``--proxy-headers`` gives."""
    return connection.client.host if connection.client else "unknown"


async def per_client(connection: HTTPConnection) -> None:
    """Count the request against its client address's public limit."""
    await limiter_of(connection).hit(LimitClass.PUBLIC, client_address(connection))


async def per_anonymous_client(connection: HTTPConnection) -> None:
    """Count a request that carries no token against its client address's public limit."""
    if "authorization" not in connection.headers:
        await per_client(connection)


async def per_provider(connection: HTTPConnection, principal: CurrentPrincipal) -> None:
    """Count the request against the calling provider's upload limit."""
    key = principal.provider_id or f"subject:{principal.subject}"
    await limiter_of(connection).hit(LimitClass.UPLOADS, key)


PER_CLIENT = Depends(per_client)
ANONYMOUS_PER_CLIENT = Depends(per_anonymous_client)
PER_PROVIDER = Depends(per_provider)


async def _refused_token(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotAuthenticated)
    try:
        await limiter_of(request).hit(LimitClass.UNAUTHENTICATED, client_address(request))
    except RateLimited as limited:
        return render_error(request, limited)
    return render_error(request, exc)


def install_rate_limits(app: FastAPI, settings: ProcessSettings) -> None:
    """Give the app its limiter, and count every request refused for its token (401) against
    the client's address: past the limit the answer is 429 instead."""
    app.state.rate_limiter = RateLimiter.from_settings(settings)
    app.add_exception_handler(NotAuthenticated, _refused_token)
