"""The supervision service: session logs, hours worked and the compliance report."""

from __future__ import annotations

import datetime
from typing import Any

from gateway.clients.base import BackendClient, parse_id

SESSIONS = "/v1/supervision/sessions"
HOURS = "/v1/supervision/hours"


class SupervisionClient(BackendClient):
    """The supervision service for one caller."""

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
