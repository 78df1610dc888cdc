"""Exam requests, authorizations and accommodations through the gateway, end to end.

Exams asks applications' real exam-standing: applications are submitted and approved through
the gateway; a provider's training certificate and the exam fee go through applications' API.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import httpx

from certboard_core.testing.plugin import T0, Minter

from .conftest import System
from .helpers import (
    PDF,
    advance_clock,
    application_input,
    approved_application,
    data_of,
    error_of,
    set_clock,
    uploads,
)
from .rest import academy, ready_for_exam

SUBMIT = """
mutation Submit($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }
"""
REQUEST = """
mutation Request($input: RequestExamInput!, $key: String) {
  requestExam(input: $input, idempotencyKey: $key) {
    id status kind validThrough reviewDueOn countsAsAttempt version
  }
}
"""
MINE = """
{ me { applications { id exams { attemptsUsed attemptsLeft attemptsLimit
    authorizations { id status validThrough } } } } }
"""
EVERY = (
    "{ applications { items { id exams { attemptsUsed attemptsLeft authorizations { id } } } } }"
)
SCHEDULE = """
mutation Schedule($id: ID!, $v: Int!, $input: ScheduleExamInput!) {
  scheduleExam(id: $id, expectedVersion: $v, input: $input) { id status scheduledOn site version }
}
"""
ACCOMMODATE = """
mutation Accommodate($id: ID!, $document: Upload!) {
  requestAccommodation(authorizationId: $id, description: "extra time", document: $document) {
    id status reviewDueOn
  }
}
"""
SWEEP = "mutation { runSweep { expired expiredUnusedAuthorizations } }"


async def submitted(system: System, token: str, email: str) -> str:
    data = await data_of(
        system, SUBMIT, {"input": application_input(email=email)}, token=token, files=uploads()
    )
    application_id: str = data["submitApplication"]["id"]
    return application_id


async def ready(system: System, mint: Minter) -> str:
    """Ann's application approved, with an accepted training certificate and the exam fee paid
    at T0: every condition of an exam request met. Its id."""
    application = await approved_application(system, mint, "ann", "ann@example.org")
    staff = mint("staff", "sam")
    transport = httpx.ASGITransport(app=system.services["applications"])
    async with httpx.AsyncClient(transport=transport, base_url="http://applications") as client:
        provider_id, program_id = await academy(client, staff, "Recovery Academy")
        await ready_for_exam(
            client,
            application,
            staff=staff,
            provider=(
                mint("provider", "academy", provider_id=provider_id),
                provider_id,
                program_id,
            ),
            completed_on=date(2026, 2, 1),
            paid_at=T0,
        )
    return str(application["id"])


def exam_input(application_id: str) -> dict[str, Any]:
    return {
        "input": {
            "applicationId": application_id,
            "language": "ENGLISH",
            "deliveryMode": "TEST_CENTRE",
        }
    }


async def test_an_applicant_requests_sees_attempts_and_accommodates_before_scheduling(
    system: System, mint: Minter
) -> None:
    staff, ann = mint("staff", "sam"), mint("applicant", "ann")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    first = await ready(system, mint)
    second = await submitted(system, mint("applicant", "bob"), "bob@example.org")

    granted = (await data_of(system, REQUEST, exam_input(first), token=ann))["requestExam"]
    assert (granted["status"], granted["kind"], granted["countsAsAttempt"]) == (
        "GRANTED",
        "FIRST",
        True,
    )
    assert (granted["validThrough"], granted["reviewDueOn"]) == ("2026-06-08", "2026-03-24")

    (mine,) = (await data_of(system, MINE, token=ann))["me"]["applications"]
    assert (mine["exams"]["attemptsUsed"], mine["exams"]["attemptsLeft"]) == (1, 2)
    assert mine["exams"]["authorizations"] == [
        {"id": granted["id"], "status": "GRANTED", "validThrough": "2026-06-08"}
    ]
    system.calls.clear()
    listed = (await data_of(system, EVERY, token=staff))["applications"]["items"]
    exams = {a["id"]: a["exams"] for a in listed}
    assert (exams[first]["attemptsUsed"], exams[second]["attemptsUsed"]) == (1, 0)
    assert (exams[second]["attemptsLeft"], exams[second]["authorizations"]) == (3, [])
    # Every application's exams in one batched read.
    assert system.calls[("exams", "GET", "/v1/exam-summaries")] == 1

    accommodation = (
        await data_of(
            system,
            ACCOMMODATE,
            {"id": granted["id"], "document": None},
            token=ann,
            files={"variables.document": ("letter.pdf", PDF, "application/pdf")},
        )
    )["requestAccommodation"]
    assert (accommodation["status"], accommodation["reviewDueOn"]) == ("PENDING", "2026-04-09")
    schedule = {"scheduledOn": "2026-03-20", "scheduledAtTime": "09:00", "site": "Fresno"}
    blocked = await error_of(
        system,
        SCHEDULE,
        {"id": granted["id"], "v": granted["version"], "input": schedule},
        token=staff,
    )
    assert blocked["code"] == "ACCOMMODATION_PENDING"
    # The applicant's status view shows the request with its exams; nobody else's does.
    seen = """{ me { applications { exams { accommodations {
        id authorizationId status reviewDueOn overdue } } } } }"""
    (mine,) = [a["exams"] for a in (await data_of(system, seen, token=ann))["me"]["applications"]]
    assert mine["accommodations"] == [
        {
            "id": accommodation["id"],
            "authorizationId": granted["id"],
            "status": "PENDING",
            "reviewDueOn": "2026-04-09",
            "overdue": False,
        }
    ]
    bobs = (await data_of(system, seen, token=mint("applicant", "bob")))["me"]["applications"]
    assert [a["exams"]["accommodations"] for a in bobs] == [[]]


async def test_a_refusal_lists_every_reason_in_extensions(system: System, mint: Minter) -> None:
    staff, ann = mint("staff", "sam"), mint("applicant", "ann")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    application = await approved_application(system, mint, "ann", "ann@example.org")
    application_id = application["id"]
    # Approved through 2027-03-09: requests closed 14 days before. No certificate, no exam fee.
    await set_clock(system, staff, "2027-03-01T17:00:00+00:00")
    error = await error_of(system, REQUEST, exam_input(application_id), token=ann)
    assert (error["code"], error["status"]) == ("EXAM_NOT_ELIGIBLE", 409)
    assert [r["code"] for r in error["reasons"]] == [
        "TRAINING_CERTIFICATE_MISSING",
        "EXAM_REQUEST_TOO_LATE",
        "EXAM_FEE_MISSING",
    ]
    other = await error_of(
        system, REQUEST, exam_input(application_id), token=mint("applicant", "bob")
    )
    assert (other["code"], "reasons" in other) == ("NOT_FOUND", False)


async def test_the_sweep_writes_unused_authorizations_as_expired(
    system: System, mint: Minter
) -> None:
    staff, ann = mint("staff", "sam"), mint("applicant", "ann")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    application_id = await ready(system, mint)
    await data_of(
        system,
        REQUEST,
        exam_input(application_id),
        token=ann,
    )
    await advance_clock(system, staff, days=91)
    report = (await data_of(system, SWEEP, token=staff))["runSweep"]
    assert report["expiredUnusedAuthorizations"] == 1
    again = (await data_of(system, SWEEP, token=staff))["runSweep"]
    assert again["expiredUnusedAuthorizations"] == 0
    exams = (await data_of(system, MINE, token=ann))["me"]["applications"][0]["exams"]
    assert exams["authorizations"][0]["status"] == "EXPIRED_UNUSED"
    assert Counter(a["status"] for a in exams["authorizations"]) == {"EXPIRED_UNUSED": 1}
