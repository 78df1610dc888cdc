"""A revision answered by the applicant, then a denial; a withdrawal; the background check."""

from __future__ import annotations

from typing import Any

from .conftest import System
from .helpers import JPEG, application_input, data_of, set_clock, uploads

VIEW = """
fragment View on Application {
  id status version decisionReason backgroundCheck missing
  documents { kind version current contentType }
  revisionRequests { items note resolvedAt }
  notifications { reason }
  attestations { codeOfEthicsAgreed willingToShareExperience recoveryTwoYearsAttested }
}
"""
SUBMIT = (
    VIEW
    + "mutation S($input: SubmitApplicationInput!) { submitApplication(input: $input) { ...View } }"
)
REVISE = (
    VIEW
    + """
mutation R($id: ID!, $v: Int!) {
  requestRevision(id: $id, expectedVersion: $v, items: [GOVERNMENT_ID], note: "Unreadable") {
    ...View
  }
}
"""
)
ADD_DOCUMENT = (
    VIEW
    + """
mutation A($id: ID!, $file: Upload!) {
  addApplicationDocument(id: $id, kind: GOVERNMENT_ID, file: $file) { ...View }
}
"""
)
RESUBMIT = (
    VIEW + "mutation B($id: ID!, $v: Int!) { resubmitApplication(id: $id, expectedVersion: $v) "
    "{ ...View } }"
)
START = (
    VIEW
    + "mutation T($id: ID!, $v: Int!) { startReview(id: $id, expectedVersion: $v) { ...View } }"
)
DENY = (
    VIEW
    + """
mutation D($id: ID!, $v: Int!) {
  denyApplication(id: $id, expectedVersion: $v, reason: "The ID does not match the name.") {
    ...View
  }
}
"""
)
WITHDRAW = (
    VIEW + "mutation W($id: ID!, $v: Int!) { withdrawApplication(id: $id, expectedVersion: $v) "
    "{ ...View } }"
)
CHECK = (
    VIEW
    + """
mutation C($id: ID!, $v: Int!) {
  recordBackgroundCheck(id: $id, expectedVersion: $v, result: PASSED, note: "cleared") {
    ...View
  }
}
"""
)


async def _one(system: System, query: str, token: str, **kwargs: Any) -> dict[str, Any]:
    data = await data_of(system, query, token=token, **kwargs)
    (application,) = data.values()
    assert isinstance(application, dict)
    return application


async def test_applicant_answers_a_revision_and_staff_deny(system: System, mint) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sam")
    await set_clock(system, staff, "2026-01-15T18:00:00+00:00")
    app = await _one(
        system, SUBMIT, alice, variables={"input": application_input()}, files=uploads()
    )
    assert app["attestations"] == {
        "codeOfEthicsAgreed": True,
        "willingToShareExperience": True,
        "recoveryTwoYearsAttested": None,
    }
    checked = await _one(system, CHECK, staff, variables={"id": app["id"], "v": app["version"]})
    assert checked["backgroundCheck"] == "PASSED"
    app = await _one(system, REVISE, staff, variables={"id": app["id"], "v": checked["version"]})
    assert app["revisionRequests"] == [
        {"items": ["GOVERNMENT_ID"], "note": "Unreadable", "resolvedAt": None}
    ]

    app = await _one(
        system,
        ADD_DOCUMENT,
        alice,
        variables={"id": app["id"], "file": None},
        files={"variables.file": ("id-2.jpg", JPEG, "image/jpeg")},
    )
    ids = [(d["kind"], d["version"], d["current"]) for d in app["documents"]]
    assert ("GOVERNMENT_ID", 2, True) in ids
    assert ("GOVERNMENT_ID", 1, False) in ids

    app = await _one(system, RESUBMIT, alice, variables={"id": app["id"], "v": app["version"]})
    assert (app["status"], app["missing"]) == ("RESUBMITTED", [])
    assert app["revisionRequests"][0]["resolvedAt"] is not None
    app = await _one(system, START, staff, variables={"id": app["id"], "v": app["version"]})
    app = await _one(system, DENY, staff, variables={"id": app["id"], "v": app["version"]})
    assert app["status"] == "DENIED"
    assert app["decisionReason"] == "The ID does not match the name."
    # Sorted: on the frozen clock both notices share one timestamp, their only order.
    assert sorted(n["reason"] for n in app["notifications"]) == ["DENIED", "REVISION_REQUESTED"]


async def test_applicant_withdraws(system: System, mint) -> None:
    alice = mint("applicant", "alice")
    app = await _one(
        system, SUBMIT, alice, variables={"input": application_input()}, files=uploads()
    )
    app = await _one(system, WITHDRAW, alice, variables={"id": app["id"], "v": app["version"]})
    assert app["status"] == "WITHDRAWN"
    assert [n["reason"] for n in app["notifications"]] == ["WITHDRAWN"]
    staff_only = (
        await system.gql(CHECK, {"id": app["id"], "v": app["version"]}, token=alice)
    ).json()
    assert staff_only["errors"][0]["extensions"]["code"] == "FORBIDDEN"
