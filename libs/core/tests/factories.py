"""Events published and deliveries read back, for the outbox and dispatcher tests."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.clock import Clock
from certboard_core.outbox import Outbox, OutboxDelivery
from certboard_core.testing.plugin import T0

SUBSCRIBERS = {"exams": "http://exams", "supervision": "http://supervision"}


async def publish(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    *,
    commit: bool = True,
    subscribers: dict[str, str] = SUBSCRIBERS,
) -> uuid.UUID:
    """Publish one approval at ``T0`` business time, its deliveries due on ``clock``."""
    outbox = Outbox(source="applications", subscribers=subscribers, clock=clock)
    async with sessions() as session:
        event_id = await outbox.publish(
            session,
            type="application.approved",
            aggregate_type="application",
            aggregate_id="app-1",
            payload={"valid_through": "2027-03-09"},
            at=T0,
        )
        if commit:
            await session.commit()
        else:
            await session.rollback()
    return event_id


async def all_deliveries(sessions: async_sessionmaker[AsyncSession]) -> list[OutboxDelivery]:
    """Every delivery row, as stored now."""
    async with sessions() as session:
        return list((await session.exec(select(OutboxDelivery))).all())


async def deliveries_by_subscriber(
    sessions: async_sessionmaker[AsyncSession],
) -> dict[str, OutboxDelivery]:
    """The delivery rows of a single event, by subscriber."""
    async with sessions() as session:
        rows = (await session.exec(select(OutboxDelivery))).all()
    return {row.subscriber: row for row in rows}
