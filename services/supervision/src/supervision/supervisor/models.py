"""Tables of the supervisor aggregate: clinical supervisors and their licenses."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type


class Verification(StrEnum):
    """Staff's check of the license against the licensing state's records."""

    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Supervisor(SQLModel, table=True):
    """A clinical supervisor: a user with the supervisor role, registered by themself and
    verified by staff (domain.md §Supervision)."""

    __tablename__ = "supervisor"
    __table_args__ = (CheckConstraint("supervision_ce_centihours >= 0", name="ce_not_negative"),)

    # The supervisor's token subject: the record is theirs, and agreements name it.
    id: str = Field(primary_key=True, max_length=200)
    name: str = Field(max_length=200)
    # A plain string, not the enum: the policy's list may change, stored licenses stay readable.
    # Where the board mails the supervisor (short-week reminders). None only on records made
    # before registration asked for it, until the supervisor adds it.
    contact_email: str | None = Field(default=None, max_length=254)
    license_type: str = Field(max_length=60)
    license_number: str = Field(max_length=100)
    license_state: str = Field(max_length=2)
    license_expires_on: date = Field(description="the last day the license is valid")
    first_licensed_on: date
    # Hundredths of an hour: CE hours are exact decimals, and SQLite has no exact decimal type.
    supervision_ce_centihours: int
    verification: Verification = Field(sa_type=enum_type(Verification))
    verified_by: str | None = Field(default=None, max_length=200)
    verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    verification_note: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1
