"""The applications service's training providers, their programs and certificates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from gateway.clients.base import BackendClient, parse_id
from gateway.errors import CodedError

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"


@dataclass(frozen=True)
class UploadAnswer:
    """An upload's per-row results, and whether they replay an earlier answer."""

    body: dict[str, Any]
    replayed: bool


def _key_headers(idempotency_key: str | None) -> dict[str, str]:
    if idempotency_key is None:
        return {}
    # A header carries printable ASCII only; anything else would fail in httpx, not as an answer.
    if not (idempotency_key.isascii() and idempotency_key.isprintable()):
        raise CodedError(
            "INVALID_INPUT",
            "Idempotency-Key must be 1 to 255 printable ASCII characters",
            field=IDEMPOTENCY_KEY_HEADER,
            status=422,
        )
    return {IDEMPOTENCY_KEY_HEADER: idempotency_key}


class ProviderCalls(BackendClient):
    """The provider and certificate routes of the applications service."""

    def _provider_path(self, provider: str, *rest: str) -> str:
        parsed = parse_id(provider, what="provider", field="provider_id")
        return "/".join(("/v1/providers", str(parsed), *rest))

    def _certificate_path(self, certificate: str, *rest: str) -> str:
        parsed = parse_id(certificate, what="certificate", field="certificate_id")
        return "/".join(("/v1/certificates", str(parsed), *rest))

    async def list_providers(self) -> list[dict[str, Any]]:
        """Every approved training provider, by name."""
        providers: list[dict[str, Any]] = await self._get("/v1/providers")
        return providers

    async def get_provider(self, provider: str) -> dict[str, Any]:
        """One training provider."""
        found: dict[str, Any] = await self._get(self._provider_path(provider))
        return found

    async def create_provider(self, *, name: str, webhook_url: str | None) -> dict[str, Any]:
        """Approve a training provider; the answer carries its webhook secret."""
        created: dict[str, Any] = await self._post(
            "/v1/providers", {"name": name, "webhook_url": webhook_url}
        )
        return created

    async def update_provider(
        self,
        provider: str,
        *,
        expected_version: int,
        status: str | None,
        webhook_url: str | None,
        clear_webhook: bool,
    ) -> dict[str, Any]:
        """Suspend or reinstate a provider, or set or clear its webhook URL."""
        body: dict[str, Any] = {
            "expected_version": expected_version,
            "clear_webhook": clear_webhook,
        }
        # Absent, not null: only what is sent changes.
        if status is not None:
            body["status"] = status
        if webhook_url is not None:
            body["webhook_url"] = webhook_url
        response = await self._call("PATCH", self._provider_path(provider), json=body)
        updated: dict[str, Any] = response.json()
        return updated

    async def list_programs(self, provider: str) -> list[dict[str, Any]]:
        """A provider's programs."""
        programs: list[dict[str, Any]] = await self._get(self._provider_path(provider, "programs"))
        return programs

    async def add_program(self, provider: str, *, name: str, hours: int) -> dict[str, Any]:
        """Approve a program of the provider."""
        program: dict[str, Any] = await self._post(
            self._provider_path(provider, "programs"), {"name": name, "hours": hours}
        )
        return program

    async def upload_certificates(
        self, provider: str, rows: list[dict[str, Any]], idempotency_key: str | None
    ) -> UploadAnswer:
        """Send certificate rows; a retry with the same key and rows replays the first answer."""
        response = await self._call(
            "POST",
            self._provider_path(provider, "certificates"),
            headers=_key_headers(idempotency_key),
            json={"certificates": rows},
        )
        return UploadAnswer(
            body=response.json(), replayed=response.headers.get(REPLAYED_HEADER) == "true"
        )

    async def provider_certificates(
        self,
        provider: str,
        *,
        status: str | None,
        received_from: datetime.date | None,
        received_to: datetime.date | None,
        first: int,
        after: str | None,
    ) -> dict[str, Any]:
        """A page of the provider's uploads, oldest first."""
        return await self._page(
            self._provider_path(provider, "certificates"),
            first=first,
            after=after,
            status=status,
            received_from=received_from,
            received_to=received_to,
        )

    async def certificate_review_queue(
        self, *, breaches_only: bool, first: int, after: str | None
    ) -> dict[str, Any]:
        """A page of certificates waiting for review, earliest review day first."""
        return await self._page(
            "/v1/certificates/review-queue", first=first, after=after, breaches_only=breaches_only
        )

    async def unmatched_certificates(self, *, first: int, after: str | None) -> dict[str, Any]:
        """A page of certificates linked to no application, oldest first."""
        return await self._page("/v1/certificates/unmatched", first=first, after=after)

    async def certificate_counts(self) -> dict[str, Any]:
        """How many certificates wait for review, missed it, or are unmatched."""
        counts: dict[str, Any] = await self._get("/v1/certificates/summary")
        return counts

    async def accept_certificate(
        self, certificate: str, *, expected_version: int, reason: str | None
    ) -> dict[str, Any]:
        """Accept a pending certificate."""
        body = {"expected_version": expected_version, "reason": reason}
        accepted: dict[str, Any] = await self._post(
            self._certificate_path(certificate, "accept"), body
        )
        return accepted

    async def reject_certificate(
        self, certificate: str, *, expected_version: int, reason: str
    ) -> dict[str, Any]:
        """Reject a pending certificate, saying why."""
        body = {"expected_version": expected_version, "reason": reason}
        rejected: dict[str, Any] = await self._post(
            self._certificate_path(certificate, "reject"), body
        )
        return rejected

    async def link_certificate(
        self, certificate: str, *, expected_version: int, application_id: str
    ) -> dict[str, Any]:
        """Link an unmatched certificate to an application."""
        body = {"expected_version": expected_version, "application_id": application_id}
        linked: dict[str, Any] = await self._post(self._certificate_path(certificate, "link"), body)
        return linked
