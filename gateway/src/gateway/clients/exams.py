"""The exams service: readiness and the test clock, and the calls each domain adds below."""

from __future__ import annotations

from typing import Any

from gateway.clients.base import BackendClient, parse_id


class ExamsClient(BackendClient):
    """The exams service for one caller."""

    # -- attempts, results, result notices, item analysis, key corrections ----------------

    async def record_attempt(self, body: dict[str, Any]) -> dict[str, Any]:
        """Record an attempt (responses or a vendor's score); answers its result."""
        parse_id(body["authorization_id"], what="authorization", field="authorizationId")
        attempt: dict[str, Any] = await self._post("/v1/attempts", body)
        return attempt

    async def get_attempt(self, attempt: str) -> dict[str, Any]:
        """One result the caller may read."""
        ident = parse_id(attempt, what="attempt", field="id")
        found: dict[str, Any] = await self._get(f"/v1/attempts/{ident}")
        return found

    async def list_attempts(
        self, *, application_id: str | None, first: int, after: str | None
    ) -> dict[str, Any]:
        """A page of the results the caller may read, oldest first."""
        if application_id is not None:
            parse_id(application_id, what="application", field="applicationId")
        return await self._page(
            "/v1/attempts", first=first, after=after, application_id=application_id
        )

    async def result_notice_queue(self, *, first: int, after: str | None) -> dict[str, Any]:
        """Unsent formal result notices, earliest due first, with counts."""
        return await self._page("/v1/result-notices", first=first, after=after)

    async def send_result_notice(self, attempt: str, *, expected_version: int) -> dict[str, Any]:
        """Send one formal result notice; answers the result."""
        ident = parse_id(attempt, what="attempt", field="id")
        sent: dict[str, Any] = await self._post(
            f"/v1/attempts/{ident}/result-notice", {"expected_version": expected_version}
        )
        return sent

    async def item_analysis(self, form: str) -> dict[str, Any]:
        """The form's item statistics."""
        ident = parse_id(form, what="form", field="formId")
        stats: dict[str, Any] = await self._get(f"/v1/forms/{ident}/item-analysis")
        return stats

    async def correct_key(
        self, form: str, item_number: int, *, expected_version: int, key: str, reason: str
    ) -> dict[str, Any]:
        """Correct one item's key and rescore; answers what changed (never the key)."""
        ident = parse_id(form, what="form", field="formId")
        body = {"expected_version": expected_version, "key": key, "reason": reason}
        done: dict[str, Any] = await self._post(
            f"/v1/forms/{ident}/items/{item_number}/key-correction", body
        )
        return done
