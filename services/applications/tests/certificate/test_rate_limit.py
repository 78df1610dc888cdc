"""Uploads are limited per provider (its token's provider id), answered 429 with Retry-After."""

from __future__ import annotations

from certboard_core.ratelimit import LimitClass
from certboard_core.testing.ratelimit import limit_with_manual_clock

from .conftest import make_provider, row, upload

LIMITS = {
    LimitClass.PUBLIC: "100/minute",
    LimitClass.UNAUTHENTICATED: "100/minute",
    LimitClass.UPLOADS: "2/minute",
}


async def test_each_provider_has_its_own_upload_limit(client, app, provider, mint) -> None:
    other = await make_provider(client, mint, "Peer Academy")
    clock = limit_with_manual_clock(app, LIMITS)
    for n in range(2):
        answer = await upload(client, provider, [row(provider, certificate_id=f"X-{n}")])
        assert answer.status_code == 200, answer.text
    refused = await upload(client, provider, [row(provider, certificate_id="X-2")])
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    answer = await upload(client, other, [row(other, certificate_id="Y-0")])
    assert answer.status_code == 200, answer.text
    clock.advance(60)
    answer = await upload(client, provider, [row(provider, certificate_id="X-2")])
    assert answer.json()["batch"]["accepted"] == 1


async def test_the_upload_route_declares_its_429(app) -> None:
    operation = app.openapi()["paths"]["/v1/providers/{provider_id}/certificates"]["post"]
    assert operation["responses"]["429"]["description"] == "RATE_LIMITED"
