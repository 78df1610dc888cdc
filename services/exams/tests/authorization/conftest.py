from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from certboard_core.clock import TestClock
from exams.config import Settings
from exams.main import create_app

from .fakes import FakeApplications


@pytest.fixture
def applications() -> FakeApplications:
    return FakeApplications()


@pytest.fixture
def exam_settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(
        update={"applications_url": "http://applications", "document_dir": tmp_path / "docs"}
    )


@pytest.fixture
async def app(
    exam_settings: Settings, clock: TestClock, applications: FakeApplications
) -> AsyncIterator[FastAPI]:
    application = create_app(
        exam_settings,
        clock=clock,
        http_transport=httpx.MockTransport(applications),
        run_background=False,
    )
    async with LifespanManager(application):
        yield application
