"""Rate limits: 429 with Retry-After past the limit, per client, reset after the window."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import ValidationError

from certboard_core.app import ServiceSpec, create_service_app
from certboard_core.errors import RateLimited, error_responses
from certboard_core.ratelimit import PER_CLIENT, LimitClass, RateLimiter
from certboard_core.settings import Environment, ServiceSettings
from certboard_core.testing.plugin import Minter, bearer
from certboard_core.testing.ratelimit import ManualClock, ManualStorage, limit_with_manual_clock

LIMITS = {
    LimitClass.PUBLIC: "3/minute",
    LimitClass.UNAUTHENTICATED: "2/minute",
    LimitClass.UPLOADS: "5/minute",
}


def test_limits_are_off_in_development_and_test_and_on_in_production(tmp_path: Path) -> None:
    assert ServiceSettings(environment=Environment.TEST).rate_limits_enabled is False
    assert ServiceSettings(environment=Environment.DEVELOPMENT).rate_limits_enabled is False
    production = ServiceSettings(
        environment=Environment.PRODUCTION,
        jwt_issuer="https://idp.board.example",
        jwt_jwks_url="https://idp.board.example/jwks",
        database_url="postgresql+asyncpg://db.board.example/exams",
        service_token_file=tmp_path / "token",
    )
    assert production.rate_limits_enabled is True
    turned_on = ServiceSettings(environment=Environment.TEST, rate_limits_enabled=True)
    assert turned_on.rate_limits_enabled is True


@pytest.mark.parametrize("limit", ["many", "0/minute", "10/fortnight"])
def test_a_malformed_limit_is_refused_at_start_up(limit: str) -> None:
    with pytest.raises(ValidationError, match="rate_limit_public"):
        ServiceSettings(rate_limit_public=limit)


def test_a_synchronous_storage_is_refused_at_start_up() -> None:
    with pytest.raises(ValueError, match="asyncio storage"):
        RateLimiter.from_settings(ServiceSettings(rate_limit_storage_uri="memory://"))


async def test_past_the_limit_a_key_waits_for_its_window_and_others_do_not() -> None:
    clock = ManualClock()
    limiter = RateLimiter(LIMITS, storage=ManualStorage(clock), now=clock)
    for _ in range(3):
        await limiter.hit(LimitClass.PUBLIC, "10.0.0.1")
    clock.advance(20)
    with pytest.raises(RateLimited) as refused:
        await limiter.hit(LimitClass.PUBLIC, "10.0.0.1")
    assert (refused.value.status_code, refused.value.code) == (429, "RATE_LIMITED")
    assert refused.value.headers == {"Retry-After": "40"}
    # Another client, and the same client in another class, have their own counts.
    await limiter.hit(LimitClass.PUBLIC, "10.0.0.2")
    await limiter.hit(LimitClass.UNAUTHENTICATED, "10.0.0.1")
    clock.advance(39.5)
    with pytest.raises(RateLimited) as still:
        await limiter.hit(LimitClass.PUBLIC, "10.0.0.1")
    assert still.value.retry_after == 1
    clock.advance(0.5)
    await limiter.hit(LimitClass.PUBLIC, "10.0.0.1")


async def test_a_disabled_limiter_counts_nothing() -> None:
    clock = ManualClock()
    storage = ManualStorage(clock)
    limiter = RateLimiter(LIMITS, storage=storage, enabled=False, now=clock)
    for _ in range(10):
        await limiter.hit(LimitClass.PUBLIC, "10.0.0.1")
    assert storage.counts == {}


def _public_router() -> APIRouter:
    router = APIRouter(dependencies=[PER_CLIENT], responses=error_responses(RateLimited))

    @router.get("/v1/public")
    async def public() -> dict[str, str]:
        """A public route."""
        return {"status": "ok"}

    return router


@pytest.fixture
def service(tmp_path: Path, dev_data_dir: Path) -> FastAPI:
    settings = ServiceSettings(
        service_name="exams",
        environment="test",
        data_dir=dev_data_dir,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'exams.db'}",
        log_json=False,
    )
    return create_service_app(
        ServiceSpec(title="s", description="", settings=settings, routers=[_public_router()])
    )


def _client(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://exams")


async def test_a_public_route_answers_429_per_client_and_again_after_the_window(
    service: FastAPI,
) -> None:
    clock = limit_with_manual_clock(service, LIMITS)
    async with _client(service, "10.0.0.1") as a, _client(service, "10.0.0.2") as b:
        assert [(await a.get("/v1/public")).status_code for _ in range(3)] == [200] * 3
        refused = await a.get("/v1/public")
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "60"
        assert refused.json()["error"]["code"] == "RATE_LIMITED"
        assert (await b.get("/v1/public")).status_code == 200
        # Health and readiness are never limited.
        assert (await a.get("/healthz")).status_code == 200
        clock.advance(60)
        assert (await a.get("/v1/public")).status_code == 200


async def test_refused_tokens_count_per_client_and_a_valid_token_still_passes(
    service: FastAPI, mint: Minter
) -> None:
    clock = limit_with_manual_clock(service, LIMITS)
    forged = bearer("not-a-token")
    async with _client(service, "10.0.0.1") as a, _client(service, "10.0.0.2") as b:
        assert (await a.get("/internal/test-clock")).status_code == 401
        assert (await a.get("/internal/test-clock", headers=forged)).status_code == 401
        refused = await a.get("/internal/test-clock", headers=forged)
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "60"
        assert refused.json()["error"]["code"] == "RATE_LIMITED"
        assert (await b.get("/internal/test-clock", headers=forged)).status_code == 401
        staff = bearer(mint("staff", "sam"))
        assert (await a.get("/internal/test-clock", headers=staff)).status_code == 200
        clock.advance(60)
        assert (await a.get("/internal/test-clock", headers=forged)).status_code == 401


async def test_limited_routes_declare_their_429(service: FastAPI) -> None:
    paths = service.openapi()["paths"]
    assert paths["/v1/public"]["get"]["responses"]["429"]["description"] == "RATE_LIMITED"
    assert paths["/internal/test-clock"]["get"]["responses"]["429"]["description"] == (
        "RATE_LIMITED"
    )
    assert "429" not in paths["/healthz"]["get"]["responses"]
