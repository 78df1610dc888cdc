"""What the supervision session API reads and returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from certboard_core.fields import IsoDate, IsoDateTime
from supervision.session.models import SessionFormat, Topic

# Local wall-clock time in the board's zone, minutes precision.
LocalTime = Annotated[
    str,
    Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["14:00"], description="HH:MM, local"),
]


def _distinct(topics: list[Topic]) -> list[Topic]:
    if len(set(topics)) != len(topics):
        raise ValueError("each topic once")
    return sorted(topics)


Topics = Annotated[list[Topic], Field(min_length=1), AfterValidator(_distinct)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Number = Annotated[str, Field(min_length=1, max_length=100)]


class SessionTimes(BaseModel):
    """When a session was held and what it covered."""

    held_on: IsoDate = Field(description="the local day, in the board's time zone")
    start_time: LocalTime
    stop_time: LocalTime
    format: SessionFormat
    topics: Topics


class SessionLog(SessionTimes):
    """A session the peer logs; the supervisor signs it off afterwards."""

    agreement_id: uuid.UUID
    peer_name: Name
    peer_certification_number: Number | None = Field(
        default=None, description="null while the peer is not yet certified"
    )


class SignOff(BaseModel):
    """The supervisor's sign-off, with the name and license number the log must hold."""

    expected_version: int = Field(ge=1)
    supervisor_name: Name
    supervisor_license_number: Number


class SessionAmendment(SessionTimes):
    """A correction by the supervisor: a new, signed-off row that supersedes the old one."""

    expected_version: int = Field(ge=1)
    reason: str = Field(min_length=1, max_length=2000)
    supervisor_name: Name
    supervisor_license_number: Number


class SessionPublic(BaseModel):
    """A logged session as stored; ``locked`` once signed off, ``current`` until amended."""

    id: uuid.UUID
    agreement_id: uuid.UUID
    peer_applicant_id: str
    supervisor_id: str
    peer_name: str
    peer_certification_number: str | None
    supervisor_name: str | None
    supervisor_license_number: str | None
    held_on: date
    start_time: str
    stop_time: str
    minutes: int
    format: SessionFormat
    topics: list[Topic]
    signed_off_at: IsoDateTime | None
    signed_off_by: str | None
    locked: bool
    current: bool
    supersedes_id: uuid.UUID | None
    amendment_reason: str | None
    superseded_at: datetime | None
    superseded_by: str | None
    created_at: datetime
    created_by: str
    version: int


class SessionList(BaseModel):
    items: list[SessionPublic]


class SessionPage(BaseModel):
    items: list[SessionPublic]
    next_cursor: str | None
