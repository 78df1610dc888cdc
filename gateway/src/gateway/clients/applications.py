"""The applications service: applications, their documents, fees, notices and work queues."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from gateway.clients.base import FilePart, parse_id, wire_values
from gateway.clients.ce import CeCalls
from gateway.clients.discipline import DisciplineCalls
from gateway.clients.employers import EmployerCalls
from gateway.clients.providers import ProviderCalls
from gateway.clients.renewals import RenewalCalls
from gateway.errors import CodedError

# The most ids one batch read of status views accepts.
VIEWS_PER_CALL = 200

# The service's query parameters as the GraphQL arguments name them.
_ARGUMENTS = {"last_name": "lastName", "first_name": "firstName", "limit": "first"}


def application_id(value: str) -> uuid.UUID:
    """An application id from a caller; a malformed one is NOT_FOUND."""
    return parse_id(value, what="application", field="id")


@dataclass(frozen=True)
class NewApplication:
    """A complete application as the applicant submits it, with its two documents."""

    first_name: str
    last_name: str
    date_of_birth: datetime.date
    email: str
    code_of_ethics_agreed: bool
    lived_experience: str
    willing_to_share_experience: bool
    government_id: FilePart
    diploma: FilePart
    recovery_two_years_attested: bool | None
    diagnosis_treatment_attested: bool | None

    def form(self) -> dict[str, str]:
        """The multipart form fields; unanswered attestations are left out."""
        return wire_values(
            first_name=self.first_name,
            last_name=self.last_name,
            date_of_birth=self.date_of_birth,
            email=self.email,
            code_of_ethics_agreed=self.code_of_ethics_agreed,
            lived_experience=self.lived_experience,
            willing_to_share_experience=self.willing_to_share_experience,
            recovery_two_years_attested=self.recovery_two_years_attested,
            diagnosis_treatment_attested=self.diagnosis_treatment_attested,
        )


@dataclass(frozen=True)
class QueueFilters:
    """Narrows a work queue or its counts."""

    status: str | None = None
    submitted_from: datetime.date | None = None
    submitted_to: datetime.date | None = None
    name_prefix: str | None = None

    def params(self) -> dict[str, Any]:
        """The filters as query parameters."""
        return wire_values(
            status=self.status,
            submitted_from=self.submitted_from,
            submitted_to=self.submitted_to,
            name=self.name_prefix,
        )


class ApplicationsClient(ProviderCalls, RenewalCalls, CeCalls, DisciplineCalls, EmployerCalls):
    """The applications service for one caller; every answer is the service's JSON."""

    def _path(self, application: str, *rest: str) -> str:
        return "/".join(("/v1/applications", str(application_id(application)), *rest))

    async def get_application(self, application: str) -> dict[str, Any]:
        """One application's whole status view."""
        view: dict[str, Any] = await self._get(self._path(application))
        return view

    async def read_application_views(self, ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
        """The status views of up to 200 applications the caller may see, in the order asked."""
        page = await self._post("/v1/applications/views", {"ids": [str(i) for i in ids]})
        views: list[dict[str, Any]] = page["items"]
        return views

    async def audit_trails(self, ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
        """Staff: every recorded change of up to 200 applications, oldest first."""
        params = [("id", str(i)) for i in ids]
        items: list[dict[str, Any]] = (
            await self._call("GET", "/v1/audit/applications", params=params)
        ).json()["items"]
        return items

    async def list_applications(
        self, *, status: str | None = None, first: int, after: str | None = None
    ) -> dict[str, Any]:
        """A page of application summaries: staff see all, an applicant their own."""
        return await self._page("/v1/applications", status=status, first=first, after=after)

    async def my_applications(self, *, first: int) -> list[dict[str, Any]]:
        """The applicant's own applications as whole status views, oldest first."""
        views: dict[str, Any] = await self._page("/v1/applications/mine", first=first)
        items: list[dict[str, Any]] = views["items"]
        return items

    async def submit_application(self, application: NewApplication) -> dict[str, Any]:
        """Submit an application with its documents; answers its status view."""
        files = {"government_id": application.government_id, "diploma": application.diploma}
        response = await self._call(
            "POST", "/v1/applications", data=application.form(), files=files
        )
        view: dict[str, Any] = response.json()
        return view

    async def _act(self, application: str, action: str, body: dict[str, Any]) -> dict[str, Any]:
        # Every action on an application answers with its status view.
        view: dict[str, Any] = await self._post(self._path(application, action), body)
        return view

    async def start_review(self, application: str, *, expected_version: int) -> dict[str, Any]:
        """Staff take up a submitted or resubmitted application."""
        return await self._act(application, "review", {"expected_version": expected_version})

    async def request_revision(
        self,
        application: str,
        *,
        expected_version: int,
        items: Sequence[str],
        note: str | None,
        confirm_void: bool,
    ) -> dict[str, Any]:
        """Ask the applicant for what is missing or wrong."""
        body = {
            "expected_version": expected_version,
            "items": list(items),
            "note": note,
            "confirm_void": confirm_void,
        }
        return await self._act(application, "revision-requests", body)

    async def resubmit(self, application: str, *, expected_version: int) -> dict[str, Any]:
        """The applicant sends the application back after a revision."""
        return await self._act(application, "resubmit", {"expected_version": expected_version})

    async def approve(
        self, application: str, *, expected_version: int, reason: str | None
    ) -> dict[str, Any]:
        """Staff approve the application."""
        body = {"expected_version": expected_version, "reason": reason}
        return await self._act(application, "approve", body)

    async def deny(self, application: str, *, expected_version: int, reason: str) -> dict[str, Any]:
        """Staff deny the application, saying why."""
        body = {"expected_version": expected_version, "reason": reason}
        return await self._act(application, "deny", body)

    async def withdraw(self, application: str, *, expected_version: int) -> dict[str, Any]:
        """The applicant withdraws an open application."""
        return await self._act(application, "withdraw", {"expected_version": expected_version})

    async def record_background_check(
        self, application: str, *, expected_version: int, result: str, note: str | None
    ) -> dict[str, Any]:
        """Staff record the fingerprint background check's result."""
        body = {"expected_version": expected_version, "result": result, "note": note}
        return await self._act(application, "background-check", body)

    async def send_status_message(
        self, application: str, *, subject: str, body: str
    ) -> dict[str, Any]:
        """Staff send the applicant a status message."""
        return await self._act(application, "notifications", {"subject": subject, "body": body})

    async def add_document(self, application: str, *, kind: str, file: FilePart) -> dict[str, Any]:
        """Add or replace a document while a revision is requested; answers the view."""
        response = await self._call(
            "POST", self._path(application, "documents"), data={"kind": kind}, files={"file": file}
        )
        view: dict[str, Any] = response.json()
        return view

    async def record_payment(
        self,
        application: str,
        *,
        kind: str,
        amount_cents: int,
        reference: str,
        paid_at: datetime.datetime,
        currency: str | None,
    ) -> dict[str, Any]:
        """Record a fee the board received; answers the payment alone."""
        body: dict[str, Any] = {
            "kind": kind,
            "amount_cents": amount_cents,
            "reference": reference,
            "paid_at": paid_at.isoformat(),
        }
        # Absent, not null: the service applies the board's currency.
        if currency is not None:
            body["currency"] = currency
        payment: dict[str, Any] = await self._post(self._path(application, "payments"), body)
        return payment

    async def work_queue(
        self, name: str, filters: QueueFilters, *, first: int, after: str | None
    ) -> dict[str, Any]:
        """A page of one staff work queue, earliest deadline first."""
        return await self._page(f"/v1/queues/{name}", **filters.params(), first=first, after=after)

    async def work_queue_counts(self, filters: QueueFilters) -> dict[str, Any]:
        """How many applications each work queue holds."""
        counts: dict[str, Any] = await self._get("/v1/queues", **filters.params())
        return counts

    async def queue_history(self, days: int) -> list[dict[str, Any]]:
        """The queues that keep their history, at the end of each of the last days."""
        found: dict[str, Any] = await self._get("/v1/queues/history", days=days)
        days_: list[dict[str, Any]] = found["days"]
        return days_

    async def policy(self) -> dict[str, Any]:
        """The board's public application policy (read without the caller's token)."""
        response = await self._call("GET", "/v1/policy", anonymous=True)
        policy: dict[str, Any] = response.json()
        return policy

    # -- certifications -------------------------------------------------------------------

    async def verify_certification(self, number: str) -> dict[str, Any]:
        """What the public may know of a certificate number (read without the caller's token)."""
        path = f"/v1/verification/{quote(number, safe='')}"
        verification: dict[str, Any] = (await self._call("GET", path, anonymous=True)).json()
        return verification

    async def find_certifications(
        self, *, last_name: str, first_name: str, first: int, after: str | None
    ) -> dict[str, Any]:
        """Public holders by name, a page (read without the caller's token)."""
        params = wire_values(last_name=last_name, first_name=first_name, limit=first, after=after)
        try:
            response = await self._call("GET", "/v1/verification", anonymous=True, params=params)
        except CodedError as exc:
            # Named as the GraphQL arguments are.
            renamed = _ARGUMENTS.get(exc.field or "")
            if renamed is None:
                raise
            raise CodedError(exc.code, str(exc), field=renamed, status=exc.status) from exc
        page: dict[str, Any] = response.json()
        return page

    async def run_sweep(self) -> dict[str, Any]:
        """Void, expire and remind now (development and test only)."""
        report: dict[str, Any] = await self._post("/internal/sweep")
        return report
