"""A renewal as recorded: which period it closed, on what terms, and which period it opened."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, UniqueConstraint, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class RenewalKind(StrEnum):
    """On time (in the window), late (lapsed, with the late fee) or a reinstatement (expired)."""

    ON_TIME = "on_time"
    LATE = "late"
    REINSTATEMENT = "reinstatement"


class Renewal(SQLModel, table=True):
    __tablename__ = "certification_renewal"
    __table_args__ = (
        # A period is renewed once, however many requests race for it.
        UniqueConstraint("certification_id", "previous_valid_through"),
        # The audit draw reads the renewals of the periods that ended on one day.
        Index("ix_certification_renewal_period", "previous_valid_through"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    certification_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("certification.id")]
    )
    kind: RenewalKind = Field(sa_type=enum_type(RenewalKind))
    renewed_on: date
    previous_valid_through: date
    valid_through: date
    # The attestations, as given: CE hours completed, and the Code of Ethics signed again.
    ce_attested: bool
    code_of_ethics_signed: bool
    # CE hours the ledger held for the closing cycle when it was renewed, and still needed.
    ce_earned_hundredths: int
    ce_still_needed_hundredths: int
    fees_cents: int
    # An expired certification's reinstatement is audited whatever the draw.
    audit_required: bool
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)


def snapshot(renewal: Renewal) -> dict[str, Any]:
    """The audit trail's picture of a renewal."""
    return renewal.model_dump(mode="json")
