"""The transport of every long-lived call between certboard's own processes (the gateway to
each service, the web console to the gateway): httpx's interface over aiohttp's connections.

httpx's own connection pool (httpcore, h11 and anyio, all in Python) cost the gateway about a
third of its CPU per status query, more than the GraphQL execution. Through ``httpx_aiohttp``
the calls keep httpx's interface (and tests keep wiring processes to in-process apps with
httpx transports) while aiohttp's pool and its C-accelerated HTTP parser carry them, at about
a fourth of the CPU per call.
"""

from __future__ import annotations

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

# Idle connections close before the other side's (uvicorn's 5 s keep-alive), so no request is
# sent on a connection the server is closing.
KEEPALIVE_SECONDS = 4.0


def internal_transport(connections: int) -> httpx.AsyncBaseTransport:
    """``connections`` at most to one process, every one kept alive while in use."""
    return AiohttpTransport(
        limits=httpx.Limits(
            max_connections=connections,
            max_keepalive_connections=connections,
            keepalive_expiry=KEEPALIVE_SECONDS,
        )
    )


def unreachable(exc: BaseException) -> bool:
    """Whether a timeout ``exc`` is really a refused or dropped connection: httpx_aiohttp
    reports every aiohttp connection error as a ConnectTimeout."""
    cause = exc.__cause__
    return isinstance(cause, aiohttp.ClientConnectionError) and not isinstance(cause, TimeoutError)
