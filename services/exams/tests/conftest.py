from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from certboard_core.clock import TestClock
from certboard_core.testing.plugin import DatabaseFactory
from exams.config import Settings
from exams.main import create_app


@pytest.fixture
def settings(database_factory: DatabaseFactory, dev_data_dir: Path) -> Settings:
    return Settings(
        environment="test",
        data_dir=dev_data_dir,
        database_url=database_factory("exams"),
        log_json=False,
    )


@pytest.fixture
async def app(settings: Settings, clock: TestClock) -> AsyncIterator[FastAPI]:
    # Sweeps and deliveries are the tests' to run (a timer would race them).
    application = create_app(settings, clock=clock, run_background=False)
    async with LifespanManager(application):
        yield application
