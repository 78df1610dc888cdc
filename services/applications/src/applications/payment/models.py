"""Fees the board has recorded as paid (no card processing happens here)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, UniqueConstraint, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class FeeKind(StrEnum):
    APPLICATION = "application"
    EXAM = "exam"
    RETAKE = "retake"
    # A certification's: recorded on its application, used by one renewal each.
    RENEWAL = "renewal"
    LATE = "late"
    REINSTATEMENT = "reinstatement"


# The fees a certification owes: recorded on its certified application.
CERTIFICATION_FEES = frozenset({FeeKind.RENEWAL, FeeKind.LATE, FeeKind.REINSTATEMENT})


class Payment(SQLModel, table=True):
    __tablename__ = "payment"
    __table_args__ = (
        # A payment reference is recorded once, so a retried "record payment" cannot double it.
        UniqueConstraint("reference"),
        Index("ix_payment_application", "application_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    application_id: uuid.UUID = Field(sa_type=Uuid, sa_column_args=[ForeignKey("application.id")])
    kind: FeeKind = Field(sa_type=enum_type(FeeKind))
    amount_cents: int = Field(ge=0)
    currency: str = Field(max_length=3)
    reference: str = Field(max_length=200)
    paid_at: datetime = Field(sa_type=UTCDateTime)
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    # Voiding forfeits fees: recorded here, never refunded by the system.
    forfeited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The renewal a renewal, late or reinstatement fee paid for; None while unused.
    renewal_id: uuid.UUID | None = Field(
        default=None, sa_type=Uuid, sa_column_args=[ForeignKey("certification_renewal.id")]
    )
