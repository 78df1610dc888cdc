"""The applications service's employer alerts: an employer's profile, enrolments and alerts,
and who follows a certification."""

from __future__ import annotations

from typing import Any

from gateway.clients.base import BackendClient, parse_id

PROFILE = "/v1/employer/profile"
ENROLMENTS = "/v1/employer/enrolments"


class EmployerCalls(BackendClient):
    """An employer's own records; a certification's followers for its holder and staff."""

    async def employer_profile(self) -> dict[str, Any]:
        found: dict[str, Any] = await self._get(PROFILE)
        return found

    async def create_employer_profile(self, body: dict[str, Any]) -> dict[str, Any]:
        made: dict[str, Any] = await self._post(PROFILE, body)
        return made

    async def update_employer_profile(self, body: dict[str, Any]) -> dict[str, Any]:
        changed: dict[str, Any] = (await self._call("PATCH", PROFILE, json=body)).json()
        return changed

    async def rotate_webhook_secret(self, body: dict[str, Any]) -> dict[str, Any]:
        rotated: dict[str, Any] = await self._post(f"{PROFILE}/webhook-secret", body)
        return rotated

    async def enrol_certification(self, body: dict[str, Any]) -> dict[str, Any]:
        made: dict[str, Any] = await self._post(ENROLMENTS, body)
        return made

    async def unenrol_certification(self, enrolment: str) -> None:
        ident = parse_id(enrolment, what="enrolment", field="id")
        await self._call("DELETE", f"{ENROLMENTS}/{ident}")

    async def employer_enrolments(self, *, first: int, after: str | None) -> dict[str, Any]:
        return await self._page(ENROLMENTS, first=first, after=after)

    async def employer_alerts(self, *, first: int, after: str | None) -> dict[str, Any]:
        return await self._page("/v1/employer/alerts", first=first, after=after)

    async def followers_of(self, certification: str) -> list[dict[str, Any]]:
        ident = parse_id(certification, what="certification", field="certificationId")
        found: list[dict[str, Any]] = await self._get(f"/v1/certifications/{ident}/followers")
        return found
