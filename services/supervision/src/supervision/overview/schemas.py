"""What the overview returns: a party's agreements, their sessions and compliance at once."""

from __future__ import annotations

from pydantic import BaseModel, Field

from supervision.agreement.schemas import AgreementPublic
from supervision.compliance.schemas import ComplianceReportPublic
from supervision.session.schemas import SessionPublic


class Overview(BaseModel):
    """A peer's or a supervisor's supervision, in one read."""

    agreements: list[AgreementPublic] = Field(description="oldest first")
    agreements_complete: bool = Field(
        description="false when there were more agreements than one overview holds "
        "(the rest are on /v1/agreements)"
    )
    sessions: list[SessionPublic] = Field(
        description="the current sessions of those agreements, by start time"
    )
    compliance: ComplianceReportPublic
