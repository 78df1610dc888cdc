"""Accommodations: evidence checked by content, reviewed before scheduling, never after."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from certboard_core.clock import TestClock
from certboard_core.testing.plugin import Minter, bearer

from ..authorization.fakes import TODAY, FakeApplications
from ..authorization.helpers import PDF, PNG, move, request_exam


async def granted(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
) -> dict[str, Any]:
    standing = applications.add("ann")
    return await request_exam(client, mint("applicant", "ann"), standing["application_id"])


async def submit(
    client: httpx.AsyncClient,
    token: str,
    authorization: dict[str, Any],
    *,
    content: bytes = PDF,
    expect: int = 201,
) -> dict[str, Any]:
    response = await client.post(
        f"/v1/exam-authorizations/{authorization['id']}/accommodations",
        data={"description": "extra time: a reading disability"},
        files={"document": ("../letter.pdf", content, "application/pdf")},
        headers=bearer(token),
    )
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_submitted_pending_and_due_in_thirty_days(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
) -> None:
    authorization = await granted(client, applications, mint)
    request = await submit(client, mint("applicant", "ann"), authorization)
    assert request["status"] == "pending"
    assert request["review_due_on"] == (TODAY + timedelta(days=30)).isoformat()
    assert (request["document_content_type"], request["document_name"]) == (
        "application/pdf",
        "letter.pdf",
    )
    assert request["overdue"] is False


async def test_the_document_is_checked_by_content(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
) -> None:
    authorization = await granted(client, applications, mint)
    body = await submit(client, mint("applicant", "ann"), authorization, content=PNG, expect=415)
    assert (body["error"]["code"], body["error"]["field"]) == (
        "DOCUMENT_TYPE_NOT_ACCEPTED",
        "document",
    )
    empty = await submit(client, mint("applicant", "ann"), authorization, content=b"", expect=422)
    assert empty["error"]["code"] == "DOCUMENT_EMPTY"


async def test_pending_blocks_scheduling_until_decided(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
) -> None:
    staff = mint("staff", "s1")
    authorization = await granted(client, applications, mint)
    request = await submit(client, mint("applicant", "ann"), authorization)
    schedule = {"scheduled_on": TODAY.isoformat(), "scheduled_at_time": "10:00", "site": "Fresno"}
    blocked = await move(client, staff, authorization, "schedule", expect=409, **schedule)
    assert blocked["error"]["code"] == "ACCOMMODATION_PENDING"
    second = await submit(client, mint("applicant", "ann"), authorization, expect=409)
    assert second["error"]["code"] == "ACCOMMODATION_PENDING"
    approved = await client.post(
        f"/v1/accommodations/{request['id']}/approve",
        json={"expected_version": request["version"]},
        headers=bearer(staff),
    )
    assert approved.json()["status"] == "approved"
    scheduled = await move(client, staff, authorization, "schedule", **schedule)
    assert scheduled["status"] == "scheduled"
    late = await submit(client, mint("applicant", "ann"), scheduled, expect=409)
    assert late["error"]["code"] == "AUTHORIZATION_ALREADY_SCHEDULED"


async def test_deny_needs_a_reason_and_decides_once(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
) -> None:
    staff = mint("staff", "s1")
    authorization = await granted(client, applications, mint)
    request = await submit(client, mint("applicant", "ann"), authorization)
    url = f"/v1/accommodations/{request['id']}"
    missing = await client.post(f"{url}/deny", json={"expected_version": 1}, headers=bearer(staff))
    assert missing.json()["error"]["field"] == "reason"
    denied = await client.post(
        f"{url}/deny", json={"expected_version": 1, "reason": "no evidence"}, headers=bearer(staff)
    )
    assert (denied.json()["status"], denied.json()["decision_reason"]) == ("denied", "no evidence")
    again = await client.post(f"{url}/approve", json={"expected_version": 2}, headers=bearer(staff))
    assert (again.status_code, again.json()["error"]["code"]) == (409, "TRANSITION_NOT_ALLOWED")
    by_applicant = await client.post(
        f"{url}/approve", json={"expected_version": 2}, headers=bearer(mint("applicant", "ann"))
    )
    assert by_applicant.status_code == 403


async def test_the_document_for_the_owner_and_staff_only(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
) -> None:
    authorization = await granted(client, applications, mint)
    request = await submit(client, mint("applicant", "ann"), authorization)
    url = f"/v1/accommodations/{request['id']}/document"
    for token in (mint("applicant", "ann"), mint("staff", "s1")):
        response = await client.get(url, headers=bearer(token))
        assert response.content == PDF
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith("attachment;")
        assert response.headers["x-content-type-options"] == "nosniff"
    for path in (url, f"/v1/accommodations/{request['id']}"):
        other = await client.get(path, headers=bearer(mint("applicant", "bob")))
        assert (other.status_code, other.json()["error"]["code"]) == (404, "NOT_FOUND")


async def test_someone_else_s_authorization_is_not_found(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, app: FastAPI
) -> None:
    authorization = await granted(client, applications, mint)
    body = await submit(client, mint("applicant", "bob"), authorization, expect=404)
    assert body["error"]["code"] == "NOT_FOUND"
    staff = await submit(client, mint("staff", "s1"), authorization, expect=403)
    assert staff["error"]["code"] == "FORBIDDEN"


async def test_review_queue_by_due_day_with_breaches(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, clock: TestClock
) -> None:
    staff = mint("staff", "s1")
    first = await submit(
        client, mint("applicant", "ann"), await granted(client, applications, mint)
    )
    clock.advance(timedelta(days=2))
    second = await submit(
        client, mint("applicant", "ann"), await granted(client, applications, mint)
    )
    clock.advance(timedelta(days=29))
    page = (await client.get("/v1/exam-queues/accommodations", headers=bearer(staff))).json()
    assert [i["id"] for i in page["items"]] == [first["id"], second["id"]]
    assert page["breaches"] == 1
    assert [i["overdue"] for i in page["items"]] == [True, False]
    counts = (await client.get("/v1/exam-queues/counts", headers=bearer(staff))).json()
    assert counts["accommodations"] == {
        "waiting": 2,
        "breaches": 1,
        "next_due_on": page["items"][0]["review_due_on"],
    }


async def test_a_void_carries_the_requests_to_the_replacement(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
) -> None:
    staff = mint("staff", "s1")
    authorization = await granted(client, applications, mint)
    request = await submit(client, mint("applicant", "ann"), authorization)
    replacement = await move(client, staff, authorization, "void", reason="wrong site")
    moved = (await client.get(f"/v1/accommodations/{request['id']}", headers=bearer(staff))).json()
    assert (moved["authorization_id"], moved["status"], moved["version"]) == (
        replacement["id"],
        "pending",
        2,
    )
    schedule = {"scheduled_on": TODAY.isoformat(), "scheduled_at_time": "10:00", "site": "Fresno"}
    blocked = await move(client, staff, replacement, "schedule", expect=409, **schedule)
    assert blocked["error"]["code"] == "ACCOMMODATION_PENDING"
