"""The CE ledger through the gateway alone: staff approve a provider's course, the provider
reports a completion by certificate number (a retry replays), the holder self-reports with a
PDF that staff verify from the queue, and the holder sees both records and the renewal's CE
progress; a list of certifications reads their records in one call."""

from __future__ import annotations

from collections import Counter
from typing import Any

from certboard_core.testing.plugin import Minter

from .conftest import System
from .helpers import PDF, approved_application, data_of, error_of, set_clock
from .journeys import (
    accept_pending_certificates,
    certificate_row,
    live_form,
    pay,
    provider_with_program,
    request_exam,
    sit,
    upload,
)

ADD_COURSE = """
mutation C($p: ID!) {
  addCeCourse(providerId: $p, name: "Ethics and Boundaries", hours: "6",
              category: LAW_AND_ETHICS) { id name hours category active version }
}
"""
REPORT = """
mutation R($p: ID!, $rows: [CeCompletionInput!]!, $key: String) {
  reportCeCompletions(providerId: $p, completions: $rows, idempotencyKey: $key) {
    batch { accepted duplicate rejected }
    results { index completionId outcome id field }
    replayed
  }
}
"""
SELF_REPORT = """
mutation S($c: ID!, $document: Upload!) {
  selfReportCe(certificationId: $c, courseTitle: "Trauma-informed support",
               providerName: "State Peer Network", hours: "1.5", category: GENERAL,
               completedOn: "2026-06-10", document: $document) {
    id status source hours hasDocument version
  }
}
"""
QUEUE = """
{ ceVerificationQueue(first: 10) { items { id courseTitle hours version } nextCursor }
  me { queues { ceVerification { pendingVerification oldestReceivedAt } } } }
"""
ACCEPT = """
mutation A($id: ID!, $v: Int!) { acceptCeRecord(id: $id, expectedVersion: $v) { status } }
"""
MINE = """
{ me { applications { certification {
    ceRecords { source courseTitle providerName hours category completedOn status }
    renewal { ce { earnedHours stillNeededHours categories { category stillNeededHours } } }
} } } }
"""
EVERY_LEDGER = """
{ applications(first: 10) { items { applicantId certification { ceRecords { courseTitle } } } } }
"""
CERTIFICATION = """
query C($id: ID!) { application(id: $id) { certification { id number issuedOn } } }
"""
PEOPLE = {"alice": "maria.lopez@example.org", "bob": "bob.lopez@example.org"}


async def certify_everyone(system: System, mint: Minter) -> tuple[str, dict[str, Any]]:
    """Alice and Bob approved, trained at Peer Academy and through the exam on 20 March 2026:
    the academy's id, and each one's certification (id, number)."""
    staff, vendor = mint("staff", "sam"), mint("service", "pv")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    provider, program = await provider_with_program(system, staff, "Peer Academy")
    academy = mint("provider", "academy", provider_id=provider)
    form = await live_form(system, staff)
    granted = {}
    for day, (who, email) in enumerate(PEOPLE.items(), start=1):
        application = (await approved_application(system, mint, who, email))["id"]
        row = certificate_row(f"PA-{who}", program, "2026-02-27", email=email)
        await upload(system, academy, provider, [row])
        await accept_pending_certificates(system, staff, application)
        await pay(system, staff, application, "EXAM", f"2026-03-0{day}T17:00:00Z")
        granted[application] = await request_exam(system, mint("applicant", who), application)
    await set_clock(system, staff, "2026-03-20T18:00:00+00:00")
    certifications = {}
    for (application, authorization), who in zip(granted.items(), PEOPLE, strict=True):
        passed = await sit(system, vendor, authorization["id"], form, 96, "2026-03-20T15:00:00Z")
        assert passed["passed"] is True
        read = await data_of(system, CERTIFICATION, {"id": application}, token=staff)
        certifications[who] = read["application"]["certification"]
    return provider, certifications


async def test_a_providers_report_and_a_verified_self_report_fill_the_holders_ledger(
    system: System, mint: Minter
) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    provider, certifications = await certify_everyone(system, mint)
    academy = mint("provider", "academy", provider_id=provider)
    assert certifications["alice"]["issuedOn"] == "2026-03-20"
    await set_clock(system, staff, "2026-06-15T17:00:00+00:00")

    course = (await data_of(system, ADD_COURSE, {"p": provider}, token=staff))["addCeCourse"]
    assert {k: v for k, v in course.items() if k != "id"} == {
        "name": "Ethics and Boundaries",
        "hours": "6.00",
        "category": "LAW_AND_ETHICS",
        "active": True,
        "version": 1,
    }
    # Alice by her number; a number nobody holds is rejected for its row alone.
    rows = [
        {
            "completionId": "PA-CE-1",
            "courseId": course["id"],
            "certificateNumber": certifications["alice"]["number"],
            "completedOn": "2026-06-01",
        },
        {
            "completionId": "PA-CE-2",
            "courseId": course["id"],
            "certificateNumber": "0000 0000 0000",
            "completedOn": "2026-06-01",
        },
    ]
    report = {"p": provider, "rows": rows, "key": "academy-2026-06"}
    first = (await data_of(system, REPORT, report, token=academy))["reportCeCompletions"]
    assert first["batch"] == {"accepted": 1, "duplicate": 0, "rejected": 1}
    stored, refused = first["results"]
    assert (stored["completionId"], stored["outcome"], stored["field"]) == (
        "PA-CE-1",
        "ACCEPTED",
        None,
    )
    assert (refused["index"], refused["outcome"], refused["id"]) == (1, "REJECTED", None)
    assert refused["field"] == "certificate_number"
    assert first["replayed"] is False
    # The same key and rows: the first answer again, nothing stored twice.
    again = (await data_of(system, REPORT, report, token=academy))["reportCeCompletions"]
    assert again == {**first, "replayed": True}
    reused = await error_of(system, REPORT, {**report, "rows": rows[:1]}, token=academy)
    assert reused["code"] == "IDEMPOTENCY_KEY_REUSED"

    upload_pdf = {"variables.document": ("ce-certificate.pdf", PDF, "application/pdf")}
    variables = {"c": certifications["alice"]["id"], "document": None}
    reported = (await data_of(system, SELF_REPORT, variables, token=alice, files=upload_pdf))[
        "selfReportCe"
    ]
    assert {k: v for k, v in reported.items() if k not in ("id", "version")} == {
        "status": "PENDING_VERIFICATION",
        "source": "SELF_REPORTED",
        "hours": "1.50",
        "hasDocument": True,
    }
    # Bob cannot report into Alice's ledger: not his to see.
    bobs = await error_of(
        system, SELF_REPORT, variables, token=mint("applicant", "bob"), files=upload_pdf
    )
    assert bobs["code"] == "NOT_FOUND"

    waiting = await data_of(system, QUEUE, token=staff)
    assert waiting["me"]["queues"]["ceVerification"] == {
        "pendingVerification": 1,
        "oldestReceivedAt": "2026-06-15T17:00:00+00:00",
    }
    (item,) = waiting["ceVerificationQueue"]["items"]
    assert (item["id"], item["courseTitle"], item["hours"]) == (
        reported["id"],
        "Trauma-informed support",
        "1.50",
    )
    accepted = await data_of(system, ACCEPT, {"id": item["id"], "v": item["version"]}, token=staff)
    assert accepted["acceptCeRecord"] == {"status": "ACCEPTED"}
    after = (await data_of(system, QUEUE, token=staff))["me"]["queues"]["ceVerification"]
    assert after == {"pendingVerification": 0, "oldestReceivedAt": None}

    alice_id = certifications["alice"]["id"]
    system.calls.clear()
    (mine,) = (await data_of(system, MINE, token=alice))["me"]["applications"]
    certification = mine["certification"]
    assert certification["ceRecords"] == [
        {
            "source": "PROVIDER",
            "courseTitle": "Ethics and Boundaries",
            "providerName": "Peer Academy",
            "hours": "6.00",
            "category": "LAW_AND_ETHICS",
            "completedOn": "2026-06-01",
            "status": "ACCEPTED",
        },
        {
            "source": "SELF_REPORTED",
            "courseTitle": "Trauma-informed support",
            "providerName": "State Peer Network",
            "hours": "1.50",
            "category": "GENERAL",
            "completedOn": "2026-06-10",
            "status": "ACCEPTED",
        },
    ]
    # CA: 20 hours a cycle, 6 of them law and ethics, which the course covers. (The renewal
    # view writes hours without trailing zeros; the ledger with two decimals.)
    assert certification["renewal"]["ce"] == {
        "earnedHours": "7.5",
        "stillNeededHours": "12.5",
        "categories": [{"category": "LAW_AND_ETHICS", "stillNeededHours": "0"}],
    }
    assert system.calls == Counter(
        {
            ("applications", "GET", "/v1/applications/mine"): 1,
            ("applications", "GET", "/v1/ce-records"): 1,
            ("applications", "GET", f"/v1/certifications/{alice_id}/renewal"): 1,
        }
    )


async def test_a_list_of_certifications_reads_their_ledgers_in_one_call(
    system: System, mint: Minter
) -> None:
    staff = mint("staff", "sam")
    provider, certifications = await certify_everyone(system, mint)
    await set_clock(system, staff, "2026-06-15T17:00:00+00:00")
    course = (await data_of(system, ADD_COURSE, {"p": provider}, token=staff))["addCeCourse"]
    rows = [
        {
            "completionId": f"PA-CE-{who}",
            "courseId": course["id"],
            "certificateNumber": certification["number"],
            "completedOn": "2026-06-01",
        }
        for who, certification in certifications.items()
    ]
    academy = mint("provider", "academy", provider_id=provider)
    reported = await data_of(system, REPORT, {"p": provider, "rows": rows}, token=academy)
    assert reported["reportCeCompletions"]["batch"]["accepted"] == 2

    system.calls.clear()
    items = (await data_of(system, EVERY_LEDGER, token=staff))["applications"]["items"]
    ledgers = {i["applicantId"]: i["certification"]["ceRecords"] for i in items}
    course_only = [{"courseTitle": "Ethics and Boundaries"}]
    assert ledgers == {"alice": course_only, "bob": course_only}
    assert system.calls == Counter(
        {
            ("applications", "GET", "/v1/applications"): 1,
            # The page's status views (certifications in them), in one batch read.
            ("applications", "POST", "/v1/applications/views"): 1,
            ("applications", "GET", "/v1/ce-records"): 1,
        }
    )
