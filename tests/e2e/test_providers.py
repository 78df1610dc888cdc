"""Training providers through the gateway only: staff approve, providers upload, staff review."""

from __future__ import annotations

from .conftest import System
from .helpers import advance_clock, application_input, data_of, error_of, set_clock, uploads

CREATE_PROVIDER = """
mutation P($name: String!) {
  createTrainingProvider(name: $name) { id name status webhookUrl version webhookSecret }
}
"""
ADD_PROGRAM = """
mutation G($providerId: ID!, $hours: Int!) {
  addTrainingProgram(providerId: $providerId, name: "Peer Support Core", hours: $hours) {
    id providerId hours active
  }
}
"""
UPLOAD = """
mutation U($providerId: ID!, $rows: [CertificateInput!]!, $key: String) {
  uploadCertificates(providerId: $providerId, certificates: $rows, idempotencyKey: $key) {
    batch { accepted duplicate rejected }
    results { index certificateId outcome id field reason }
    replayed
  }
}
"""
CERTIFICATES = """
query C($providerId: ID!) {
  providerCertificates(providerId: $providerId, first: 10) {
    items { id providerCertificateId status applicationId version }
    nextCursor
  }
}
"""
COUNTS = "query { certificateCounts { pendingReview breaches unmatched } }"
QUEUES = """
query {
  certificateReviewQueue(first: 10) { items { providerCertificateId } nextCursor }
  unmatchedCertificates(first: 10) { items { providerCertificateId } nextCursor }
}
"""
SUBMIT = """
mutation S($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }
"""
APPLICATION_CERTIFICATES = """
query A($id: ID!) {
  application(id: $id) { trainingCertificates { id providerCertificateId status version } }
}
"""
ACCEPT = """
mutation Y($id: ID!, $v: Int!) {
  acceptCertificate(id: $id, expectedVersion: $v) { id status reviewedAt version }
}
"""
REJECT = """
mutation N($id: ID!, $v: Int!, $reason: String!) {
  rejectCertificate(id: $id, expectedVersion: $v, reason: $reason) { status reviewReason }
}
"""
LINK = """
mutation L($id: ID!, $v: Int!, $applicationId: ID!) {
  linkCertificate(id: $id, expectedVersion: $v, applicationId: $applicationId) {
    applicationId applicantId version
  }
}
"""


def row(certificate_id: str, program_id: str, **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "certificateId": certificate_id,
        "legalName": "Maria Lopez",
        "dateOfBirth": "1990-05-17",
        "email": "maria.lopez@example.org",
        "programId": program_id,
        "completionDate": "2025-11-01",
        "hours": 80,
    }
    values.update(overrides)
    return values


async def _provider_with_program(system: System, staff: str, name: str) -> tuple[str, str]:
    provider = (await data_of(system, CREATE_PROVIDER, {"name": name}, token=staff))[
        "createTrainingProvider"
    ]
    assert (provider["status"], provider["webhookUrl"], provider["version"]) == ("ACTIVE", None, 1)
    assert provider["webhookSecret"]
    program = (
        await data_of(system, ADD_PROGRAM, {"providerId": provider["id"], "hours": 80}, token=staff)
    )["addTrainingProgram"]
    assert (program["providerId"], program["hours"], program["active"]) == (
        provider["id"],
        80,
        True,
    )
    return provider["id"], program["id"]


async def test_provider_uploads_safely_and_the_applicant_sees_the_review(
    system: System, mint
) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    provider_id, program_id = await _provider_with_program(system, staff, "Peer Academy")
    other_id, _ = await _provider_with_program(system, staff, "Other Academy")
    acme = mint("provider", "acme", provider_id=provider_id)
    rival = mint("provider", "rival", provider_id=other_id)

    rows = [
        row("PA-1", program_id),
        row(
            "PA-2",
            program_id,
            legalName="Ana Ruiz",
            email="ana@example.org",
            dateOfBirth="1985-02-01",
            completionDate="2024-06-01",
            hours=85,
        ),
        row("PA-3", program_id, email="short@example.org", hours=40),
    ]
    upload = {"providerId": provider_id, "rows": rows, "key": "batch-1"}
    result = (await data_of(system, UPLOAD, upload, token=acme))["uploadCertificates"]
    assert result["batch"] == {"accepted": 2, "duplicate": 0, "rejected": 1}
    assert not result["replayed"]
    assert [(r["index"], r["certificateId"], r["outcome"]) for r in result["results"]] == [
        (0, "PA-1", "ACCEPTED"),
        (1, "PA-2", "ACCEPTED"),
        (2, "PA-3", "REJECTED"),
    ]
    rejected = result["results"][2]
    assert (rejected["field"], rejected["id"]) == ("hours", None)
    assert "80" in rejected["reason"]

    # The same key and rows replay the first answer and store nothing again.
    again = (await data_of(system, UPLOAD, upload, token=acme))["uploadCertificates"]
    assert again["replayed"]
    assert (again["batch"], again["results"]) == (result["batch"], result["results"])
    page = (await data_of(system, CERTIFICATES, {"providerId": provider_id}, token=acme))[
        "providerCertificates"
    ]
    assert sorted(c["providerCertificateId"] for c in page["items"]) == ["PA-1", "PA-2"]
    assert page["nextCursor"] is None

    reused = await error_of(
        system, UPLOAD, {"providerId": provider_id, "rows": rows[:1], "key": "batch-1"}, token=acme
    )
    assert (reused["code"], reused["status"]) == ("IDEMPOTENCY_KEY_REUSED", 422)
    for bad_key in ("", "clé-1"):
        refused = await error_of(
            system, UPLOAD, {"providerId": provider_id, "rows": rows, "key": bad_key}, token=acme
        )
        assert (refused["code"], refused["field"]) == ("INVALID_INPUT", "Idempotency-Key")

    # Another provider learns nothing of this one's certificates, nor may it upload for it.
    for query, variables in (
        (CERTIFICATES, {"providerId": provider_id}),
        (UPLOAD, {"providerId": provider_id, "rows": rows[:1]}),
    ):
        hidden = await error_of(system, query, variables, token=rival)
        assert (hidden["code"], hidden["status"]) == ("NOT_FOUND", 404)

    counts = (await data_of(system, COUNTS, token=staff))["certificateCounts"]
    assert counts == {"pendingReview": 2, "breaches": 0, "unmatched": 2}

    # The applicant's submission picks up the certificate held for their email and birth date.
    submitted = await data_of(
        system, SUBMIT, {"input": application_input()}, token=alice, files=uploads()
    )
    application_id = submitted["submitApplication"]["id"]
    view = await data_of(system, APPLICATION_CERTIFICATES, {"id": application_id}, token=alice)
    (certificate,) = view["application"]["trainingCertificates"]
    assert (certificate["providerCertificateId"], certificate["status"]) == (
        "PA-1",
        "PENDING_REVIEW",
    )
    queues = await data_of(system, QUEUES, token=staff)
    assert [c["providerCertificateId"] for c in queues["unmatchedCertificates"]["items"]] == [
        "PA-2"
    ]
    queued = {c["providerCertificateId"] for c in queues["certificateReviewQueue"]["items"]}
    assert queued == {"PA-1", "PA-2"}
    counts = (await data_of(system, COUNTS, token=staff))["certificateCounts"]
    assert counts == {"pendingReview": 2, "breaches": 0, "unmatched": 1}

    accepted = (
        await data_of(
            system, ACCEPT, {"id": certificate["id"], "v": certificate["version"]}, token=staff
        )
    )["acceptCertificate"]
    assert (accepted["status"], accepted["version"]) == ("ACCEPTED", certificate["version"] + 1)
    assert accepted["reviewedAt"] is not None
    view = await data_of(system, APPLICATION_CERTIFICATES, {"id": application_id}, token=alice)
    assert [c["status"] for c in view["application"]["trainingCertificates"]] == ["ACCEPTED"]
    counts = (await data_of(system, COUNTS, token=staff))["certificateCounts"]
    assert counts == {"pendingReview": 1, "breaches": 0, "unmatched": 1}


async def test_staff_link_reject_and_refuse_stale_or_expired_certificates(
    system: System, mint
) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    provider_id, program_id = await _provider_with_program(system, staff, "Peer Academy")
    acme = mint("provider", "acme", provider_id=provider_id)
    rows = [
        # Valid through 2026-03-10: today is its last day.
        row("OLD-1", program_id, email="someone@example.org", completionDate="2024-03-11"),
        row("NEW-1", program_id, email="someone@example.org", completionDate="2026-01-20"),
        # Malformed values come back rejected for their row, not as a failed request.
        row("BAD-1", program_id, dateOfBirth="17/05/1990"),
        row("BAD-2", "not-a-program"),
    ]
    result = (await data_of(system, UPLOAD, {"providerId": provider_id, "rows": rows}, token=acme))[
        "uploadCertificates"
    ]
    assert result["batch"] == {"accepted": 2, "duplicate": 0, "rejected": 2}
    assert [(r["outcome"], r["field"]) for r in result["results"][2:]] == [
        ("REJECTED", "date_of_birth"),
        ("REJECTED", "program_id"),
    ]
    old_id, new_id = result["results"][0]["id"], result["results"][1]["id"]

    stale = await error_of(system, ACCEPT, {"id": new_id, "v": 7}, token=staff)
    assert (stale["code"], stale["field"], stale["status"]) == (
        "VERSION_CONFLICT",
        "expected_version",
        409,
    )
    missing = await error_of(system, ACCEPT, {"id": "not-a-uuid", "v": 1}, token=staff)
    assert (missing["code"], missing["status"]) == ("NOT_FOUND", 404)

    await advance_clock(system, staff, days=1)
    expired = await error_of(system, ACCEPT, {"id": old_id, "v": 1}, token=staff)
    assert (expired["code"], expired["field"]) == ("CERTIFICATE_EXPIRED", "valid_through")
    rejected = (
        await data_of(system, REJECT, {"id": old_id, "v": 1, "reason": "Expired."}, token=staff)
    )["rejectCertificate"]
    assert rejected == {"status": "REJECTED", "reviewReason": "Expired."}

    # The applicant used another email: staff link the certificate by hand.
    submitted = await data_of(
        system, SUBMIT, {"input": application_input()}, token=alice, files=uploads()
    )
    application_id = submitted["submitApplication"]["id"]
    linked = (
        await data_of(
            system, LINK, {"id": new_id, "v": 1, "applicationId": application_id}, token=staff
        )
    )["linkCertificate"]
    assert linked == {"applicationId": application_id, "applicantId": "alice", "version": 2}
    view = await data_of(system, APPLICATION_CERTIFICATES, {"id": application_id}, token=alice)
    assert [c["providerCertificateId"] for c in view["application"]["trainingCertificates"]] == [
        "NEW-1"
    ]
    # A provider token cannot decide; an applicant cannot read providers.
    refused = await error_of(system, ACCEPT, {"id": new_id, "v": 2}, token=acme)
    assert refused["code"] == "FORBIDDEN"
    hidden = await error_of(system, CERTIFICATES, {"providerId": provider_id}, token=alice)
    assert hidden["code"] == "FORBIDDEN"
