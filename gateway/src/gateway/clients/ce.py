"""The applications service's continuing-education ledger: providers' CE courses and reported
completions, holders' self-reports, and staff verification."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gateway.clients.base import BackendClient, FilePart, parse_id, wire_values
from gateway.clients.providers import REPLAYED_HEADER, UploadAnswer, _key_headers

# The most certification ids one batch read of CE records accepts.
CE_RECORDS_PER_CALL = 200
RECORDS = "/v1/ce-records"


def _provider(provider: str, *rest: str) -> str:
    ident = parse_id(provider, what="provider", field="providerId")
    return "/".join(("/v1/providers", str(ident), *rest))


def _certification(certification: str) -> str:
    ident = parse_id(certification, what="certification", field="certificationId")
    return f"/v1/certifications/{ident}/ce-records"


def _record(record: str, action: str) -> str:
    return f"{RECORDS}/{parse_id(record, what='CE record', field='id')}/{action}"


@dataclass(frozen=True)
class SelfReportForm:
    """A completion the holder reports, with its certificate of completion."""

    course_title: str
    provider_name: str
    hours: str
    category: str
    completed_on: datetime.date
    document: FilePart

    def form(self) -> dict[str, str]:
        """The multipart form fields besides the document."""
        return wire_values(
            course_title=self.course_title,
            provider_name=self.provider_name,
            hours=self.hours,
            category=self.category,
            completed_on=self.completed_on,
        )


class CeCalls(BackendClient):
    """The CE ledger's routes of the applications service."""

    async def ce_courses(self, provider: str) -> list[dict[str, Any]]:
        """A provider's CE courses."""
        found: list[dict[str, Any]] = await self._get(_provider(provider, "ce-courses"))
        return found

    async def add_ce_course(
        self, provider: str, *, name: str, hours: str, category: str
    ) -> dict[str, Any]:
        """Staff: approve a CE course of the provider."""
        body = {"name": name, "hours": hours, "category": category}
        created: dict[str, Any] = await self._post(_provider(provider, "ce-courses"), body)
        return created

    async def update_ce_course(
        self, provider: str, course: str, *, expected_version: int, active: bool
    ) -> dict[str, Any]:
        """Staff: withdraw a CE course, or approve it again."""
        ident = parse_id(course, what="CE course", field="id")
        response = await self._call(
            "PATCH",
            _provider(provider, "ce-courses", str(ident)),
            json={"expected_version": expected_version, "active": active},
        )
        updated: dict[str, Any] = response.json()
        return updated

    async def report_ce_completions(
        self, provider: str, rows: list[dict[str, Any]], idempotency_key: str | None
    ) -> UploadAnswer:
        """Send completion rows; a retry with the same key and rows replays the first answer."""
        response = await self._call(
            "POST",
            _provider(provider, "ce-completions"),
            headers=_key_headers(idempotency_key),
            json={"completions": rows},
        )
        return UploadAnswer(
            body=response.json(), replayed=response.headers.get(REPLAYED_HEADER) == "true"
        )

    async def reported_ce_completions(
        self, provider: str, *, first: int, after: str | None
    ) -> dict[str, Any]:
        """A page of the completions the provider reported, in the order received."""
        return await self._page(_provider(provider, "ce-completions"), first=first, after=after)

    async def self_report_ce(self, certification: str, report: SelfReportForm) -> dict[str, Any]:
        """The holder reports a completion with its proof; answers the new record."""
        response = await self._call(
            "POST",
            _certification(certification),
            data=report.form(),
            files={"document": report.document},
        )
        record: dict[str, Any] = response.json()
        return record

    async def ce_records_of(self, certification_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The CE records of up to ``CE_RECORDS_PER_CALL`` certifications the caller may read,
        by certification, then completion day."""
        params = [("certification_id", c) for c in certification_ids]
        response = await self._call("GET", RECORDS, params=params)
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    async def ce_record_counts(self) -> dict[str, Any]:
        """How many self-reports wait for verification, and since when the oldest."""
        counts: dict[str, Any] = await self._get(f"{RECORDS}/summary")
        return counts

    async def ce_verification_queue(self, *, first: int, after: str | None) -> dict[str, Any]:
        """A page of self-reports waiting for staff, oldest first."""
        return await self._page(f"{RECORDS}/verification-queue", first=first, after=after)

    async def review_ce_record(
        self, record: str, *, accept: bool, expected_version: int, reason: str | None
    ) -> dict[str, Any]:
        """Staff: accept or reject a self-reported completion."""
        body = {"expected_version": expected_version, "reason": reason}
        reviewed: dict[str, Any] = await self._post(
            _record(record, "accept" if accept else "reject"), body
        )
        return reviewed
