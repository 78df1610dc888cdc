"""What this service asks other services synchronously, when a decision needs it now."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Literal, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from certboard_core.errors import UpstreamUnavailable
from certboard_core.identity import ServiceTokens

Answer = TypeVar("Answer", bound=BaseModel)


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


class ExamStandings(BaseModel):
    """Applications' answer for several applications; an id it does not know is absent."""

    items: list[ExamStanding]


class ApplicationsClient:
    """The applications service's internal API, called with this service's own identity."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, tokens: ServiceTokens) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens

    async def exam_standing(self, application_id: uuid.UUID) -> ExamStanding | None:
        """The application's exam standing now; None when applications knows no such id."""
        path = f"/internal/applications/{application_id}/exam-standing"
        return await self._get(path, ExamStanding, missing_ok=True)

    async def exam_standings(
        self, application_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, ExamStanding]:
        """The standings of those of ``application_ids`` applications knows, in one call."""
        params = {"application_id": [str(i) for i in application_ids]}
        found = await self._get("/internal/applications/exam-standings", ExamStandings, params)
        return {s.application_id: s for s in found.items} if found else {}

    async def _get(
        self,
        path: str,
        answer: type[Answer],
        params: dict[str, list[str]] | None = None,
        *,
        missing_ok: bool = False,
    ) -> Answer | None:
        """GET ``path`` as this service; None on a 404 that ``missing_ok`` allows, and any
        other failure is UPSTREAM_UNAVAILABLE."""
        try:
            response = await self.http.get(
                f"{self.base_url}{path}",
                params=params,
                headers={"Authorization": f"Bearer {self.tokens.token()}"},
            )
            if missing_ok and response.status_code == 404:
                return None
            response.raise_for_status()
            return answer.model_validate(response.json())
        except (httpx.HTTPError, ValueError, ValidationError) as exc:
            raise UpstreamUnavailable(
                "the applications service could not confirm the application's standing; "
                "nothing was stored; try again shortly",
                field="application_id",
            ) from exc
