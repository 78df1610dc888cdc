"""Tables of the supervision agreement aggregate: agreements and their amendments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, UniqueConstraint, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class SupervisionAgreement(SQLModel, table=True):
    """A written agreement between a peer and a clinical supervisor (domain.md §Supervision).

    Never deleted (the database refuses it): a change is an amendment, an end a termination.
    """

    __tablename__ = "supervision_agreement"
    __table_args__ = (
        # Serves both "this peer's agreements" and the date filter of the active-agreement query.
        Index("ix_supervision_agreement_peer_starts", "peer_applicant_id", "starts_on"),
        Index("ix_supervision_agreement_supervisor", "supervisor_id"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    peer_applicant_id: str = Field(max_length=200)
    # The supervisor record's id (the supervisor's token subject).
    supervisor_id: str = Field(max_length=200)
    employer: str = Field(max_length=200)
    starts_on: date
    # Inclusive: the agreement still holds on this day. None: open-ended.
    ends_on: date | None = None
    signed_by_peer_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    signed_by_supervisor_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    relationship_attested: bool = Field(
        description="no prior therapeutic or personal relationship between the two"
    )
    not_family_attested: bool = Field(
        default=False,
        description="the supervisor is not the peer's parent, child, spouse or sibling",
    )
    created_by: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    # Inclusive, like ends_on: the last day the agreement held.
    terminated_on: date | None = None
    termination_reason: str | None = Field(default=None, max_length=1000)
    terminated_by: str | None = Field(default=None, max_length=200)
    terminated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 1


class AmendmentKind(StrEnum):
    AMENDED = "amended"
    TERMINATED = "terminated"


class AgreementAmendment(SQLModel, table=True):
    """One change to an agreement's terms, keeping the earlier ones (append-only)."""

    __tablename__ = "supervision_agreement_amendment"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    agreement_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("supervision_agreement.id")]
    )
    number: int = Field(description="1 for the first amendment of the agreement, then 2, ...")
    kind: AmendmentKind = Field(sa_type=enum_type(AmendmentKind))
    earlier_terms: dict[str, Any] = Field(sa_type=JSON)
    terms: dict[str, Any] = Field(sa_type=JSON)
    reason: str | None = Field(default=None, max_length=1000)
    amended_by: str = Field(max_length=200)
    amended_at: datetime = Field(sa_type=UTCDateTime)
