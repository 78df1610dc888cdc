"""What this service asks other services synchronously, when a decision needs it now."""

from __future__ import annotations

from datetime import date

import httpx

from certboard_core.errors import UpstreamUnavailable
from certboard_core.identity import ServiceTokens


class SupervisionClient:
    """The supervision service's internal API, called with this service's own identity."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, tokens: ServiceTokens) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens

    async def has_active_agreement(self, applicant_id: str, on: date) -> bool:
        """Whether a supervision agreement signed by both sides covers ``on``."""
        try:
            response = await self.http.get(
                f"{self.base_url}/internal/agreements/active",
                params={"applicant_id": applicant_id, "on": on.isoformat()},
                headers={"Authorization": f"Bearer {self.tokens.token()}"},
            )
            response.raise_for_status()
            return bool(response.json()["active"])
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            raise UpstreamUnavailable(
                "the supervision service could not confirm the supervision agreement; "
                "try again shortly",
                field="supervision_agreement",
            ) from exc
