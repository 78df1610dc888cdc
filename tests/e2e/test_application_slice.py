"""The first slice through the gateway only, as the portal and the admin frontend use it."""

from __future__ import annotations

from sqlmodel import select

from certboard_core.outbox import ProcessedEvent

from .conftest import System
from .helpers import MOVE_CLOCK, PDF, PNG, application_input, set_clock, uploads

SUBMIT = """
mutation Submit($input: SubmitApplicationInput!) {
  submitApplication(input: $input) {
    id status submittedOn version
    deadlines { today firstNotificationDueOn firstNotificationDaysLeft lastDayToComplete }
    documents { kind contentType version current }
  }
}
"""
STATUS = """
query Status($id: ID!) {
  application(id: $id) {
    id status firstName firstNotificationDueOn
    deadlines { firstNotificationDueOn firstNotificationDaysLeft firstNotificationOnTime }
  }
}
"""
STAFF_LIST = """
query List($after: String) {
  applications(first: 10, after: $after) { items { id applicantId status } nextCursor }
}
"""


async def test_applicant_submits_and_reads_status_staff_lists_stranger_cannot_see(
    system: System, mint
) -> None:
    alice, bob, staff = mint("applicant", "alice"), mint("applicant", "bob"), mint("staff", "sam")
    # 23:30 on 31 Jan in Los Angeles is already 1 Feb in UTC: day 0 is the local day.
    await set_clock(system, staff, "2026-02-01T07:30:00+00:00")

    submitted = await system.gql(
        SUBMIT, {"input": application_input()}, token=alice, files=uploads()
    )
    body = submitted.json()
    assert "errors" not in body, body
    application = body["data"]["submitApplication"]
    assert application["status"] == "SUBMITTED"
    assert application["submittedOn"] == "2026-01-31"
    assert application["version"] == 1
    assert application["deadlines"] == {
        "today": "2026-01-31",
        "firstNotificationDueOn": "2026-03-02",
        "firstNotificationDaysLeft": 30,
        "lastDayToComplete": "2026-05-01",
    }
    assert sorted(
        (d["kind"], d["contentType"], d["version"], d["current"]) for d in application["documents"]
    ) == [("DIPLOMA", "application/pdf", 1, True), ("GOVERNMENT_ID", "image/jpeg", 1, True)]

    status = await system.gql(STATUS, {"id": application["id"]}, token=alice)
    assert status.json()["data"]["application"] == {
        "id": application["id"],
        "status": "SUBMITTED",
        "firstName": "Maria",
        # Kept at the top level for older clients; the same day as in the deadlines.
        "firstNotificationDueOn": "2026-03-02",
        "deadlines": {
            "firstNotificationDueOn": "2026-03-02",
            "firstNotificationDaysLeft": 30,
            "firstNotificationOnTime": None,
        },
    }

    listed = await system.gql(STAFF_LIST, token=staff)
    assert listed.json()["data"]["applications"]["items"] == [
        {"id": application["id"], "applicantId": "alice", "status": "SUBMITTED"}
    ]

    hidden = (await system.gql(STATUS, {"id": application["id"]}, token=bob)).json()
    assert hidden["data"] is None
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    forbidden = (await system.gql(STAFF_LIST, token=alice)).json()
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    # The days left follow the shared test clock.
    moved = await system.gql(MOVE_CLOCK, {"input": {"advanceSeconds": 86400 * 31}}, token=staff)
    assert "errors" not in moved.json()
    later = (await system.gql(STATUS, {"id": application["id"]}, token=alice)).json()
    assert later["data"]["application"]["deadlines"] == {
        "firstNotificationDueOn": "2026-03-02",
        "firstNotificationDaysLeft": -1,
        "firstNotificationOnTime": False,
    }


async def test_submission_event_reaches_the_other_services(system: System, mint) -> None:
    alice = mint("applicant", "alice")
    submitted = await system.gql(
        SUBMIT, {"input": application_input()}, token=alice, files=uploads()
    )
    assert "errors" not in submitted.json()
    delivered = await system.services["applications"].state.dispatcher.dispatch_once()
    assert delivered == 2
    for name in ("exams", "supervision"):
        async with system.services[name].state.sessions() as session:
            seen = (await session.exec(select(ProcessedEvent))).all()
        assert [e.type for e in seen] == ["application.submitted"]


async def test_bad_input_is_a_coded_error_and_stores_nothing(system: System, mint) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sam")
    cases = [
        (
            application_input(codeOfEthicsAgreed=False),
            uploads(),
            "ATTESTATION_REQUIRED",
            "code_of_ethics_agreed",
        ),
        (
            application_input(dateOfBirth="2015-01-01"),
            uploads(),
            "APPLICANT_TOO_YOUNG",
            "date_of_birth",
        ),
        (
            application_input(),
            uploads(government_id=PNG),
            "DOCUMENT_TYPE_NOT_ACCEPTED",
            "government_id",
        ),
        (application_input(email="nope"), uploads(), "VALIDATION_ERROR", "email"),
    ]
    for variables, files, code, field in cases:
        body = (await system.gql(SUBMIT, {"input": variables}, token=alice, files=files)).json()
        assert body["data"] is None, body
        assert body["errors"][0]["extensions"]["code"] == code
        assert body["errors"][0]["extensions"]["field"] == field

    missing = (
        await system.gql(
            SUBMIT,
            {"input": {k: v for k, v in application_input().items() if k != "codeOfEthicsAgreed"}},
            token=alice,
            files=uploads(),
        )
    ).json()
    assert missing["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", missing
    assert "codeOfEthicsAgreed" in missing["errors"][0]["message"]

    listed = (await system.gql(STAFF_LIST, token=staff)).json()
    assert listed["data"]["applications"]["items"] == []


async def test_oversized_document_is_refused(system: System, mint) -> None:
    limit = system.services["applications"].state.settings.max_document_bytes
    body = (
        await system.gql(
            SUBMIT,
            {"input": application_input()},
            token=mint("applicant", "alice"),
            files=uploads(diploma=PDF + b"0" * limit),
        )
    ).json()
    assert body["errors"][0]["extensions"] == {
        "code": "DOCUMENT_TOO_LARGE",
        "field": "diploma",
        "status": 413,
    }


async def test_malformed_graphql_gets_a_parse_error_code(system: System, mint) -> None:
    response = await system.gql("query { application(id: ", token=mint("applicant", "alice"))
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    unknown = (await system.gql("query { nope }", token=mint("applicant", "alice"))).json()
    assert unknown["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    not_json = await system.client.post(
        "/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 400
    assert not_json.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_tokens_are_checked_at_the_gateway(system: System, mint) -> None:
    wrong_audience = mint("applicant", "alice", audiences=("certboard-elsewhere",))
    response = await system.gql(STATUS, {"id": "x"}, token=wrong_audience)
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "certboard-gateway" in error["message"]

    anonymous = (await system.gql(STATUS, {"id": "x"})).json()
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    me = (await system.gql("{ me { subject roles } }", token=mint("staff", "sam"))).json()
    assert me["data"]["me"] == {"subject": "sam", "roles": ["staff"]}


async def test_request_id_travels_from_gateway_to_service(system: System, mint) -> None:
    response = await system.client.post(
        "/graphql",
        json={
            "query": "{ applicationPolicy { board timeZone firstNotificationDays "
            "incompleteHoldDays approvalValidMonths examRequestMinDaysBeforeExpiry "
            "voidReminderDaysBefore requiresBackgroundCheck applicationFeeCents currency } }"
        },
        headers={"X-Request-ID": "trace-abc-123"},
    )
    assert response.headers["X-Request-ID"] == "trace-abc-123"
    assert response.json()["data"]["applicationPolicy"] == {
        "board": "CA",
        "timeZone": "America/Los_Angeles",
        "firstNotificationDays": 30,
        "incompleteHoldDays": 90,
        "approvalValidMonths": 12,
        "examRequestMinDaysBeforeExpiry": 14,
        "voidReminderDaysBefore": [14, 3],
        "requiresBackgroundCheck": False,
        "applicationFeeCents": 0,
        "currency": "USD",
    }
