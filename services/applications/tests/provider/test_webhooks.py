"""Webhook signatures and the guard that keeps webhook calls off internal hosts."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from applications.provider.webhooks import (
    check_webhook_url,
    new_secret,
    resolve_for_delivery,
    sign,
    verify,
)
from certboard_core.errors import InvalidInput

SECRET = "whsec_test"
BODY = b'{"id":"e1","type":"certificate.accepted"}'
NOW = 1_767_225_600
PUBLIC_IP = "93.184.216.34"


class Resolver:
    """Stands in for DNS: each name maps to the addresses it resolves to, or to nothing."""

    def __init__(self, names: dict[str, list[str]]) -> None:
        self.names = names
        self.asked: list[str] = []

    async def __call__(self, host: str, port: Any, **_: Any) -> list[Any]:
        self.asked.append(host)
        if host not in self.names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (ip, port, 0, 0) if ":" in ip else (ip, port),
            )
            for ip in self.names[host]
        ]


@pytest.fixture
async def dns(monkeypatch: pytest.MonkeyPatch) -> Resolver:
    resolver = Resolver({"provider.example": [PUBLIC_IP]})
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolver)
    return resolver


class TestSignatures:
    def test_a_signed_body_verifies(self) -> None:
        header = sign(SECRET, BODY, NOW)
        assert header.startswith(f"t={NOW},v1=")
        assert verify(SECRET, BODY, header, now=NOW + 10)

    def test_a_tampered_body_fails(self) -> None:
        assert not verify(SECRET, BODY + b" ", sign(SECRET, BODY, NOW), now=NOW)

    def test_another_secret_fails(self) -> None:
        assert not verify("whsec_other", BODY, sign(SECRET, BODY, NOW), now=NOW)

    def test_a_stale_or_future_timestamp_fails(self) -> None:
        header = sign(SECRET, BODY, NOW)
        assert verify(SECRET, BODY, header, now=NOW + 300)
        assert not verify(SECRET, BODY, header, now=NOW + 301)
        assert not verify(SECRET, BODY, header, now=NOW - 301)
        assert verify(SECRET, BODY, header, now=NOW + 600, tolerance_seconds=600)

    @pytest.mark.parametrize(
        "header",
        [
            "",
            "garbage",
            f"v1={'0' * 64}",
            f"t={NOW}",
            f"t=soon,v1={'0' * 64}",
            f"t={NOW},t={NOW},v1={'0' * 64}",
            f"t={NOW},v1=xyz",
            f"t={NOW},v1=é{'0' * 63}",
            f"t=١٢٣,v1={'0' * 64}",
        ],
    )
    def test_a_malformed_header_fails(self, header: str) -> None:
        assert not verify(SECRET, BODY, header, now=NOW)

    def test_any_of_several_signatures_may_match(self) -> None:
        # During a secret rotation a sender may sign with the old and the new secret.
        good = sign(SECRET, BODY, NOW).split(",v1=")[1]
        assert verify(SECRET, BODY, f"t={NOW},v1={'0' * 64},v1={good}", now=NOW)

    def test_secrets_are_fresh_and_prefixed(self) -> None:
        first, second = new_secret(), new_secret()
        assert first.startswith("whsec_")
        assert len(first) > 40
        assert first != second


class TestWebhookUrls:
    async def test_public_https_is_accepted_and_normalized(self, dns: Resolver) -> None:
        url = await check_webhook_url(
            "HTTPS://Provider.Example/hooks?x=1#frag", allow_loopback=False
        )
        assert url == "https://provider.example/hooks?x=1"
        assert dns.asked == ["provider.example"]
        assert await check_webhook_url(f"https://{PUBLIC_IP}:8443", allow_loopback=False) == (
            f"https://{PUBLIC_IP}:8443/"
        )

    @pytest.mark.parametrize(
        ("url", "reason"),
        [
            ("http://provider.example/hook", "https"),
            ("ftp://provider.example/hook", "https"),
            ("file:///etc/passwd", "https"),
            ("provider.example/hook", "https"),
            ("https://user:pw@provider.example/hook", "user"),
            ("https://user@provider.example/hook", "user"),
            ("https:///hook", "no host"),
            ("https://provider.example:99999/hook", "malformed"),
            ("https://nowhere.example/hook", "does not resolve"),
            ("https://127.0.0.1/hook", "loopback"),
            ("https://127.1.2.3/hook", "loopback"),
            ("https://[::1]/hook", "loopback"),
            ("https://[::ffff:127.0.0.1]/hook", "loopback"),
            ("https://[2002:7f00:1::]/hook", "loopback"),
            ("https://169.254.169.254/latest/meta-data", "link-local"),
            ("https://[fe80::1]/hook", "link-local"),
            ("https://[::ffff:169.254.169.254]/hook", "link-local"),
            ("https://10.0.0.1/hook", "private"),
            ("https://172.16.5.4/hook", "private"),
            ("https://192.168.1.1/hook", "private"),
            ("https://[fd00::1]/hook", "private"),
            ("https://[::ffff:10.0.0.1]/hook", "private"),
            ("https://100.64.0.1/hook", "non-public"),
            ("https://0.0.0.0/hook", "unspecified"),
            ("https://[::]/hook", "unspecified"),
            ("https://224.0.0.1/hook", "multicast"),
            ("https://[ff02::1]/hook", "multicast"),
            ("https://240.0.0.1/hook", "reserved"),
            ("https://255.255.255.255/hook", "reserved"),
        ],
    )
    async def test_refused(self, dns: Resolver, url: str, reason: str) -> None:
        with pytest.raises(InvalidInput, match=reason) as refused:
            await check_webhook_url(url, allow_loopback=False)
        assert refused.value.field == "webhook_url"
        assert refused.value.status_code == 422

    async def test_localhost_is_loopback(self) -> None:
        # Resolved by the system from its hosts file; no outside DNS is asked.
        with pytest.raises(InvalidInput, match="loopback"):
            await check_webhook_url("https://localhost/hook", allow_loopback=False)

    async def test_a_name_with_one_internal_address_is_refused(self, dns: Resolver) -> None:
        dns.names["mixed.example"] = [PUBLIC_IP, "10.1.2.3"]
        with pytest.raises(InvalidInput, match="private"):
            await check_webhook_url("https://mixed.example/hook", allow_loopback=False)

    async def test_loopback_over_http_only_when_allowed(self, dns: Resolver) -> None:
        dns.names["localhost"] = ["127.0.0.1", "::1"]
        url = "http://127.0.0.1:8080/hook"
        with pytest.raises(InvalidInput, match="https"):
            await check_webhook_url(url, allow_loopback=False)
        assert await check_webhook_url(url, allow_loopback=True) == url
        assert await check_webhook_url("https://[::1]/hook", allow_loopback=True) == (
            "https://[::1]/hook"
        )
        assert await check_webhook_url("http://localhost:9/h", allow_loopback=True) == (
            "http://localhost:9/h"
        )

    async def test_http_to_a_public_host_is_refused_even_when_loopback_is_allowed(
        self, dns: Resolver
    ) -> None:
        with pytest.raises(InvalidInput, match="https"):
            await check_webhook_url("http://provider.example/hook", allow_loopback=True)

    async def test_allowing_loopback_allows_nothing_else_internal(self, dns: Resolver) -> None:
        for url in ("https://10.0.0.1/", "https://169.254.169.254/", "http://192.168.0.1/"):
            with pytest.raises(InvalidInput):
                await check_webhook_url(url, allow_loopback=True)


class TestDelivery:
    async def test_a_name_that_now_resolves_inside_is_refused(self, dns: Resolver) -> None:
        url = await check_webhook_url("https://provider.example/hook", allow_loopback=False)
        await resolve_for_delivery(url, allow_loopback=False)
        dns.names["provider.example"] = ["169.254.169.254"]  # DNS rebinding
        with pytest.raises(InvalidInput, match="link-local"):
            await resolve_for_delivery(url, allow_loopback=False)

    async def test_a_name_that_no_longer_resolves_is_refused(self, dns: Resolver) -> None:
        del dns.names["provider.example"]
        with pytest.raises(InvalidInput, match="does not resolve"):
            await resolve_for_delivery("https://provider.example/hook", allow_loopback=False)
