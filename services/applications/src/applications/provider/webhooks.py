"""Signing of webhook calls to providers, and the guard that keeps them off internal hosts.

How a provider verifies a call: read the ``X-Certboard-Signature`` header, which looks like
``t=1767225600,v1=5f0c...``; compute the HMAC-SHA256, keyed with the webhook secret shown
once when the provider was approved, of the bytes ``f"{t}."`` followed by the raw request
body (before any JSON parsing); compare it with ``v1`` in constant time; and refuse the call
when ``t`` is more than five minutes away from the current time, which stops replays.
``verify`` below does exactly this and is the reference.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import socket
import time
from urllib.parse import urlsplit, urlunsplit

import httpx

from certboard_core.errors import InvalidInput
from certboard_core.outbox import EventEnvelope

SECRET_PREFIX = "whsec_"
SIGNATURE_HEADER = "X-Certboard-Signature"
DEFAULT_TOLERANCE_SECONDS = 300
RESOLVE_TIMEOUT_SECONDS = 5.0

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_FIELD = "webhook_url"


def new_secret() -> str:
    """A fresh webhook signing secret."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _digest(secret: str, body: bytes, timestamp: int) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    return f"t={timestamp},v1={_digest(secret, body, timestamp)}"


def verify(
    secret: str,
    body: bytes,
    header: str,
    now: int,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` and was made within the tolerance."""
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            return False
        if name == "t":
            if timestamp is not None or not value.isascii() or not value.isdigit():
                return False
            timestamp = int(value)
        elif name == "v1":
            if not _HEX_DIGEST.fullmatch(value):
                return False
            candidates.append(value)
        # Other schemes are ignored, so a future v2 can be sent alongside v1.
    if timestamp is None or not candidates or abs(now - timestamp) > tolerance_seconds:
        return False
    expected = _digest(secret, body, timestamp).encode()
    # Several v1 values are allowed (Stripe does the same) so a secret can be rotated.
    matches = [hmac.compare_digest(expected, c.encode()) for c in candidates]
    return any(matches)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    # An IPv6 address can carry an IPv4 one that the network stack or a gateway will reach.
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _refusal(address: IPAddress, *, allow_loopback: bool) -> str | None:
    """Why a webhook must not be sent to ``address``, or None when it may."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        address = embedded
    if address.is_loopback:
        return None if allow_loopback else "loopback"
    if address.is_unspecified:
        return "unspecified"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    if not address.is_global:  # shared address space (100.64.0.0/10) and the like
        return "non-public"
    return None


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def _resolve(host: str, port: int) -> list[IPAddress]:
    literal = _literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(RESOLVE_TIMEOUT_SECONDS):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, TimeoutError, UnicodeError) as exc:
        raise InvalidInput(f"the webhook host {host!r} does not resolve", field=_FIELD) from exc
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise InvalidInput(f"the webhook host {host!r} does not resolve", field=_FIELD)
    return addresses


def _parse(url: str, *, allow_loopback: bool) -> tuple[str, str, int, str]:
    """Scheme, host, port and normalized URL; refuses what needs no DNS to refuse."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise InvalidInput("the webhook URL is malformed", field=_FIELD) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidInput("the webhook URL must use https", field=_FIELD)
    if scheme == "http" and not allow_loopback:
        raise InvalidInput("the webhook URL must use https", field=_FIELD)
    if "@" in parts.netloc:
        raise InvalidInput("the webhook URL must not contain a user or password", field=_FIELD)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidInput("the webhook URL has no host", field=_FIELD)
    literal = _literal(host)
    if literal is None:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise InvalidInput("the webhook host name is invalid", field=_FIELD) from exc
    netloc = f"[{literal.compressed}]" if isinstance(literal, ipaddress.IPv6Address) else host
    if port is not None:
        netloc += f":{port}"
    normalized = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    return scheme, host, port or (443 if scheme == "https" else 80), normalized


async def check_webhook_url(url: str, *, allow_loopback: bool) -> str:
    """The normalized webhook URL, or InvalidInput when it could reach an internal host.

    Only https is accepted; plain http only when ``allow_loopback`` (development and tests)
    and the host resolves to loopback addresses alone.
    """
    scheme, host, port, normalized = _parse(url, allow_loopback=allow_loopback)
    addresses = await _resolve(host, port)
    for address in addresses:
        reason = _refusal(address, allow_loopback=allow_loopback)
        if reason is not None:
            raise InvalidInput(
                f"the webhook host {host!r} resolves to a {reason} address ({address})",
                field=_FIELD,
            )
    if scheme == "http" and not all(_is_loopback(a) for a in addresses):
        raise InvalidInput("the webhook URL must use https", field=_FIELD)
    return normalized


async def optional_webhook_url(url: str | None, *, allow_loopback: bool) -> str | None:
    """``check_webhook_url`` of a URL that may be absent (a webhook is optional)."""
    return await check_webhook_url(url, allow_loopback=allow_loopback) if url else None


async def webhook_changes(
    url: str | None, clear: bool, *, allow_loopback: bool
) -> dict[str, str | None]:
    """The ``webhook_url`` an update sets: cleared, replaced (checked) or left alone (none)."""
    if clear:
        return {"webhook_url": None}
    if url is not None:
        return {"webhook_url": await check_webhook_url(url, allow_loopback=allow_loopback)}
    return {}


def _is_loopback(address: IPAddress) -> bool:
    embedded = _embedded_ipv4(address)
    return (embedded or address).is_loopback


async def post_signed(
    client: httpx.AsyncClient, url: str, secret: str, event: EventEnvelope, *, allow_loopback: bool
) -> None:
    """POST ``event`` to ``url`` signed with ``secret`` (the header the module's docstring
    describes), after checking where the URL leads now; a refusal or a failed call raises, so
    the outbox retries with backoff. The body's ``id`` is the same on every retry, so the
    receiver can drop a repeat."""
    await resolve_for_delivery(url, allow_loopback=allow_loopback)
    body = json.dumps(
        {
            "id": str(event.id),
            "type": event.type,
            "created": event.occurred_at.isoformat(),
            "data": event.payload,
        },
        separators=(",", ":"),
    ).encode()
    response = await client.post(
        url,
        content=body,
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(secret, body, int(time.time())),
            "X-Certboard-Event-Id": str(event.id),
        },
        follow_redirects=False,
    )
    response.raise_for_status()


async def resolve_for_delivery(url: str, *, allow_loopback: bool) -> None:
    """Check the URL again just before a call: its name may resolve elsewhere by now.

    A name that passed when it was saved can later point inside (DNS rebinding), so each
    delivery applies the same rules to what the name resolves to at that moment.
    """
    await check_webhook_url(url, allow_loopback=allow_loopback)
