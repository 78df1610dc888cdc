"""Staff's list of certifications by their valid-through day: this month unless asked."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from certboard_core.clock import TestClock
from certboard_core.testing.plugin import Minter, bearer

from .conftest import approved, deliver, passed

PATH = "/v1/certifications/expiring"


async def test_this_month_soonest_first_and_paged(
    client: httpx.AsyncClient, mint: Minter, clock: TestClock
) -> None:
    staff = bearer(mint("staff", "sam"))
    # Passed on these days under CA: valid through the day before the second anniversary.
    for who, taken_on in (("ann", "2026-05-31"), ("bob", "2026-05-02"), ("cy", "2026-06-02")):
        application = await approved(client, mint, who)
        assert (await deliver(client, mint, "exam.passed", passed(application, taken_on))).json()[
            "outcome"
        ] == "handled"
    clock.set(datetime(2028, 5, 15, 17, tzinfo=UTC))
    body = (await client.get(PATH, headers=staff)).json()
    assert (body["starts_on"], body["ends_on"], body["total"]) == ("2028-05-01", "2028-05-31", 2)
    assert [(c["applicant_id"], c["valid_through"]) for c in body["items"]] == [
        ("bob", "2028-05-01"),
        ("ann", "2028-05-30"),
    ]
    # Nobody has CE in the ledger: the whole 20 hours of the closing cycle are still needed.
    assert {c["ce_still_needed_hours"] for c in body["items"]} == {"20"}
    first = (await client.get(PATH, params={"limit": 1}, headers=staff)).json()
    rest = (
        await client.get(PATH, params={"limit": 1, "after": first["next_cursor"]}, headers=staff)
    ).json()
    assert [c["applicant_id"] for c in first["items"] + rest["items"]] == ["bob", "ann"]
    assert rest["next_cursor"] is None
    june = (
        await client.get(PATH, params={"from": "2028-06-01", "to": "2028-06-30"}, headers=staff)
    ).json()
    assert [c["applicant_id"] for c in june["items"]] == ["cy"]


async def test_a_backwards_span_and_other_roles_are_refused(
    client: httpx.AsyncClient, mint: Minter
) -> None:
    backwards = await client.get(
        PATH, params={"from": "2028-06-01", "to": "2028-05-01"}, headers=bearer(mint("staff", "s"))
    )
    assert (backwards.status_code, backwards.json()["error"]["field"]) == (422, "to")
    refused = await client.get(PATH, headers=bearer(mint("applicant", "ann")))
    assert refused.status_code == 403
