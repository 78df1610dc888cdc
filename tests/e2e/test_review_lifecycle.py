"""Review, decisions and deadlines through the gateway only, on the shared test clock.

Times are chosen so the board's local day is known: 18:00Z is 10:00 in Los Angeles in
winter, and 23:59 local is the last minute of a window's last day.
"""

from __future__ import annotations

from typing import Any

from .conftest import System
from .helpers import (
    advance_clock,
    application_input,
    data_of,
    error_of,
    run_sweep,
    set_clock,
    uploads,
)

STATUS_VIEW = """
fragment StatusView on Application {
  id status version approvedAt decisionReason
  deadlines {
    today firstNotificationDueOn firstNotifiedOn firstNotificationOnTime
    lastDayToComplete voidFrom daysLeftToComplete
    validThrough daysLeftValid examRequestCutoff daysLeftToRequestExam
  }
  missing
  notifications { reason }
  payments { kind amountCents currency reference forfeitedAt }
}
"""
SUBMIT = (
    STATUS_VIEW
    + """
mutation Submit($input: SubmitApplicationInput!) {
  submitApplication(input: $input) { ...StatusView }
}
"""
)
READ = STATUS_VIEW + "query Read($id: ID!) { application(id: $id) { ...StatusView } }"
START_REVIEW = (
    STATUS_VIEW
    + """
mutation Start($id: ID!, $v: Int!) { startReview(id: $id, expectedVersion: $v) { ...StatusView } }
"""
)
REQUEST_REVISION = (
    STATUS_VIEW
    + """
mutation Revise(
  $id: ID!, $v: Int!, $items: [RevisionItem!]!, $note: String, $confirm: Boolean! = false
) {
  requestRevision(id: $id, expectedVersion: $v, items: $items, note: $note, confirmVoid: $confirm) {
    ...StatusView
  }
}
"""
)
RESUBMIT = (
    STATUS_VIEW
    + """
mutation Resubmit($id: ID!, $v: Int!) {
  resubmitApplication(id: $id, expectedVersion: $v) { ...StatusView }
}
"""
)
APPROVE = (
    STATUS_VIEW
    + """
mutation Approve($id: ID!, $v: Int!, $reason: String) {
  approveApplication(id: $id, expectedVersion: $v, reason: $reason) { ...StatusView }
}
"""
)
RECORD_PAYMENT = (
    STATUS_VIEW
    + """
mutation Pay($id: ID!, $reference: String!, $paidAt: DateTime!) {
  recordPayment(id: $id, kind: APPLICATION, amountCents: 5000, reference: $reference,
                paidAt: $paidAt) { ...StatusView }
}
"""
)


async def _submit(system: System, applicant: str, **form: object) -> dict[str, Any]:
    data = await data_of(
        system,
        SUBMIT,
        {"input": application_input(**form)},
        token=applicant,
        files=uploads(),
    )
    application: dict[str, Any] = data["submitApplication"]
    return application


async def _act(system: System, query: str, token: str, **variables: Any) -> dict[str, Any]:
    data = await data_of(system, query, variables, token=token)
    (application,) = data.values()
    assert isinstance(application, dict)
    return application


async def _pay(system: System, staff: str, application_id: str, reference: str) -> dict[str, Any]:
    return await _act(
        system,
        RECORD_PAYMENT,
        staff,
        id=application_id,
        reference=reference,
        paidAt="2026-01-15T18:00:00Z",
    )


async def test_an_incomplete_application_is_void_after_its_hold(system: System, mint) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sam")
    await set_clock(system, staff, "2026-01-15T18:00:00+00:00")
    submitted = await _submit(system, alice)
    app_id = submitted["id"]
    paid = await _pay(system, staff, app_id, "rcpt-void-1")
    assert paid["payments"] == [
        {
            "kind": "APPLICATION",
            "amountCents": 5000,
            "currency": "USD",
            "reference": "rcpt-void-1",
            "forfeitedAt": None,
        }
    ]

    reviewing = await _act(system, START_REVIEW, staff, id=app_id, v=paid["version"])
    assert reviewing["status"] == "UNDER_REVIEW"
    incomplete = await _act(
        system,
        REQUEST_REVISION,
        staff,
        id=app_id,
        v=reviewing["version"],
        items=["GOVERNMENT_ID"],
        note="The photo on the ID is unreadable.",
    )
    assert incomplete["status"] == "INCOMPLETE"
    assert incomplete["missing"] == ["GOVERNMENT_ID"]

    # The applicant's whole status view, in one query.
    seen = (await data_of(system, READ, {"id": app_id}, token=alice))["application"]
    assert seen["status"] == "INCOMPLETE"
    assert seen["missing"] == ["GOVERNMENT_ID"]
    assert [n["reason"] for n in seen["notifications"]] == ["REVISION_REQUESTED"]
    assert seen["deadlines"] == {
        "today": "2026-01-15",
        "firstNotificationDueOn": "2026-02-14",
        "firstNotifiedOn": "2026-01-15",
        "firstNotificationOnTime": True,
        "lastDayToComplete": "2026-04-15",  # submission day + 90
        "voidFrom": "2026-04-16",
        "daysLeftToComplete": 90,
        "validThrough": None,
        "daysLeftValid": None,
        "examRequestCutoff": None,
        "daysLeftToRequestExam": None,
    }

    # 23:59 on day 90 in Los Angeles (PDT by then): still in time.
    await set_clock(system, staff, "2026-04-16T06:59:00+00:00")
    last_day = (await data_of(system, READ, {"id": app_id}, token=alice))["application"]
    assert last_day["status"] == "INCOMPLETE"
    assert last_day["deadlines"]["today"] == "2026-04-15"
    assert last_day["deadlines"]["daysLeftToComplete"] == 0

    # One minute later it is day 91: void when read, before any sweep has written it.
    await advance_clock(system, staff, seconds=60)
    void = (await data_of(system, READ, {"id": app_id}, token=alice))["application"]
    assert void["status"] == "VOID"
    assert void["deadlines"]["daysLeftToComplete"] is None
    listed = await data_of(system, "{ applications(status: VOID) { items { id } } }", token=staff)
    assert listed["applications"]["items"] == [{"id": app_id}]

    assert (await run_sweep(system, staff))["voided"] == 1
    assert (await run_sweep(system, staff))["voided"] == 0

    swept = (await data_of(system, READ, {"id": app_id}, token=alice))["application"]
    assert swept["status"] == "VOID"
    assert swept["payments"][0]["forfeitedAt"] is not None
    assert "VOIDED" in [n["reason"] for n in swept["notifications"]]
    refused = await error_of(system, RESUBMIT, {"id": app_id, "v": swept["version"]}, token=alice)
    assert refused["code"] == "TRANSITION_NOT_ALLOWED", refused


async def test_an_approval_is_valid_twelve_months_then_expires(system: System, mint) -> None:
    bob, staff = mint("applicant", "bob"), mint("staff", "sam")
    await set_clock(system, staff, "2026-01-15T18:00:00+00:00")
    submitted = await _submit(system, bob, firstName="Robert", lastName="Ng")
    app_id = submitted["id"]
    paid = await _pay(system, staff, app_id, "rcpt-approve-1")

    # Approved on 10 Feb (local): valid through 9 Feb 2027, exam requests until 14 days before.
    await set_clock(system, staff, "2026-02-10T18:00:00+00:00")
    approved = await _act(
        system, APPROVE, staff, id=app_id, v=paid["version"], reason="All documents in order."
    )
    assert approved["status"] == "APPROVED"
    assert approved["approvedAt"].startswith("2026-02-10T18:00")
    assert approved["decisionReason"] == "All documents in order."
    assert approved["deadlines"]["validThrough"] == "2027-02-09"
    assert approved["deadlines"]["examRequestCutoff"] == "2027-01-26"
    assert approved["deadlines"]["daysLeftValid"] == 364
    assert approved["deadlines"]["daysLeftToRequestExam"] == 350
    assert approved["deadlines"]["firstNotificationOnTime"] is True
    assert "APPROVED" in [n["reason"] for n in approved["notifications"]]

    # 23:59 on the valid-through day in Los Angeles (PST): still approved.
    await set_clock(system, staff, "2027-02-10T07:59:00+00:00")
    last_day = (await data_of(system, READ, {"id": app_id}, token=bob))["application"]
    assert last_day["status"] == "APPROVED"
    assert last_day["deadlines"]["daysLeftValid"] == 0

    await advance_clock(system, staff, seconds=60)
    expired = (await data_of(system, READ, {"id": app_id}, token=bob))["application"]
    assert expired["status"] == "EXPIRED"
    assert expired["deadlines"]["daysLeftValid"] is None
    assert (await run_sweep(system, staff))["expired"] == 1
    assert (await run_sweep(system, staff))["expired"] == 0
    swept = (await data_of(system, READ, {"id": app_id}, token=bob))["application"]
    assert swept["status"] == "EXPIRED"
    assert swept["version"] > expired["version"]


async def test_refusals_carry_the_service_code_and_field(system: System, mint) -> None:
    alice, bob, staff = mint("applicant", "alice"), mint("applicant", "bob"), mint("staff", "sam")
    await set_clock(system, staff, "2026-01-15T18:00:00+00:00")
    submitted = await _submit(system, alice)
    app_id, v1 = submitted["id"], submitted["version"]
    second = await error_of(
        system, SUBMIT, {"input": application_input()}, token=alice, files=uploads()
    )
    assert (second["code"], second["field"], second["status"]) == (
        "OPEN_APPLICATION_EXISTS",
        "application_id",
        409,
    )
    assert app_id in second["message"]

    not_staff = await error_of(system, START_REVIEW, {"id": app_id, "v": v1}, token=alice)
    assert not_staff["code"] == "FORBIDDEN"
    stranger = await error_of(system, READ, {"id": app_id}, token=bob)
    assert stranger["code"] == "NOT_FOUND"
    no_such = await error_of(system, READ, {"id": "not-a-uuid"}, token=alice)
    assert no_such["code"] == "NOT_FOUND"

    v2 = (await _act(system, START_REVIEW, staff, id=app_id, v=v1))["version"]
    stale = await error_of(system, APPROVE, {"id": app_id, "v": v1}, token=staff)
    assert (stale["code"], stale["field"], stale["status"]) == (
        "VERSION_CONFLICT",
        "expected_version",
        409,
    )
    unpaid = await error_of(system, APPROVE, {"id": app_id, "v": v2}, token=staff)
    assert (unpaid["code"], unpaid["field"]) == ("APPROVAL_REQUIREMENT_UNMET", "application_fee")

    await _pay(system, staff, app_id, "rcpt-1")
    twice = await error_of(
        system,
        RECORD_PAYMENT,
        {"id": app_id, "reference": "rcpt-1", "paidAt": "2026-01-15T18:00:00Z"},
        token=staff,
    )
    assert (twice["code"], twice["field"]) == ("DUPLICATE_PAYMENT", "reference")

    message = {"id": app_id, "subject": "Your application", "body": "We are reviewing it."}
    send = """
    mutation Send($id: ID!, $subject: String!, $body: String!) {
      sendStatusMessage(id: $id, subject: $subject, body: $body) { notifications { reason } }
    }
    """
    sent = await data_of(system, send, message, token=staff)
    assert [n["reason"] for n in sent["sendStatusMessage"]["notifications"]] == ["STATUS_MESSAGE"]
    again = await error_of(system, send, message, token=staff)
    assert again["code"] == "DUPLICATE_NOTIFICATION"

    approved = await _act(system, APPROVE, staff, id=app_id, v=v2)
    assert approved["status"] == "APPROVED"
    late = await error_of(
        system, START_REVIEW, {"id": app_id, "v": approved["version"]}, token=staff
    )
    assert late["code"] == "TRANSITION_NOT_ALLOWED"


async def test_a_revision_after_the_hold_voids_only_when_confirmed(system: System, mint) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sam")
    await set_clock(system, staff, "2026-01-15T18:00:00+00:00")
    submitted = await _submit(system, alice)
    # Waiting on staff is never voided by the clock, however late staff are.
    await set_clock(system, staff, "2026-04-20T18:00:00+00:00")
    waiting = (await data_of(system, READ, {"id": submitted["id"]}, token=alice))["application"]
    assert waiting["status"] == "SUBMITTED"
    variables = {"id": submitted["id"], "v": waiting["version"], "items": ["DIPLOMA"]}
    warned = await error_of(system, REQUEST_REVISION, variables, token=staff)
    assert (warned["code"], warned["field"]) == ("REVISION_WOULD_VOID", "confirm_void")
    void = await _act(system, REQUEST_REVISION, staff, **variables, confirm=True)
    assert void["status"] == "VOID"
