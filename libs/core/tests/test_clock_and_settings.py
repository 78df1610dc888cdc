from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.app import ServiceSpec, create_service_app
from certboard_core.clock import EARLIEST, LATEST, ClockOutOfRange, TestClock
from certboard_core.db import create_engine, session_factory
from certboard_core.memory import release_freed_memory
from certboard_core.settings import Environment, ServiceSettings
from certboard_core.sqlite import (
    SQLITE_BULK_CACHE_MIB,
    SQLITE_BUSY_TIMEOUT_MS,
    SQLITE_CACHE_MIB,
    bulk_cache,
)
from certboard_core.testing.plugin import Minter, bearer

T0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)


class FixedBase:
    def __init__(self, now: datetime) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at


def test_frozen_clock_moves_only_when_told() -> None:
    clock = TestClock()
    clock.set(T0)
    assert clock.now() == T0
    clock.advance(timedelta(days=91))
    assert clock.now() == T0 + timedelta(days=91)
    assert clock.state().frozen is True


def test_running_clock_keeps_its_offset_from_real_time() -> None:
    base = FixedBase(T0)
    clock = TestClock(base)
    clock.set(T0 + timedelta(days=30), frozen=False)
    base.at += timedelta(hours=2)
    assert clock.now() == T0 + timedelta(days=30, hours=2)
    clock.advance(timedelta(days=1))
    assert clock.state().offset_seconds == timedelta(days=31).total_seconds()
    clock.reset()
    assert clock.now() == base.at


def test_clock_is_set_in_utc_whatever_zone_it_is_given() -> None:
    clock = TestClock()
    clock.set(datetime(2026, 3, 8, 1, 0, tzinfo=timezone(timedelta(hours=-8))))
    assert clock.now() == datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    with pytest.raises(ValueError, match="aware"):
        clock.set(datetime(2026, 3, 8, 9, 0))


@pytest.mark.parametrize(
    "move",
    [
        lambda c: c.set(datetime(9999, 12, 31, tzinfo=UTC)),
        lambda c: c.set(datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))),
        lambda c: c.set(EARLIEST - timedelta(seconds=1), frozen=False),
        lambda c: c.advance(timedelta(seconds=1e12)),  # past datetime's own year 9999
        lambda c: c.advance(timedelta(seconds=-1e11)),  # the year 1070
        lambda c: c.advance(LATEST - T0 + timedelta(microseconds=1)),
    ],
)
@pytest.mark.parametrize("frozen", [True, False])
def test_the_clock_refuses_to_leave_its_range_and_stays_put(move, frozen: bool) -> None:
    base = FixedBase(T0)
    clock = TestClock(base)
    clock.set(T0, frozen=frozen)
    before = clock.state()
    with pytest.raises(ClockOutOfRange, match="between 1970-01-01T00:00:00\\+00:00 and 2200"):
        move(clock)
    assert clock.state() == before


def test_the_clock_reaches_both_ends_of_its_range() -> None:
    clock = TestClock()
    clock.set(LATEST)
    assert clock.now() == LATEST
    clock.advance(EARLIEST - LATEST)
    assert clock.now() == EARLIEST
    with pytest.raises(ClockOutOfRange) as refused:
        clock.advance(timedelta(microseconds=-1))
    assert (refused.value.status_code, refused.value.field) == (422, "advance_seconds")


@pytest.fixture
async def service(tmp_path: Path, dev_data_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(
        service_name="exams",
        environment="test",
        data_dir=dev_data_dir,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'exams.db'}",
        log_json=False,
    )
    clock = TestClock()
    clock.set(T0)
    app = create_service_app(
        ServiceSpec(title="service", description="", settings=settings, routers=[]), clock=clock
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://exams") as client:
        yield client


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"advance_seconds": 1e12}', "advance_seconds"),
        ('{"advance_seconds": 1e300}', "advance_seconds"),
        ('{"advance_seconds": -1e11}', "advance_seconds"),
        ('{"set_to": "9999-12-31T00:00:00Z"}', "set_to"),
        ('{"set_to": "1969-12-31T23:59:59Z", "frozen": false}', "set_to"),
    ],
)
async def test_a_move_out_of_range_is_a_422_naming_the_bound(
    service: httpx.AsyncClient, mint: Minter, body: str, field: str
) -> None:
    staff = bearer(mint("staff", "sam")) | {"Content-Type": "application/json"}
    before = (await service.get("/internal/test-clock", headers=staff)).json()
    moved = await service.put("/internal/test-clock", content=body, headers=staff)
    assert moved.status_code == 422
    error = moved.json()["error"]
    assert (error["code"], error["field"]) == ("CLOCK_OUT_OF_RANGE", field)
    assert "1970-01-01T00:00:00+00:00 and 2200-01-01T00:00:00+00:00" in error["message"]
    assert (await service.get("/internal/test-clock", headers=staff)).json() == before


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
async def test_a_move_by_a_number_that_is_not_finite_is_a_422(
    service: httpx.AsyncClient, mint: Minter, number: str
) -> None:
    staff = bearer(mint("staff", "sam")) | {"Content-Type": "application/json"}
    moved = await service.put(
        "/internal/test-clock", content=f'{{"advance_seconds": {number}}}', headers=staff
    )
    assert moved.status_code == 422
    error = moved.json()["error"]
    assert (error["code"], error["field"]) == ("VALIDATION_ERROR", "advance_seconds")
    now = (await service.get("/internal/test-clock", headers=staff)).json()["now"]
    assert datetime.fromisoformat(now) == T0


async def test_a_move_within_range_is_made(service: httpx.AsyncClient, mint: Minter) -> None:
    staff = bearer(mint("staff", "sam"))
    moved = await service.put(
        "/internal/test-clock", json={"advance_seconds": 7776000}, headers=staff
    )
    assert moved.status_code == 200
    assert datetime.fromisoformat(moved.json()["now"]) == T0 + timedelta(days=90)


def test_test_clock_is_on_outside_production() -> None:
    assert ServiceSettings(environment=Environment.DEVELOPMENT).clock_controllable
    assert ServiceSettings(environment=Environment.TEST).clock_controllable


# Production's refusals: tests/processes/test_production_settings.py.


def test_each_process_defaults_to_its_own_audience_and_database(tmp_path) -> None:
    settings = ServiceSettings(service_name="exams", data_dir=tmp_path)
    assert settings.jwt_audience == "certboard-exams"
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path}/exams.db"


async def test_sqlite_connections_are_configured_for_a_service(tmp_path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    try:
        async with engine.connect() as conn:
            values = {
                pragma: (await conn.exec_driver_sql(f"PRAGMA {pragma}")).scalar_one()
                for pragma in (
                    *("journal_mode", "foreign_keys", "synchronous", "cache_size"),
                    "busy_timeout",
                )
            }
    finally:
        await engine.dispose()
    assert values == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 1,  # NORMAL
        "cache_size": -SQLITE_CACHE_MIB * 1024,  # negative: KiB, not pages
        "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
    }


async def test_a_bulk_transaction_widens_its_connections_cache_only_while_it_runs(
    tmp_path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    sessions = session_factory(engine)

    async def cache_size(session: AsyncSession) -> int:
        connection = await session.connection()
        return int((await connection.exec_driver_sql("PRAGMA cache_size")).scalar_one())

    try:
        async with sessions() as session, session.begin():
            async with bulk_cache(session):
                assert await cache_size(session) == -SQLITE_BULK_CACHE_MIB * 1024
            assert await cache_size(session) == -SQLITE_CACHE_MIB * 1024
    finally:
        await engine.dispose()


async def test_a_bulk_transaction_cancelled_in_the_driver_stays_cancelled(tmp_path) -> None:
    # A shutdown mid-sweep cancels inside a driver call, which invalidates the connection: the
    # cancellation must come out as such, or the sweep loop logs a failed pass and carries on,
    # and the process never stops.
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    sessions = session_factory(engine)

    async def cancelled_in_the_driver() -> None:
        async with sessions() as session, session.begin(), bulk_cache(session):
            await (await session.connection()).invalidate()
            raise asyncio.CancelledError

    try:
        with pytest.raises(asyncio.CancelledError):
            await cancelled_in_the_driver()
    finally:
        await engine.dispose()


def test_freed_memory_goes_back_on_glibc() -> None:
    # This machine's C library is glibc: the trim is there and runs.
    assert release_freed_memory() is True
