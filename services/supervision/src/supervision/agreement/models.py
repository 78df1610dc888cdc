"""Tables of the supervision agreement aggregate."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime
from certboard_core.ids import new_id


class SupervisionAgreement(SQLModel, table=True):
    """A written agreement between a peer and a clinical supervisor (domain.md §Supervision)."""

    __tablename__ = "supervision_agreement"
    __table_args__ = (
        # Serves both "this peer's agreements" and the date filter of the active-agreement query.
        Index("ix_supervision_agreement_peer_starts", "peer_applicant_id", "starts_on"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    peer_applicant_id: str = Field(max_length=200)
    supervisor_id: str = Field(max_length=200)
    employer: str = Field(max_length=200)
    starts_on: date
    # Inclusive: the agreement still holds on this day. None: open-ended.
    ends_on: date | None = None
    signed_by_peer_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    signed_by_supervisor_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    relationship_attested: bool = Field(
        description="the supervisor attests no therapeutic, personal or family relationship"
    )
    created_at: datetime = Field(sa_type=UTCDateTime)
