"""The exams service: forms, attempts and results here; authorizations, summaries and
accommodations in ``exam_authorizations``."""

from __future__ import annotations

from typing import Any

from gateway.clients.base import FilePart, parse_id
from gateway.clients.exam_authorizations import AuthorizationCalls


class ExamsClient(AuthorizationCalls):
    """The exams service for one caller."""

    # -- exam forms (staff) ------------------------------------------------------------------
    def _form_path(self, form: str, *rest: str) -> str:
        parsed = parse_id(form, what="exam form", field="id")
        return "/".join(("/v1/exam-forms", str(parsed), *rest))

    async def list_exam_forms(
        self, *, language: str | None, status: str | None, first: int, after: str | None
    ) -> dict[str, Any]:
        """A page of exam forms, oldest first (no items, no keys)."""
        return await self._page(
            "/v1/exam-forms", first=first, after=after, language=language, status=status
        )

    async def get_exam_form(self, form: str) -> dict[str, Any]:
        """A form with its items' numbers and domains, without keys."""
        found: dict[str, Any] = await self._get(self._form_path(form))
        return found

    async def get_exam_form_key(self, form: str) -> dict[str, Any]:
        """The form's answer key: the one answer that carries keys."""
        key: dict[str, Any] = await self._get(self._form_path(form, "key"))
        return key

    async def create_exam_form(
        self, *, language: str, edition: str, items: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """A new draft form with its items."""
        body = {"language": language, "edition": edition, "items": items}
        created: dict[str, Any] = await self._post("/v1/exam-forms", body)
        return created

    async def import_exam_form(
        self, *, language: str, edition: str, file: FilePart
    ) -> dict[str, Any]:
        """A new draft form from a JSON or CSV file."""
        response = await self._call(
            "POST",
            "/v1/exam-forms/import",
            data={"language": language, "edition": edition},
            files={"file": file},
        )
        imported: dict[str, Any] = response.json()
        return imported

    async def replace_exam_form_items(
        self, form: str, *, expected_version: int, items: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Replace a draft's items."""
        body = {"expected_version": expected_version, "items": items}
        response = await self._call("PUT", self._form_path(form, "items"), json=body)
        replaced: dict[str, Any] = response.json()
        return replaced

    async def move_exam_form(
        self, form: str, action: str, *, expected_version: int
    ) -> dict[str, Any]:
        """Publish or retire a form (``action``: ``publish`` or ``retire``)."""
        moved: dict[str, Any] = await self._post(
            self._form_path(form, action), {"expected_version": expected_version}
        )
        return moved

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
        stats: dict[str, Any] = await self._get(f"/v1/exam-forms/{ident}/item-analysis")
        return stats

    async def correct_key(
        self, form: str, item_number: int, *, expected_version: int, key: str, reason: str
    ) -> dict[str, Any]:
        """Correct one item's key and rescore; answers what changed (never the key)."""
        ident = parse_id(form, what="form", field="formId")
        body = {"expected_version": expected_version, "key": key, "reason": reason}
        done: dict[str, Any] = await self._post(
            f"/v1/exam-forms/{ident}/items/{item_number}/key-correction", body
        )
        return done
