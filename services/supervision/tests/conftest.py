from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from certboard_core.clock import TestClock
from certboard_core.testing.plugin import DatabaseFactory
from supervision.config import Settings
from supervision.main import create_app

from .fakes import FakeApplications


@pytest.fixture
def settings(database_factory: DatabaseFactory, dev_data_dir: Path) -> Settings:
    return Settings(
        environment="test",
        data_dir=dev_data_dir,
        database_url=database_factory("supervision"),
        applications_url="http://applications",
        log_json=False,
    )


@pytest.fixture
def applications() -> FakeApplications:
    """The applications service as supervision sees it: nobody barred unless a test says."""
    return FakeApplications()


@pytest.fixture
async def app(
    settings: Settings, clock: TestClock, applications: FakeApplications
) -> AsyncIterator[FastAPI]:
    # Sweeps and deliveries are the tests' to run (a timer would race them).
    application = create_app(
        settings,
        clock=clock,
        run_background=False,
        http_transport=httpx.MockTransport(applications),
    )
    async with LifespanManager(application):
        yield application
