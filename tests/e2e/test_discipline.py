"""Discipline through the gateway alone: anyone files without a token, staff suspend, and the
holder, renewal and public verification all see it at once."""

from __future__ import annotations

from certboard_core.testing.plugin import Minter

from .conftest import System
from .helpers import approved_application, data_of, set_clock
from .test_certification import VERIFY, pass_from_exams

FILE = """
mutation F($n: String!) {
  fileComplaint(certificateNumber: $n, description: "Shared a client's story without consent.") {
    reference
  }
}
"""
QUEUE = "{ complaints { received items { id version status filedBy } } }"
DECIDE = """
mutation D($id: ID!, $v: Int!) {
  decideComplaint(id: $id, expectedVersion: $v, outcome: SUSPENSION, reasons: "Admitted.",
                  endsOn: "2026-09-30") { status appealUntil }
}
"""
MINE = """
{ me { applications { certification {
  number status
  discipline { outcome endsOn appealUntil inForce }
  renewal { status statusUntil code }
} } } }
"""


async def test_a_public_complaint_suspends_through_a_last_day(system: System, mint: Minter) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sam")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    application = await approved_application(system, mint)
    await pass_from_exams(system, application, "2026-05-04")
    await set_clock(system, staff, "2026-06-01T17:00:00+00:00")
    (view,) = (await data_of(system, MINE, token=alice))["me"]["applications"]
    number = view["certification"]["number"]

    filed = await data_of(system, FILE, {"n": number})  # no token
    queue = (await data_of(system, QUEUE, token=staff))["complaints"]
    (complaint,) = queue["items"]
    assert (queue["received"], complaint["id"], complaint["filedBy"]) == (
        1,
        filed["fileComplaint"]["reference"],
        "anonymous",
    )
    decided = await data_of(
        system, DECIDE, {"id": complaint["id"], "v": complaint["version"]}, token=staff
    )
    assert decided["decideComplaint"] == {"status": "DECIDED", "appealUntil": "2026-07-01"}

    (view,) = (await data_of(system, MINE, token=alice))["me"]["applications"]
    certification = view["certification"]
    assert certification["status"] == "SUSPENDED"
    assert certification["discipline"] == [
        {
            "outcome": "SUSPENSION",
            "endsOn": "2026-09-30",
            "appealUntil": "2026-07-01",
            "inForce": True,
        }
    ]
    assert certification["renewal"] == {
        "status": "SUSPENDED",
        "statusUntil": "2026-09-30",
        "code": "CERTIFICATION_SUSPENDED",
    }
    public = (await data_of(system, VERIFY, {"number": number}))["verifyCertification"]
    assert public["status"] == "SUSPENDED"
    # Only staff read complaints.
    refused = (await system.gql(QUEUE, token=alice)).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
