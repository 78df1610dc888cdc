from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from applications.config import Settings
from applications.main import create_app
from certboard_core.clock import TestClock
from certboard_core.testing.plugin import DatabaseFactory


@pytest.fixture
def settings(database_factory: DatabaseFactory, dev_data_dir: Path, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        data_dir=dev_data_dir,
        database_url=database_factory("applications"),
        document_dir=tmp_path / "documents",
        notification_dir=tmp_path / "mail",
        log_json=False,
    )


@pytest.fixture
async def app(settings: Settings, clock: TestClock) -> AsyncIterator[FastAPI]:
    application = create_app(settings, clock=clock, run_background=False)
    async with LifespanManager(application):
        yield application
