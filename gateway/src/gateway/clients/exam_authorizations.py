"""The exams service's authorizations to test, summaries, accommodations and sweep."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from gateway.clients.base import BackendClient, FilePart, parse_id
from gateway.clients.providers import _key_headers

# The most applications one batch read of exam summaries accepts.
SUMMARIES_PER_CALL = 100


def _authorization(value: str) -> str:
    return f"/v1/exam-authorizations/{parse_id(value, what='authorization', field='id')}"


def _accommodation(value: str) -> str:
    return f"/v1/accommodations/{parse_id(value, what='accommodation request', field='id')}"


class AuthorizationCalls(BackendClient):
    """Calls on authorizations and accommodations; every answer is the service's JSON."""

    async def request_exam(
        self,
        *,
        application: str,
        language: str,
        delivery_mode: str,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """Request the exam for an application; answers the authorization granted."""
        body = {
            "application_id": str(parse_id(application, what="application", field="applicationId")),
            "language": language,
            "delivery_mode": delivery_mode,
        }
        response = await self._call(
            "POST", "/v1/exam-authorizations", json=body, headers=_key_headers(idempotency_key)
        )
        granted: dict[str, Any] = response.json()
        return granted

    async def get_authorization(self, authorization: str) -> dict[str, Any]:
        """One authorization, its status as of today."""
        found: dict[str, Any] = await self._get(_authorization(authorization))
        return found

    async def move_authorization(
        self, authorization: str, action: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        """A staff move (schedule, cancel-schedule, no-show, vendor-fault, void)."""
        moved: dict[str, Any] = await self._post(f"{_authorization(authorization)}/{action}", body)
        return moved

    async def exam_summary(self, application: str) -> dict[str, Any]:
        """One application's attempts and authorizations (owner or staff)."""
        app_id = parse_id(application, what="application", field="applicationId")
        summary: dict[str, Any] = await self._get(f"/v1/applications/{app_id}/exam-summary")
        return summary

    async def exam_summaries(self, ids: Sequence[uuid.UUID]) -> dict[str, Any]:
        """Summaries of up to 100 applications; those without authorizations are absent."""
        params = [("application_id", str(i)) for i in ids]
        response = await self._call("GET", "/v1/exam-summaries", params=params)
        summaries: dict[str, Any] = response.json()
        return summaries

    async def scheduling_queue(self, *, first: int, after: str | None) -> dict[str, Any]:
        """Authorizations awaiting scheduling, earliest review day first."""
        return await self._page("/v1/exam-queues/scheduling", first=first, after=after)

    async def accommodation_queue(self, *, first: int, after: str | None) -> dict[str, Any]:
        """Accommodation requests awaiting review, earliest review day first."""
        return await self._page("/v1/exam-queues/accommodations", first=first, after=after)

    async def queue_counts(self) -> dict[str, Any]:
        """Every exams work queue's size, breaches and earliest due day."""
        counts: dict[str, Any] = await self._get("/v1/exam-queues/counts")
        return counts

    async def queue_history(self, days: int) -> list[dict[str, Any]]:
        """The result-notice, accommodation and scheduling queues at the end of each of the last
        days."""
        found: dict[str, Any] = await self._get("/v1/exam-queues/history", days=days)
        days_: list[dict[str, Any]] = found["days"]
        return days_

    async def submit_accommodation(
        self, authorization: str, *, description: str, document: FilePart
    ) -> dict[str, Any]:
        """The applicant's accommodation request with its supporting document."""
        response = await self._call(
            "POST",
            f"{_authorization(authorization)}/accommodations",
            data={"description": description},
            files={"document": document},
        )
        request: dict[str, Any] = response.json()
        return request

    async def get_accommodation(self, accommodation: str) -> dict[str, Any]:
        """One accommodation request."""
        found: dict[str, Any] = await self._get(_accommodation(accommodation))
        return found

    async def decide_accommodation(
        self, accommodation: str, *, approve: bool, expected_version: int, reason: str | None
    ) -> dict[str, Any]:
        """Staff approve or deny an accommodation request."""
        action = "approve" if approve else "deny"
        body: dict[str, Any] = {"expected_version": expected_version}
        if reason is not None:
            body["reason"] = reason
        decided: dict[str, Any] = await self._post(
            f"{_accommodation(accommodation)}/{action}", body
        )
        return decided

    async def run_exam_sweep(self) -> dict[str, Any]:
        """Write expired unused authorizations now (development and test only)."""
        report: dict[str, Any] = await self._post("/internal/sweep")
        return report
