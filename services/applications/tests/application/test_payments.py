"""Recording fees: open applications only, a reference once."""

from __future__ import annotations

import uuid

import httpx

from certboard_core.testing.plugin import bearer

from ..factories import act, pay, submit


async def test_no_fee_on_a_closed_application(client: httpx.AsyncClient, mint) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    mine = await submit(client, alice)
    withdrawn = await act(client, mine, "withdraw", alice)
    assert withdrawn.json()["status"] == "withdrawn"
    refused = await pay(client, mine, staff)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "TRANSITION_NOT_ALLOWED"
    assert refused.json()["error"]["field"] == "status"
    assert "withdrawn" in refused.json()["error"]["message"]
    view = await client.get(f"/v1/applications/{mine['id']}", headers=bearer(staff))
    assert view.json()["payments"] == []


async def test_no_fee_on_an_unknown_application(client: httpx.AsyncClient, mint) -> None:
    response = await pay(client, {"id": str(uuid.uuid4())}, mint("staff", "sam"))
    assert response.status_code == 404


async def test_a_fee_is_recorded_and_audited_once(client: httpx.AsyncClient, mint) -> None:
    staff = mint("staff", "sam")
    mine = await submit(client, mint("applicant", "alice"))
    first = await pay(client, mine, staff, reference="bank-77")
    assert first.status_code == 201
    assert first.json()["reference"] == "bank-77"
    assert (await pay(client, mine, staff, reference="bank-77")).status_code == 409
