"""The first slice through the gateway only, as the portal and the admin frontend use it."""

from __future__ import annotations

from sqlmodel import select

from certboard_core.outbox import ProcessedEvent

from .conftest import System

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

SUBMIT = """
mutation Submit($input: SubmitApplicationInput!) {
  submitApplication(input: $input) {
    id status submittedOn firstNotificationDueOn firstNotificationDaysLeft
    documents { kind contentType }
  }
}
"""
STATUS = """
query Status($id: ID!) {
  application(id: $id) { id status firstName firstNotificationDueOn firstNotificationDaysLeft }
}
"""
STAFF_LIST = """
query List($after: String) {
  applications(first: 10, after: $after) { items { id applicantId status } nextCursor }
}
"""
MOVE_CLOCK = """
mutation Move($input: TestClockInput!) { moveTestClock(input: $input) { service now frozen } }
"""


def application_input(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "firstName": "Maria",
        "lastName": "Lopez",
        "dateOfBirth": "1990-05-17",
        "email": "maria.lopez@example.org",
        "codeOfEthicsAgreed": True,
        "livedExperience": "CONSUMER",
        "willingToShareExperience": True,
        "governmentId": None,
        "diploma": None,
    }
    values.update(overrides)
    return values


def uploads(government_id: bytes = JPEG, diploma: bytes = PDF) -> dict[str, tuple[str, bytes, str]]:
    return {
        "variables.input.governmentId": ("id.jpg", government_id, "image/jpeg"),
        "variables.input.diploma": ("diploma.pdf", diploma, "application/pdf"),
    }


async def _set_clock(system: System, staff: str, instant: str) -> None:
    moved = await system.gql(MOVE_CLOCK, {"input": {"setTo": instant}}, token=staff)
    clocks = moved.json()["data"]["moveTestClock"]
    assert {c["service"] for c in clocks} == {"applications", "exams", "supervision"}
    assert all(c["now"].startswith(instant[:16]) and c["frozen"] for c in clocks)


async def test_applicant_submits_and_reads_status_staff_lists_stranger_cannot_see(
    system: System, mint
) -> None:
    alice, bob, staff = mint("applicant", "alice"), mint("applicant", "bob"), mint("staff", "sam")
    # 23:30 on 31 Jan in Los Angeles is already 1 Feb in UTC: day 0 is the local day.
    await _set_clock(system, staff, "2026-02-01T07:30:00+00:00")

    submitted = await system.gql(
        SUBMIT, {"input": application_input()}, token=alice, files=uploads()
    )
    body = submitted.json()
    assert "errors" not in body, body
    application = body["data"]["submitApplication"]
    assert application["status"] == "SUBMITTED"
    assert application["submittedOn"] == "2026-01-31"
    assert application["firstNotificationDueOn"] == "2026-03-02"
    assert application["firstNotificationDaysLeft"] == 30
    assert sorted(d["kind"] for d in application["documents"]) == ["DIPLOMA", "GOVERNMENT_ID"]

    status = await system.gql(STATUS, {"id": application["id"]}, token=alice)
    assert status.json()["data"]["application"] == {
        "id": application["id"],
        "status": "SUBMITTED",
        "firstName": "Maria",
        "firstNotificationDueOn": "2026-03-02",
        "firstNotificationDaysLeft": 30,
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
    assert later["data"]["application"]["firstNotificationDaysLeft"] == -1


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

    viewer = (await system.gql("{ viewer { subject roles } }", token=mint("staff", "sam"))).json()
    assert viewer["data"]["viewer"] == {"subject": "sam", "roles": ["staff"]}


async def test_request_id_travels_from_gateway_to_service(system: System, mint) -> None:
    response = await system.client.post(
        "/graphql",
        json={"query": "{ applicationPolicy { board firstNotificationDays incompleteHoldDays } }"},
        headers={"X-Request-ID": "trace-abc-123"},
    )
    assert response.headers["X-Request-ID"] == "trace-abc-123"
    assert response.json()["data"]["applicationPolicy"] == {
        "board": "CA",
        "firstNotificationDays": 30,
        "incompleteHoldDays": 90,
    }
