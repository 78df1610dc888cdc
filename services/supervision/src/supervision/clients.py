"""What this service asks other services synchronously, when a decision needs it now."""

from __future__ import annotations

import httpx
from pydantic import BaseModel, ValidationError

from certboard_core.errors import ErrorReason, UpstreamUnavailable
from certboard_core.identity import ServiceTokens
from supervision.errors import PeerDisciplined


class DisciplineBars(BaseModel):
    """Applications' answer: whether discipline bars the person today, and why."""

    applicant_id: str
    barred: bool
    reasons: list[ErrorReason]


class ApplicationsClient:
    """The applications service's internal API, called with this service's own identity."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, tokens: ServiceTokens) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens

    async def refuse_if_disciplined(self, applicant_id: str) -> None:
        """Refuse a peer whom discipline bars today (suspended, revoked, surrendered): no
        supervision agreement while it lasts (domain.md §Discipline and verification)."""
        try:
            response = await self.http.get(
                f"{self.base_url}/internal/discipline/bars",
                params={"applicant_id": applicant_id},
                headers={"Authorization": f"Bearer {self.tokens.token()}"},
            )
            response.raise_for_status()
            answer = DisciplineBars.model_validate(response.json())
        except (httpx.HTTPError, ValueError, ValidationError) as exc:
            raise UpstreamUnavailable(
                "the applications service could not confirm the peer's standing; nothing was "
                "stored; try again shortly",
                field="peer_applicant_id",
            ) from exc
        if answer.barred:
            raise PeerDisciplined(
                "; ".join(r.message for r in answer.reasons),
                field="peer_applicant_id",
                reasons=answer.reasons,
            )
