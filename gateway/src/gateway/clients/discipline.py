"""The applications service's complaints and discipline."""

from __future__ import annotations

from typing import Any

from gateway.clients.base import BackendClient, FilePart, parse_id


def _complaint(complaint: str, *rest: str) -> str:
    ident = parse_id(complaint, what="complaint", field="id")
    return "/".join(("/v1/complaints", str(ident), *rest))


class DisciplineCalls(BackendClient):
    """Complaints from anyone; staff's queue and decisions; a certification's decisions."""

    async def file_complaint(
        self, form: dict[str, str], attachments: list[FilePart]
    ) -> dict[str, Any]:
        """File a complaint (with the caller's token if any)."""
        response = await self._call(
            "POST",
            "/v1/complaints",
            data=form,
            files=[("attachments", part) for part in attachments] or None,
        )
        receipt: dict[str, Any] = response.json()
        return receipt

    async def complaints(self, *, decided: bool, first: int, after: str | None) -> dict[str, Any]:
        return await self._page("/v1/complaints", first=first, after=after, decided=decided)

    async def complaint(self, complaint: str) -> dict[str, Any]:
        found: dict[str, Any] = await self._get(_complaint(complaint))
        return found

    async def take_up_complaint(self, complaint: str, body: dict[str, Any]) -> dict[str, Any]:
        taken: dict[str, Any] = await self._post(_complaint(complaint, "investigation"), body)
        return taken

    async def decide_complaint(self, complaint: str, body: dict[str, Any]) -> dict[str, Any]:
        decided: dict[str, Any] = await self._post(_complaint(complaint, "decision"), body)
        return decided

    async def discipline_of(self, certification: str) -> list[dict[str, Any]]:
        ident = parse_id(certification, what="certification", field="certificationId")
        found: list[dict[str, Any]] = await self._get(f"/v1/certifications/{ident}/discipline")
        return found
