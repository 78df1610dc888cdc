"""The applications service's renewals and CE audits."""

from __future__ import annotations

import datetime
from typing import Any

from gateway.clients.base import BackendClient, FilePart, parse_id


def _certification(certification: str, *rest: str) -> str:
    ident = parse_id(certification, what="certification", field="certificationId")
    return "/".join(("/v1/certifications", str(ident), *rest))


def _audit(audit: str, *rest: str) -> str:
    return "/".join(("/v1/ce-audits", str(parse_id(audit, what="CE audit", field="id")), *rest))


class RenewalCalls(BackendClient):
    """Renewing a certification, and auditing renewals' CE."""

    async def renewal_view(self, certification: str) -> dict[str, Any]:
        """What renewing the certification takes today."""
        found: dict[str, Any] = await self._get(_certification(certification, "renewal"))
        return found

    async def renewals(self, certification: str) -> list[dict[str, Any]]:
        """The certification's renewals, oldest first."""
        found: list[dict[str, Any]] = await self._get(_certification(certification, "renewals"))
        return found

    async def renew(self, certification: str, body: dict[str, Any]) -> dict[str, Any]:
        """Renew the certification (the body as the service reads it)."""
        renewed: dict[str, Any] = await self._post(_certification(certification, "renewals"), body)
        return renewed

    async def expiring(
        self,
        *,
        first_day: datetime.date | None,
        last_day: datetime.date | None,
        first: int,
        after: str | None,
    ) -> dict[str, Any]:
        """Staff: certifications whose period ends in a span (this month by default)."""
        return await self._page(
            "/v1/certifications/expiring",
            first=first,
            after=after,
            **{"from": first_day, "to": last_day},
        )

    async def credential(self, certification: str) -> dict[str, Any]:
        """The certification's signed credential (the holder's or staff's)."""
        found: dict[str, Any] = await self._get(_certification(certification, "credential"))
        return found

    async def verify_credential(self, credential: str) -> dict[str, Any]:
        """Public: every check of a presented credential."""
        response = await self._call(
            "POST", "/v1/credentials/verify", anonymous=True, json={"credential": credential}
        )
        answer: dict[str, Any] = response.json()
        return answer

    async def draw_ce_audits(
        self, *, periods_from: datetime.date, periods_to: datetime.date, seed: int | None
    ) -> dict[str, Any]:
        """Staff: draw the policy's share of the renewals of periods that ended in a span."""
        body: dict[str, Any] = {
            "periods_from": periods_from.isoformat(),
            "periods_to": periods_to.isoformat(),
            "seed": seed,
        }
        made: dict[str, Any] = await self._post("/v1/ce-audits/draws", body)
        return made

    async def ce_audits(self, *, open_only: bool, first: int, after: str | None) -> dict[str, Any]:
        """A page of the audits the caller may read, by due day."""
        return await self._page("/v1/ce-audits", first=first, after=after, open_only=open_only)

    async def ce_audit(self, audit: str) -> dict[str, Any]:
        found: dict[str, Any] = await self._get(_audit(audit))
        return found

    async def ce_audit_counts(self) -> dict[str, Any]:
        counts: dict[str, Any] = await self._get("/v1/ce-audits/counts")
        return counts

    async def submit_ce_audit_proof(self, audit: str, document: FilePart) -> dict[str, Any]:
        response = await self._call("POST", _audit(audit, "proof"), files={"document": document})
        sent: dict[str, Any] = response.json()
        return sent

    async def decide_ce_audit(self, audit: str, body: dict[str, Any]) -> dict[str, Any]:
        decided: dict[str, Any] = await self._post(_audit(audit, "decision"), body)
        return decided
