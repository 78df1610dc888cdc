"""What the supervision agreement API reads and returns."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field


class ActiveAgreementAnswer(BaseModel):
    """Whether a peer had a signed, current agreement with a clinical supervisor on a day."""

    applicant_id: str
    on: date = Field(description="the local day asked about, in the board's time zone")
    active: bool = Field(
        description="signed by both the peer and the supervisor, and in force on that day"
    )
    agreement_id: uuid.UUID | None = Field(description="the agreement in force; null when none")
