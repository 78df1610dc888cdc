"""The supervision service: supervisors and their agreements with peers, session logs, hours
worked and the compliance report."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from gateway.clients.base import BackendClient, parse_id

SESSIONS = "/v1/supervision/sessions"
HOURS = "/v1/supervision/hours"
AGREEMENT_SESSIONS = "/v1/supervision/agreement-sessions"
# The service's bounds on one batched read of peers' agreements, and of agreements' sessions.
AGREEMENTS_PEERS_PER_CALL = 100
SESSIONS_AGREEMENTS_PER_CALL = 100


class SupervisionClient(BackendClient):
    """The supervision service for one caller."""

    # -- supervisors ----------------------------------------------------------------------

    def _supervisor_path(self, supervisor: str, *rest: str) -> str:
        # A supervisor's id is their user id, any text: quoted so it stays one path segment.
        return "/".join(("/v1/supervisors", quote(supervisor, safe=""), *rest))

    async def register_supervisor(self, body: dict[str, Any]) -> dict[str, Any]:
        """Record the caller's own license and supervision training."""
        created: dict[str, Any] = await self._post("/v1/supervisors", body)
        return created

    async def get_supervisor(self, supervisor: str) -> dict[str, Any]:
        """One supervisor and whether they qualify today."""
        found: dict[str, Any] = await self._get(self._supervisor_path(supervisor))
        return found

    async def list_supervisors(
        self, *, verification: str | None, first: int, after: str | None
    ) -> dict[str, Any]:
        """A page of supervisors, oldest record first."""
        return await self._page(
            "/v1/supervisors", first=first, after=after, verification=verification
        )

    async def correct_supervisor(
        self, supervisor: str, *, expected_version: int, changes: dict[str, Any]
    ) -> dict[str, Any]:
        """Correct the caller's own record (absent fields stay as they are)."""
        body = {"expected_version": expected_version, **changes}
        response = await self._call("PATCH", self._supervisor_path(supervisor), json=body)
        corrected: dict[str, Any] = response.json()
        return corrected

    async def verify_supervisor(
        self, supervisor: str, *, expected_version: int, decision: str, note: str | None
    ) -> dict[str, Any]:
        """Staff's verification of the supervisor's license."""
        body = {"expected_version": expected_version, "decision": decision, "note": note}
        verified: dict[str, Any] = await self._post(
            self._supervisor_path(supervisor, "verification"), body
        )
        return verified

    # -- agreements -----------------------------------------------------------------------

    def _agreement_path(self, agreement: str, *rest: str) -> str:
        parsed = parse_id(agreement, what="agreement", field="agreement_id")
        return "/".join(("/v1/agreements", str(parsed), *rest))

    async def draft_agreement(self, body: dict[str, Any]) -> dict[str, Any]:
        """The caller (a peer) drafts an agreement with a supervisor."""
        created: dict[str, Any] = await self._post("/v1/agreements", body)
        return created

    async def get_agreement(self, agreement: str) -> dict[str, Any]:
        """One agreement with its amendments."""
        found: dict[str, Any] = await self._get(self._agreement_path(agreement))
        return found

    async def list_agreements(self, *, first: int, after: str | None) -> dict[str, Any]:
        """A page of the agreements the caller may read, oldest first."""
        return await self._page("/v1/agreements", first=first, after=after)

    async def agreements_of_peers(self, peer_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Every agreement of up to ``AGREEMENTS_PEERS_PER_CALL`` peers the caller may read."""
        params = [("peer_applicant_id", p) for p in peer_ids]
        response = await self._call("GET", "/v1/peer-agreements", params=params)
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    async def amend_agreement(
        self, agreement: str, *, expected_version: int, changes: dict[str, Any]
    ) -> dict[str, Any]:
        """New terms for the agreement; both signatures are cleared."""
        body = {"expected_version": expected_version, **changes}
        response = await self._call("PATCH", self._agreement_path(agreement), json=body)
        amended: dict[str, Any] = response.json()
        return amended

    async def sign_agreement(self, agreement: str, *, expected_version: int) -> dict[str, Any]:
        """The caller signs for their side of the agreement."""
        signed: dict[str, Any] = await self._post(
            self._agreement_path(agreement, "signatures"), {"expected_version": expected_version}
        )
        return signed

    async def terminate_agreement(
        self,
        agreement: str,
        *,
        expected_version: int,
        terminated_on: datetime.date,
        reason: str,
    ) -> dict[str, Any]:
        """End the agreement on a day, saying why."""
        body = {
            "expected_version": expected_version,
            "terminated_on": terminated_on.isoformat(),
            "reason": reason,
        }
        ended: dict[str, Any] = await self._post(
            self._agreement_path(agreement, "termination"), body
        )
        return ended

    def _session_path(self, session: str, *rest: str) -> str:
        parsed = parse_id(session, what="session", field="session_id")
        return "/".join((SESSIONS, str(parsed), *rest))

    async def log_session(self, body: dict[str, Any]) -> dict[str, Any]:
        """The peer logs a session for the supervisor's sign-off."""
        logged: dict[str, Any] = await self._post(SESSIONS, body)
        return logged

    async def sign_off_session(self, session: str, body: dict[str, Any]) -> dict[str, Any]:
        """The supervisor signs a session off, which locks it."""
        signed: dict[str, Any] = await self._post(self._session_path(session, "sign-off"), body)
        return signed

    async def amend_session(self, session: str, body: dict[str, Any]) -> dict[str, Any]:
        """The supervisor supersedes a session with a corrected, signed-off one."""
        amended: dict[str, Any] = await self._post(self._session_path(session, "amendments"), body)
        return amended

    async def sessions_of_agreements(self, agreement_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The current sessions of up to ``SESSIONS_AGREEMENTS_PER_CALL`` agreements the caller
        may see, by start time."""
        params = [
            ("agreement_id", str(parse_id(a, what="agreement", field="id"))) for a in agreement_ids
        ]
        response = await self._call("GET", AGREEMENT_SESSIONS, params=params)
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    async def list_sessions(self, *, first: int, **filters: Any) -> dict[str, Any]:
        """A page of the sessions the caller may see."""
        return await self._page(SESSIONS, first=first, **filters)

    async def report_hours(self, body: dict[str, Any]) -> dict[str, Any]:
        """The peer reports hours worked on a day or in a week."""
        reported: dict[str, Any] = await self._post(HOURS, body)
        return reported

    async def amend_hours(self, hours: str, body: dict[str, Any]) -> dict[str, Any]:
        """The peer corrects a report; the earlier one stays."""
        parsed = parse_id(hours, what="hours report", field="hours_id")
        amended: dict[str, Any] = await self._post(f"{HOURS}/{parsed}/amendments", body)
        return amended

    async def list_hours(self, *, first: int, **filters: Any) -> dict[str, Any]:
        """A page of the hours reports the caller may see."""
        return await self._page(HOURS, first=first, **filters)

    async def compliance(
        self, *, first_day: datetime.date, last_day: datetime.date, peer: str | None
    ) -> dict[str, Any]:
        """The compliance report over whole weeks, for the peers the caller may see."""
        report: dict[str, Any] = await self._get(
            "/v1/supervision/compliance",
            **{"from": first_day, "to": last_day, "peer_applicant_id": peer},
        )
        return report

    async def shortfalls(self, *, weeks: int, first: int, after: str | None) -> dict[str, Any]:
        """Staff: a page of the short weeks, earliest follow-up day first, with the counts."""
        return await self._page(
            "/v1/supervision/compliance/shortfalls", first=first, after=after, weeks=weeks
        )

    async def shortfall_history(self, days: int) -> list[dict[str, Any]]:
        """Staff: the short-week queue at the end of each of the last days."""
        found: dict[str, Any] = await self._get(
            "/v1/supervision/compliance/shortfalls/history", days=days
        )
        days_: list[dict[str, Any]] = found["days"]
        return days_

    async def overview(
        self, *, first_day: datetime.date | None, last_day: datetime.date | None
    ) -> dict[str, Any]:
        """The caller's agreements, their current sessions and their peers' compliance."""
        found: dict[str, Any] = await self._get(
            "/v1/supervision/overview", **{"from": first_day, "to": last_day}
        )
        return found
