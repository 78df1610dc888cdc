"""Complaints and discipline: filed by anyone, decided by staff, with effects on renewal and
exam requests at once, a suspension over after its last day, and the holder told."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI

from certboard_core.clock import TestClock
from certboard_core.testing.plugin import Minter, bearer

from ..certification.conftest import read
from ..factories import JPEG, PDF
from ..renewal.test_renewal_api import certified

DESCRIPTION = "Shared a client's story at a public meeting without consent."


async def file(
    client: httpx.AsyncClient, number: str, *, token: str | None = None, **files: Any
) -> httpx.Response:
    return await client.post(
        "/v1/complaints",
        data={"certificate_number": number, "description": DESCRIPTION},
        files=files or None,
        headers=bearer(token) if token else {},
    )


async def number_of(client: httpx.AsyncClient, mint: Minter, application: dict[str, Any]) -> str:
    view = await read(client, application, mint("staff", "sam"))
    return str(view["certification"]["number"])


async def queue(client: httpx.AsyncClient, staff: str) -> Any:
    answer = await client.get("/v1/complaints", headers=bearer(staff))
    assert answer.status_code == 200, answer.text
    return answer.json()


async def decide(
    client: httpx.AsyncClient, staff: str, complaint: dict[str, Any], outcome: str, **body: Any
) -> httpx.Response:
    return await client.post(
        f"/v1/complaints/{complaint['id']}/decision",
        json={
            "expected_version": complaint["version"],
            "outcome": outcome,
            "reasons": "Breach of confidentiality, admitted.",
            **body,
        },
        headers=bearer(staff),
    )


async def exam_unmet(
    client: httpx.AsyncClient, mint: Minter, application: dict[str, Any]
) -> list[str]:
    answer = await client.get(
        f"/internal/applications/{application['id']}/exam-standing",
        headers=bearer(mint("service", "exams")),
    )
    return [u["code"] for u in answer.json()["unmet"]]


async def renewal_status(
    client: httpx.AsyncClient, mint: Minter, application: dict[str, Any]
) -> Any:
    answer = await client.get(
        f"/v1/certifications/{application['certification_id']}/renewal",
        headers=bearer(mint("applicant", "alice")),
    )
    return answer.json()


async def test_anyone_files_and_staff_suspend_until_a_last_day(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    staff = mint("staff", "sam")
    application = await certified(client, mint)
    number = await number_of(client, mint, application)
    receipt = await file(client, number.lower(), attachments=("notes.pdf", PDF, "application/pdf"))
    assert receipt.status_code == 201, receipt.text
    assert set(receipt.json()) == {"reference", "received_at"}
    body = await queue(client, staff)
    (complaint,) = body["items"]
    assert (body["received"], body["investigating"]) == (1, 0)
    assert (complaint["filed_by"], complaint["status"]) == ("anonymous", "received")
    assert [a["content_type"] for a in complaint["attachments"]] == ["application/pdf"]

    taken = await client.post(
        f"/v1/complaints/{complaint['id']}/investigation",
        json={"expected_version": 1, "note": "Asked the employer."},
        headers=bearer(staff),
    )
    assert taken.json()["status"] == "investigating"
    missing_end = await decide(client, staff, taken.json(), "suspension")
    assert (missing_end.status_code, missing_end.json()["error"]["field"]) == (422, "ends_on")
    suspended = await decide(client, staff, taken.json(), "suspension", ends_on="2026-06-30")
    assert suspended.status_code == 200, suspended.text
    assert (suspended.json()["status"], suspended.json()["appeal_until"]) == (
        "decided",
        "2026-04-09",
    )

    # 10 March to 30 June: barred from exams and renewal; the holder was told.
    assert "CERTIFICATION_SUSPENDED" in await exam_unmet(client, mint, application)
    shown = await renewal_status(client, mint, application)
    assert (shown["status"], shown["status_until"], shown["code"]) == (
        "suspended",
        "2026-06-30",
        "CERTIFICATION_SUSPENDED",
    )
    view = await read(client, application, mint("applicant", "alice"))
    assert "discipline_decision" in [n["reason"] for n in view["notifications"]]
    clock.set(datetime(2026, 6, 30, 23, tzinfo=UTC))  # 16:00 on the last day in Los Angeles
    assert (await renewal_status(client, mint, application))["status"] == "suspended"
    clock.set(datetime(2026, 7, 1, 17, tzinfo=UTC))
    assert (await renewal_status(client, mint, application))["status"] == "active"
    assert "CERTIFICATION_SUSPENDED" not in await exam_unmet(client, mint, application)


async def test_revocation_is_never_undone_and_decisions_are_checked(
    client: httpx.AsyncClient, mint: Minter
) -> None:
    staff = mint("staff", "sam")
    application = await certified(client, mint)
    number = await number_of(client, mint, application)
    for _ in range(2):
        assert (await file(client, number, token=mint("applicant", "witness"))).status_code == 201
    first, second = (await queue(client, staff))["items"]
    assert first["filed_by"] == "applicant:witness"
    probation = await decide(client, staff, first, "probation", ends_on="2027-03-10")
    assert (probation.status_code, probation.json()["error"]["field"]) == (422, "conditions")
    revoked = await decide(client, staff, first, "revocation")
    assert revoked.status_code == 200, revoked.text
    again = await decide(client, staff, second, "suspension", ends_on="2026-12-31")
    assert (again.status_code, again.json()["error"]["field"]) == (422, "outcome")
    shown = await renewal_status(client, mint, application)
    assert (shown["status"], shown["code"]) == ("revoked", "CERTIFICATION_REVOKED")
    decided_twice = await decide(client, staff, revoked.json(), "dismissed")
    assert decided_twice.json()["error"]["code"] == "TRANSITION_NOT_ALLOWED"
    holder = await client.get(
        f"/v1/certifications/{application['certification_id']}/discipline",
        headers=bearer(mint("applicant", "alice")),
    )
    (decision,) = holder.json()
    assert (decision["outcome"], decision["in_force"]) == ("revocation", True)
    assert "witness" not in holder.text
    stranger = await client.get(
        f"/v1/certifications/{application['certification_id']}/discipline",
        headers=bearer(mint("applicant", "bob")),
    )
    assert stranger.status_code == 404


async def test_a_complaint_names_a_real_certificate_and_brings_real_documents(
    client: httpx.AsyncClient, mint: Minter
) -> None:
    unknown = await file(client, "7KQ3-M9XD-2HTB")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "CERTIFICATE_NOT_FOUND")
    application = await certified(client, mint)
    number = await number_of(client, mint, application)
    fake = await file(
        client, number, attachments=("notes.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    )
    assert fake.status_code == 415
    photo = await file(client, number, attachments=("photo.jpg", JPEG, "image/jpeg"))
    assert photo.status_code == 201
    assert [c["status"] for c in (await queue(client, mint("staff", "sam")))["items"]] == [
        "received"
    ]
    refused = await client.get("/v1/complaints", headers=bearer(mint("applicant", "alice")))
    assert refused.status_code == 403
