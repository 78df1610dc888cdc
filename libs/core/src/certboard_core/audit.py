"""The append-only audit trail: who did what, when, and the record before and after."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import JSON, ColumnElement, FromClause, Index, String, insert, literal, select
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.db import BigIntPK, UTCDateTime
from certboard_core.rowset import RowSet


class AuditRecord(SQLModel, table=True):
    """One state change. Rows are never updated or deleted (database triggers refuse it)."""

    __tablename__ = "audit_record"
    __table_args__ = (Index("ix_audit_record_entity", "entity_type", "entity_id"),)

    id: int | None = Field(default=None, sa_type=BigIntPK, primary_key=True)
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=100)
    entity_type: str = Field(max_length=100)
    entity_id: str = Field(max_length=100)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    request_id: str | None = Field(default=None, max_length=128)


STAMPED = ("occurred_at", "request_id")


def current_request_id() -> str | None:
    value = structlog.contextvars.get_contextvars().get("request_id")
    return str(value) if value is not None else None


async def record_audit(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    at: datetime,
) -> None:
    """Add one audit record to the caller's transaction."""
    await record_audits(
        session,
        [AuditEntry(actor, action, entity_type, entity_id, before, after)],
        at=at,
    )


@dataclass(frozen=True)
class AuditEntry:
    actor: str
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


async def record_audits(
    session: AsyncSession, entries: Sequence[AuditEntry], *, at: datetime
) -> None:
    """Add audit records to the caller's transaction in one statement, however many."""
    if not entries:
        return
    connection = await session.connection()
    rows = RowSet(
        connection.dialect.name,
        ("actor", "action", "entity_type", "entity_id", "before", "after"),
        ((e.actor, e.action, e.entity_type, e.entity_id, e.before, e.after) for e in entries),
    )
    await record_audit_rows(
        session,
        AuditColumns(
            rows.text("actor"),
            rows.text("action"),
            rows.text("entity_type"),
            rows.text("entity_id"),
            rows.document("before"),
            rows.document("after"),
        ),
        source=rows.table,
        at=at,
    )


@dataclass(frozen=True)
class AuditColumns:
    """What to record, as expressions over a set of rows."""

    actor: ColumnElement[str]
    action: ColumnElement[str]
    entity_type: ColumnElement[str]
    entity_id: ColumnElement[str]
    before: ColumnElement[Any]
    after: ColumnElement[Any]


async def record_audit_rows(
    session: AsyncSession, columns: AuditColumns, *, source: FromClause, at: datetime
) -> None:
    """One audit record per row of ``source`` (``INSERT ... SELECT``), in one statement."""
    connection = await session.connection()
    await connection.execute(
        insert(AuditRecord.__table__).from_select(  # type: ignore[attr-defined]
            [*STAMPED, "actor", "action", "entity_type", "entity_id", "before", "after"],
            select(
                literal(at, UTCDateTime),
                literal(current_request_id(), String),
                columns.actor,
                columns.action,
                columns.entity_type,
                columns.entity_id,
                columns.before,
                columns.after,
            ).select_from(source),
        )
    )
