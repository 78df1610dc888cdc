"""Events other services must learn: written in the same transaction as the change.

A publisher adds the event and one delivery row per subscriber to the caller's transaction;
``certboard_core.dispatcher`` delivers them at least once, and the inbox (``internal.py``)
makes their handling happen once.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import (
    JSON,
    ColumnElement,
    ForeignKey,
    FromClause,
    Index,
    Integer,
    String,
    Uuid,
    insert,
    literal,
    select,
)
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.audit import STAMPED, current_request_id
from certboard_core.clock import Clock, SystemClock
from certboard_core.db import BigIntPK, UTCDateTime
from certboard_core.fields import IsoDateTime
from certboard_core.ids import new_id, new_ids
from certboard_core.rowset import RowSet
from certboard_core.schemas import RequestModel

PENDING = "pending"
DELIVERED = "delivered"


class EventEnvelope(RequestModel):
    """What travels between services."""

    # A field a newer service adds to the envelope must not be refused by an older one while a
    # deployment rolls out: unknown keys are ignored here, unlike in request bodies.
    model_config = ConfigDict(strict=True, extra="ignore", from_attributes=True)

    id: uuid.UUID
    type: str
    source: str
    aggregate_type: str
    aggregate_id: str
    occurred_at: IsoDateTime
    payload: dict[str, Any]
    request_id: str | None = None


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_event"

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    type: str = Field(max_length=100)
    aggregate_type: str = Field(max_length=100)
    aggregate_id: str = Field(max_length=100)
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    payload: dict[str, Any] = Field(sa_type=JSON)
    request_id: str | None = Field(default=None, max_length=128)


class OutboxDelivery(SQLModel, table=True):
    __tablename__ = "outbox_delivery"
    __table_args__ = (Index("ix_outbox_delivery_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, sa_type=BigIntPK, primary_key=True)
    event_id: uuid.UUID = Field(sa_type=Uuid, sa_column_args=[ForeignKey("outbox_event.id")])
    subscriber: str = Field(max_length=100)
    status: str = Field(default=PENDING, max_length=20)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    leased_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=1000)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ProcessedEvent(SQLModel, table=True):
    """The consumer's memory of what it has handled; its primary key makes handling idempotent."""

    __tablename__ = "processed_event"

    event_id: uuid.UUID = Field(sa_type=Uuid, primary_key=True)
    type: str = Field(max_length=100)
    source: str = Field(max_length=100)
    processed_at: datetime = Field(sa_type=UTCDateTime)


@dataclass(frozen=True)
class NewEvent:
    type: str
    aggregate_type: str
    aggregate_id: str
    payload: dict[str, Any]


LocalHandler = Callable[[EventEnvelope], Awaitable[None]]


@dataclass(frozen=True)
class LocalSubscriber:
    """An in-process subscriber (a mail sender, say) for some event types, with the same
    at-least-once delivery, retries and backoff as a remote one."""

    event_types: frozenset[str]
    handler: LocalHandler
    # Events only this process cares about (a notice to mail) are not sent to other services.
    private: bool = True


class Outbox:
    """Publishes this service's events: every event to each remote subscriber (another service
    filters what it handles), and to each local subscriber the types it asked for.

    An event carries its business time (``occurred_at``, from the clock rules read); its
    deliveries are due at once on ``clock``, the dispatcher's real time, so a test clock moved
    ahead or back never holds delivery up.
    """

    def __init__(
        self,
        *,
        source: str,
        subscribers: Mapping[str, str],
        local: Mapping[str, LocalSubscriber] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.source = source
        self.subscribers = dict(subscribers)
        self.local = dict(local or {})
        self.clock = clock or SystemClock()

    def recipients(self, event_type: str) -> list[str]:
        local = [n for n, s in self.local.items() if event_type in s.event_types]
        private = any(self.local[n].private for n in local)
        return ([] if private else list(self.subscribers)) + local

    async def publish(
        self,
        session: AsyncSession,
        *,
        type: str,
        aggregate_type: str,
        aggregate_id: str,
        payload: dict[str, Any],
        at: datetime,
    ) -> uuid.UUID:
        """Add one event to the caller's transaction; it is sent only if that commits."""
        (event_id,) = await self.publish_many(
            session, [NewEvent(type, aggregate_type, aggregate_id, payload)], at=at
        )
        return event_id

    async def publish_many(
        self, session: AsyncSession, events: Sequence[NewEvent], *, at: datetime
    ) -> list[uuid.UUID]:
        """Add events to the caller's transaction, set-wise: per type of event, one statement
        for the events and one per subscriber for their deliveries."""
        ids = new_ids(len(events))
        dialect = (await session.connection()).dialect.name
        for event_type in dict.fromkeys(e.type for e in events):
            rows = RowSet(
                dialect,
                ("id", "aggregate_type", "aggregate_id", "payload"),
                (
                    (event_id, e.aggregate_type, e.aggregate_id, e.payload)
                    for event_id, e in zip(ids, events, strict=True)
                    if e.type == event_type
                ),
            )
            await self.publish_rows(
                session,
                event_type,
                EventColumns(
                    rows.uuid("id"),
                    rows.text("aggregate_type"),
                    rows.text("aggregate_id"),
                    rows.document("payload"),
                ),
                source=rows.table,
                at=at,
            )
        return [uuid.UUID(hex=i) for i in ids]

    async def publish_rows(
        self,
        session: AsyncSession,
        event_type: str,
        columns: EventColumns,
        *,
        source: FromClause,
        at: datetime,
    ) -> None:
        """One event of ``event_type`` per row of ``source`` (``INSERT ... SELECT``), and a
        delivery of each to every recipient of that type."""
        connection = await session.connection()
        stamp = literal(at, UTCDateTime)
        due = literal(self.clock.now(), UTCDateTime)
        await connection.execute(
            insert(OutboxEvent.__table__).from_select(  # type: ignore[attr-defined]
                ["id", "type", "aggregate_type", "aggregate_id", "payload", *STAMPED],
                select(
                    columns.id,
                    literal(event_type, String),
                    columns.aggregate_type,
                    columns.aggregate_id,
                    columns.payload,
                    stamp,
                    literal(current_request_id(), String),
                ).select_from(source),
            )
        )
        for subscriber in self.recipients(event_type):
            await connection.execute(
                insert(OutboxDelivery.__table__).from_select(  # type: ignore[attr-defined]
                    ["event_id", "subscriber", "status", "attempts", "next_attempt_at"],
                    select(
                        columns.id,
                        literal(subscriber, String),
                        literal(PENDING, String),
                        literal(0, Integer),
                        due,
                    ).select_from(source),
                )
            )


@dataclass(frozen=True)
class EventColumns:
    """What to publish, as expressions over a set of rows."""

    id: ColumnElement[uuid.UUID]
    aggregate_type: ColumnElement[str]
    aggregate_id: ColumnElement[str]
    payload: ColumnElement[Any]


EventHandler = Callable[[AsyncSession, EventEnvelope], Awaitable[None]]
