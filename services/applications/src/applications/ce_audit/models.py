"""CE audits: each draw with its seed, and each audited renewal's proof and review."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, UniqueConstraint, Uuid
from sqlmodel import Field, SQLModel

from applications.ce_audit.rules import AuditStatus
from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class AuditDraw(SQLModel, table=True):
    """One random draw over the renewals of periods that ended in a span: the seed makes it
    reproducible by anyone who reads the same renewals."""

    __tablename__ = "ce_audit_draw"

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    periods_from: date
    periods_to: date
    seed: int = Field(sa_type=BigInteger)
    share_percent: int
    population: int
    selected: int
    drawn_by: str = Field(max_length=200)
    drawn_at: datetime = Field(sa_type=UTCDateTime)


class CeAudit(SQLModel, table=True):
    __tablename__ = "ce_audit"
    __table_args__ = (
        # A renewal is audited once, drawn or mandatory.
        UniqueConstraint("renewal_id"),
        Index("ix_ce_audit_queue", "status", "due_on", "id"),
        Index("ix_ce_audit_applicant", "applicant_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    renewal_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("certification_renewal.id")]
    )
    certification_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("certification.id")]
    )
    applicant_id: str = Field(max_length=200)
    # None: mandatory (a reinstatement), not drawn.
    draw_id: uuid.UUID | None = Field(
        default=None, sa_type=Uuid, sa_column_args=[ForeignKey("ce_audit_draw.id")]
    )
    status: AuditStatus = Field(sa_type=enum_type(AuditStatus))
    proof_due_on: date
    # The day the current step is due: the proof, the cure, or staff's review (from the day
    # the proof came); what the queue orders by.
    due_on: date
    cure_due_on: date | None = None
    proof_storage_key: str | None = Field(default=None, max_length=64)
    proof_content_type: str | None = Field(default=None, max_length=100)
    proof_sha256: str | None = Field(default=None, max_length=64)
    proof_name: str | None = Field(default=None, max_length=200)
    proof_received_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_by: str | None = Field(default=None, max_length=200)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    review_reason: str | None = Field(default=None, max_length=2000)
    created_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


def snapshot(row: AuditDraw | CeAudit) -> dict[str, Any]:
    """The audit trail's picture of a draw or an audit."""
    return row.model_dump(mode="json")
