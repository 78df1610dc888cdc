from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from certboard_core.clock import TestClock
from certboard_core.db import SQLITE_BUSY_TIMEOUT_MS, SQLITE_CACHE_MIB, create_engine
from certboard_core.settings import Environment, ServiceSettings

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


def test_test_clock_is_on_outside_production() -> None:
    assert ServiceSettings(environment=Environment.DEVELOPMENT).clock_controllable
    assert ServiceSettings(environment=Environment.TEST).clock_controllable


def _production(**overrides: object) -> ServiceSettings:
    values: dict[str, object] = {
        "environment": "production",
        "jwt_issuer": "https://idp.board.example",
        "jwt_jwks_url": "https://idp.board.example/jwks",
    }
    values.update(overrides)
    return ServiceSettings(**values)  # type: ignore[arg-type]


def test_production_has_no_test_clock_and_refuses_to_enable_one() -> None:
    assert _production().clock_controllable is False
    with pytest.raises(ValidationError, match="CERTBOARD_TEST_CLOCK_ENABLED cannot be set"):
        _production(test_clock_enabled=True)


def test_production_refuses_the_development_issuer_and_local_keys() -> None:
    with pytest.raises(ValidationError, match="identity provider"):
        _production(jwt_issuer="certboard-dev-issuer")
    with pytest.raises(ValidationError, match="JWKS"):
        _production(jwt_jwks_url=None)


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
