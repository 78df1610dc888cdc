"""The shared package's own tables on a fresh database, per backend."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.audit import AuditRecord
from certboard_core.db import create_engine, metadata, session_factory
from certboard_core.outbox import OutboxDelivery, OutboxEvent, ProcessedEvent
from certboard_core.testing.plugin import DatabaseFactory

CORE_TABLES = [m.__table__ for m in (AuditRecord, OutboxEvent, OutboxDelivery, ProcessedEvent)]  # type: ignore[attr-defined]


@pytest.fixture
async def database(database_factory: DatabaseFactory) -> AsyncIterator[str]:
    url = database_factory(None)
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: metadata.create_all(sync, tables=CORE_TABLES))
    await engine.dispose()
    return url


@pytest.fixture
async def engine(database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)
