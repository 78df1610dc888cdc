"""What the supervisor API reads and returns."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, EmailStr, Field, StringConstraints

from certboard_core.errors import ErrorReason
from certboard_core.fields import IsoDate
from supervision.policy import LicenseType
from supervision.supervisor.models import Verification

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LicenseNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
]
State = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
CeHours = Annotated[Decimal, Field(ge=0, le=100_000, decimal_places=2)]


class SupervisorRegistration(BaseModel):
    """A supervisor's own record: their license and their supervision training."""

    name: Text
    contact_email: EmailStr = Field(description="where the board mails you (reminders)")
    license_type: LicenseType
    license_number: LicenseNumber
    license_state: State = Field(description="the licensing state, two capital letters")
    license_expires_on: IsoDate = Field(description="the last day the license is valid")
    first_licensed_on: IsoDate
    supervision_ce_hours: CeHours = Field(description="clinical supervision CE hours, exact")


class SupervisorChange(BaseModel):
    """Corrected facts; a change to the license or CE hours needs staff to verify it again."""

    expected_version: int
    name: Text | None = None
    contact_email: EmailStr | None = None
    license_type: LicenseType | None = None
    license_number: LicenseNumber | None = None
    license_state: State | None = None
    license_expires_on: IsoDate | None = None
    first_licensed_on: IsoDate | None = None
    supervision_ce_hours: CeHours | None = None


class Decision(StrEnum):
    VERIFIED = "verified"
    REJECTED = "rejected"


class VerificationDecision(BaseModel):
    """Staff's check of the license with the licensing state."""

    expected_version: int
    decision: Decision
    note: str | None = Field(
        default=None, max_length=1000, description="required when rejecting: why"
    )


class Qualification(BaseModel):
    """Whether the supervisor qualifies on a day, and every condition unmet."""

    on: date
    qualified: bool
    unmet: list[ErrorReason]


class SupervisorPublic(BaseModel):
    id: str = Field(description="the supervisor's user id")
    name: str
    contact_email: str | None = Field(description="None on records made before it was asked for")
    license_type: str
    license_number: str
    license_state: str
    license_expires_on: date
    first_licensed_on: date
    supervision_ce_hours: Decimal
    verification: Verification
    verified_by: str | None
    verified_at: datetime | None
    verification_note: str | None
    created_at: datetime
    version: int
    qualification: Qualification = Field(description="as of today in the board's time zone")


class SupervisorPage(BaseModel):
    items: list[SupervisorPublic]
    next_cursor: str | None
