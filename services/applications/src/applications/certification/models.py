"""The certification a pass produces: one per application, under a random public number."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, UniqueConstraint, Uuid
from sqlmodel import Field, SQLModel

from applications.certification.rules import CertificationStatus
from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class Certification(SQLModel, table=True):
    __tablename__ = "certification"
    __table_args__ = (
        UniqueConstraint("number"),
        # One pass certifies an application once, whatever events repeat it.
        UniqueConstraint("application_id"),
        Index("ix_certification_applicant", "applicant_id"),
        # Public lookup by name: a last name, then a first name's beginning, then the number.
        Index("ix_certification_name", "last_name_key", "first_name_key", "number"),
        # Staff's list of those ending in a span, and its last days (queue.history_repository).
        Index("ix_certification_valid_through", "valid_through", "status"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    number: str = Field(max_length=20)
    application_id: uuid.UUID = Field(sa_type=Uuid, sa_column_args=[ForeignKey("application.id")])
    applicant_id: str = Field(max_length=200)
    # The name as the application gave it, fixed at issue: what verification shows.
    holder_name: str = Field(max_length=201)
    # The same name as public lookup compares it (``names.name_key``), one key per part.
    last_name_key: str = Field(max_length=200)
    first_name_key: str = Field(max_length=200)
    issued_on: date
    valid_through: date
    status: CertificationStatus = Field(
        default=CertificationStatus.ACTIVE, sa_type=enum_type(CertificationStatus)
    )
    # A suspension's last day (domain.md: "a suspension's end date is its last suspended day");
    # after it the certification stands as time says, whatever is stored.
    suspended_through: date | None = None
    # The pass it was issued for (exams' attempt), so the record says where it came from.
    attempt_id: str = Field(max_length=100)
    issued_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


def snapshot(certification: Certification) -> dict[str, Any]:
    """The audit trail's picture of a certification."""
    return certification.model_dump(mode="json")
