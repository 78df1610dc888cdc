"""What the certification routes answer, and the exam standing exams asks for."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pydantic import BaseModel, Field

from applications.certification.rules import CertificationStatus
from applications.discipline.rules import DisciplineOutcome
from certboard_core.fields import IsoDate, IsoDateTime


class CertificationPublic(BaseModel):
    """A certification as its holder and staff see it."""

    id: uuid.UUID
    number: str = Field(description="the public number, in groups of four")
    application_id: uuid.UUID
    applicant_id: str
    holder_name: str
    status: CertificationStatus = Field(
        description="as of today, whatever the sweep has written (renewal.rules.standing)"
    )
    status_since: IsoDate | None = Field(
        description="the status's first day; none for discipline's statuses"
    )
    status_until: IsoDate | None = Field(
        description="its last day unless renewed; none when open-ended or set by discipline"
    )
    status_rule: str = Field(description="the rule that gives the status, in words")
    issued_on: IsoDate = Field(description="the day of the exam that was passed")
    valid_through: IsoDate = Field(description="the last day the certification is valid")
    issued_at: IsoDateTime
    version: int


class PublicDiscipline(BaseModel):
    """A decision the public is shown (probation, suspension, revocation, surrender) with its
    dates; never the complaint, who made it, the reasons or the conditions."""

    outcome: DisciplineOutcome
    decided_on: IsoDate
    ends_on: IsoDate | None = Field(description="probation's or a suspension's last day")
    in_force: bool = Field(description="whether it still binds today")


class Verification(BaseModel):
    """What anyone may learn about a certificate number, and nothing more."""

    holder_name: str
    number: str = Field(description="the public number, in groups of four")
    status: CertificationStatus = Field(
        description="as of today: active (also in the renewal window), lapsed (in grace: "
        "renewal late, practice still lawful), expired (also terminated), suspended, revoked "
        "or surrendered"
    )
    issued_on: IsoDate
    valid_through: IsoDate
    discipline: list[PublicDiscipline] = Field(description="oldest decision first")
    credential_url: str | None = Field(
        description="where its signed credential is fetched, while it may be relied on"
    )


class VerificationPage(BaseModel):
    """Holders whose name matches a search, by first name then number."""

    items: list[Verification]
    next_cursor: str | None


class StandingCertificate(BaseModel):
    id: uuid.UUID
    completed_on: IsoDate
    valid_through: IsoDate


class StandingFee(BaseModel):
    reference: str
    kind: str = Field(description="exam or retake")
    paid_on: IsoDate = Field(description="the board's local day of payment")


class Unmet(BaseModel):
    code: str
    message: str
    field: str | None = None


class ExamStanding(BaseModel):
    """The applications-owned conditions of an exam request, as of now (exams asks)."""

    application_id: uuid.UUID
    applicant_id: str
    status: str = Field(description="the application's status as of today")
    approved_on: IsoDate | None
    valid_through: IsoDate | None
    training_certificates: list[StandingCertificate] = Field(
        description="accepted certificates linked to the application, still valid today"
    )
    exam_fees: list[StandingFee] = Field(description="exam and retake fees, not forfeited")
    unmet: list[Unmet] = Field(description="the conditions not met; empty when all are")


class ExamStandings(BaseModel):
    """Standings of several applications; an id applications does not know is absent."""

    items: list[ExamStanding]


class ExpiringCertification(CertificationPublic):
    """A certification whose period ends soon, with the CE its closing cycle still needs."""

    ce_still_needed_hours: Decimal = Field(
        description="hours the cycle this period closes still needs, by the ledger"
    )


class ExpiringPage(BaseModel):
    """Certifications whose period ends in a span, soonest first, and how many in all."""

    items: list[ExpiringCertification]
    next_cursor: str | None
    total: int = Field(description="in the span, on every page")
    starts_on: IsoDate
    ends_on: IsoDate
