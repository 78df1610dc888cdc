"""The append-only audit trail: who did what, when, and the record before and after."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import JSON, Index, insert
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.db import BigIntPK, UTCDateTime


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
    """Add audit records to the caller's transaction in one statement."""
    if not entries:
        return
    request_id = current_request_id()
    connection = await session.connection()
    await connection.execute(
        insert(AuditRecord.__table__),  # type: ignore[attr-defined]
        [
            {
                "occurred_at": at,
                "actor": e.actor,
                "action": e.action,
                "entity_type": e.entity_type,
                "entity_id": e.entity_id,
                "before": e.before,
                "after": e.after,
                "request_id": request_id,
            }
            for e in entries
        ],
    )
