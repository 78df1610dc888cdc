"""What the CE audit routes read and answer."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import UploadFile
from pydantic import BaseModel, Field, model_validator

from applications.ce_audit.rules import AuditOutcome, AuditStatus
from certboard_core.fields import IsoDate, IsoDateTime
from certboard_core.schemas import RequestModel


class DrawRequest(RequestModel):
    periods_from: IsoDate = Field(description="renewals of periods that ended on or after")
    periods_to: IsoDate = Field(description="... and on or before this day")
    seed: int | None = Field(
        default=None, ge=0, lt=2**63, description="repeat a draw; omitted: a fresh random one"
    )


class AuditDecision(RequestModel):
    expected_version: int
    outcome: AuditOutcome
    reason: str | None = Field(default=None, min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _reason_when_not_accepted(self) -> AuditDecision:
        if self.outcome is not AuditOutcome.ACCEPTED and self.reason is None:
            raise ValueError("a deficient or referred audit needs a reason")
        return self


class ProofUpload(BaseModel):
    document: UploadFile = Field(description="certificates of the CE hours; JPEG or PDF")


class AuditPublic(BaseModel):
    id: uuid.UUID
    renewal_id: uuid.UUID
    certification_id: uuid.UUID
    applicant_id: str
    draw_id: uuid.UUID | None = Field(description="null: mandatory (a reinstatement)")
    status: AuditStatus
    proof_due_on: IsoDate
    cure_due_on: IsoDate | None
    due_on: IsoDate = Field(description="the day the current step is due")
    overdue: bool = Field(description="the holder let the day to send proof pass")
    proof_name: str | None
    proof_received_at: IsoDateTime | None
    reviewed_by: str | None
    reviewed_at: IsoDateTime | None
    review_reason: str | None
    created_at: IsoDateTime
    version: int


class AuditPage(BaseModel):
    items: list[AuditPublic]
    next_cursor: str | None


class AuditCounts(BaseModel):
    awaiting_proof: int
    to_review: int
    in_cure: int
    referred: int
    overdue: int = Field(description="waiting on the holder past its day")
    next_due_on: date | None


class DrawPublic(BaseModel):
    id: uuid.UUID
    periods_from: IsoDate
    periods_to: IsoDate
    seed: int = Field(description="the same seed over the same renewals draws the same ones")
    share_percent: int
    population: int
    selected: int
    drawn_by: str
    drawn_at: IsoDateTime
    audits: list[AuditPublic]
