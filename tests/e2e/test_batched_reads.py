"""Reads that batch: a list with every application's status view costs two service calls."""

from __future__ import annotations

from collections import Counter

from .conftest import System
from .helpers import application_input, data_of, error_of, set_clock, uploads

SUBMIT = """
mutation Submit($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }
"""
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
} } }
"""
ONE = "query One($id: ID!) { application(id: $id) { id documents { kind } } }"
COUNT = 100


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

    system.calls.clear()
    items = (await data_of(system, EVERY_VIEW, token=staff))["applications"]["items"]

    assert [i["id"] for i in items] == ids
    assert all(
        sorted(d["kind"] for d in i["documents"]) == ["DIPLOMA", "GOVERNMENT_ID"] for i in items
    )
    assert [len(i["payments"]) for i in items] == [1] + [0] * (COUNT - 1)
    assert system.calls == Counter(
        {
            ("applications", "GET", "/v1/applications"): 1,
            ("applications", "POST", "/v1/applications/views"): 1,
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
