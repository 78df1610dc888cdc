"""What this service asks other services synchronously, when a decision needs it now."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

import httpx
from pydantic import BaseModel, ValidationError

from certboard_core.errors import UpstreamUnavailable
from certboard_core.identity import ServiceTokens


class TrainingCertificate(BaseModel):
    id: uuid.UUID
    completed_on: date
    valid_through: date


class ExamFee(BaseModel):
    reference: str
    kind: Literal["exam", "retake"]
    paid_on: date


class Unmet(BaseModel):
    code: str
    message: str
    field: str | None = None


class ExamStanding(BaseModel):
    """Applications' answer: the application's state as of now and what it lacks for an exam."""

    application_id: uuid.UUID
    applicant_id: str
    status: str
    approved_on: date | None
    valid_through: date | None
    training_certificates: list[TrainingCertificate]
    exam_fees: list[ExamFee]
    unmet: list[Unmet]


class ApplicationsClient:
    """The applications service's internal API, called with this service's own identity."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, tokens: ServiceTokens) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens

    async def exam_standing(self, application_id: uuid.UUID) -> ExamStanding | None:
        """The application's exam standing now; None when applications knows no such id."""
        try:
            response = await self.http.get(
                f"{self.base_url}/internal/applications/{application_id}/exam-standing",
                headers={"Authorization": f"Bearer {self.tokens.token()}"},
            )
            if response.status_code == 404:
                return None
            response.raise_for_status()
            return ExamStanding.model_validate(response.json())
        except (httpx.HTTPError, ValueError, ValidationError) as exc:
            raise UpstreamUnavailable(
                "the applications service could not confirm the application's standing; "
                "nothing was stored; try again shortly",
                field="application_id",
            ) from exc
