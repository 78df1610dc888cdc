"""Reads that batch: a list with every application's status view, exams, results and
supervision agreements included, costs one call per kind of object."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta

from certboard_core.testing.plugin import T0
from exams.attempt.models import ExamAttempt, ScoreSource
from exams.authorization.models import (
    AuthorizationStatus,
    DeliveryMode,
    ExamAuthorization,
    RequestKind,
)
from exams.form.models import Language

from .conftest import System
from .helpers import (
    SUBMIT,
    application_input,
    data_of,
    error_of,
    set_clock,
    supervised,
    uploads,
)

PAY = """
mutation Pay($id: ID!, $ref: String!) {
  recordPayment(id: $id, kind: APPLICATION, amountCents: 5000, reference: $ref,
                paidAt: "2026-01-15T18:00:00+00:00") { id }
}
"""
EVERY_VIEW = """
{ applications(first: 100) { items {
    id applicantId
    documents { kind }
    notifications { reason }
    payments { reference }
    trainingCertificates { id }
    exams { attemptsUsed authorizations { status result { correct percent passed } } }
    supervisionAgreements { employer status sessions { id } }
} } }
"""
ONE = "query One($id: ID!) { application(id: $id) { id documents { kind } } }"
COUNT = 100
SITTINGS = 3


async def sat(system: System, application_id: str, applicant: str, correct: int) -> None:
    """An authorization with an attempt of ``correct`` of 120 (the requests and the vendor's
    recording have their own tests), written into the exams database."""
    async with system.services["exams"].state.sessions() as session, session.begin():
        authorization = ExamAuthorization(
            application_id=uuid.UUID(application_id),
            applicant_id=applicant,
            kind=RequestKind.FIRST,
            language=Language.ENGLISH,
            delivery_mode=DeliveryMode.ONLINE_PROCTORED,
            fee_reference=f"fee-{applicant}",
            requested_by=applicant,
            granted_at=T0,
            granted_on=T0.date(),
            valid_through=T0.date() + timedelta(days=90),
            review_due_on=T0.date() + timedelta(days=14),
            status=AuthorizationStatus.ATTEMPTED,
        )
        session.add(authorization)
        await session.flush()
        session.add(
            ExamAttempt(
                authorization_id=authorization.id,
                application_id=authorization.application_id,
                applicant_id=applicant,
                source=ScoreSource.VENDOR,
                taken_at=T0,
                taken_on=T0.date(),
                correct=correct,
                total=120,
                domain_results=[{"domain": "ethics", "correct": correct, "total": 120}],
                passed=correct >= 96,
                recorded_by="service:vendor",
                recorded_at=T0,
                result_notice_due_on=T0.date() + timedelta(days=14),
            )
        )


async def test_a_staff_list_of_status_views_is_one_list_and_one_batch_read(
    system: System, mint
) -> None:
    staff = mint("staff", "sam")
    await set_clock(system, staff, "2026-01-15T18:00:00+00:00")
    ids = []
    for n in range(COUNT):
        submitted = await data_of(
            system,
            SUBMIT,
            {"input": application_input(email=f"applicant{n}@example.org")},
            token=mint("applicant", f"applicant-{n}"),
            files=uploads(),
        )
        ids.append(submitted["submitApplication"]["id"])
    await data_of(system, PAY, {"id": ids[0], "ref": "R-1"}, token=staff)
    for n in range(SITTINGS):
        await sat(system, ids[n], f"applicant-{n}", 95 + n)
    await supervised(system, ["applicant-1", "applicant-99"])

    system.calls.clear()
    items = (await data_of(system, EVERY_VIEW, token=staff))["applications"]["items"]

    assert [i["id"] for i in items] == ids
    assert all(
        sorted(d["kind"] for d in i["documents"]) == ["DIPLOMA", "GOVERNMENT_ID"] for i in items
    )
    assert [len(i["payments"]) for i in items] == [1] + [0] * (COUNT - 1)
    results = [[a["result"] for a in i["exams"]["authorizations"]] for i in items]
    assert results == [
        [{"correct": 95, "percent": "79.16", "passed": False}],
        [{"correct": 96, "percent": "80.00", "passed": True}],
        [{"correct": 97, "percent": "80.83", "passed": True}],
    ] + [[]] * (COUNT - SITTINGS)
    agreements = {
        n: i["supervisionAgreements"] for n, i in enumerate(items) if i["supervisionAgreements"]
    }
    assert agreements == {
        1: [{"employer": "Employer of applicant-1", "status": "ACTIVE", "sessions": []}],
        99: [{"employer": "Employer of applicant-99", "status": "ACTIVE", "sessions": []}],
    }
    assert system.calls == Counter(
        {
            ("applications", "GET", "/v1/applications"): 1,
            ("applications", "POST", "/v1/applications/views"): 1,
            ("exams", "GET", "/v1/exam-summaries"): 1,
            ("supervision", "GET", "/v1/peer-agreements"): 1,
            ("supervision", "GET", "/v1/supervision/agreement-sessions"): 1,
        }
    )


async def test_an_applicant_reads_only_their_own_view(system: System, mint) -> None:
    alice, bob = mint("applicant", "alice"), mint("applicant", "bob")
    submitted = await data_of(
        system, SUBMIT, {"input": application_input()}, token=alice, files=uploads()
    )
    application_id = submitted["submitApplication"]["id"]

    own = (await data_of(system, ONE, {"id": application_id}, token=alice))["application"]
    assert own["id"] == application_id
    assert len(own["documents"]) == 2
    hidden = await error_of(system, ONE, {"id": application_id}, token=bob)
    assert (hidden["code"], hidden["field"]) == ("NOT_FOUND", "id")
    system.calls.clear()
    malformed = await error_of(system, ONE, {"id": "not-a-uuid"}, token=bob)
    assert (malformed["code"], malformed["field"]) == ("NOT_FOUND", "id")
    assert system.calls == Counter()
