"""A party's whole supervision in one read: agreements, their sessions and compliance."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from ..compliance.test_report import MONDAY, held, recorded, two_peers
from ..factories import agreement
from ..session.records import Callers, error

__all__ = ["two_peers"]
PATH = "/v1/supervision/overview"


async def overview(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> Any:
    response = await client.get(PATH, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def summary(body: Any) -> tuple[list[str], list[str], list[str]]:
    return (
        [a["peer_applicant_id"] for a in body["agreements"]],
        [s["peer_applicant_id"] for s in body["sessions"]],
        [p["peer_applicant_id"] for p in body["compliance"]["peers"]],
    )


async def test_each_party_reads_their_own_and_nobody_elses(
    app: FastAPI, client: httpx.AsyncClient, who: Callers, two_peers: Any
) -> None:
    alices, _ = two_peers
    await recorded(app, held(alices, MONDAY + timedelta(days=3), 30, signed=False))
    assert summary(await overview(client, who.alice)) == (["alice"], ["alice"] * 3, ["alice"])
    assert summary(await overview(client, who.bob)) == (["bob"], ["bob"], ["bob"])
    assert summary(await overview(client, who.sam)) == (["alice"], ["alice"] * 3, ["alice"])
    assert summary(await overview(client, who.kim)) == (["bob"], ["bob"], ["bob"])
    body = await overview(client, who.alice)
    assert body["agreements_complete"] is True
    # The sessions are the agreement's current ones, the unsigned one among them to sign.
    assert [s["signed_off_at"] is None for s in body["sessions"]] == [False, True, True]
    assert {s["agreement_id"] for s in body["sessions"]} == {str(alices.id)}


async def test_the_default_period_is_the_quarter_ending_this_week(
    client: httpx.AsyncClient, who: Callers, two_peers: Any
) -> None:
    # The test clock stands on Tuesday 10 March 2026.
    compliance = (await overview(client, who.alice))["compliance"]
    assert (compliance["starts_on"], compliance["ends_on"]) == ("2025-12-22", "2026-03-15")
    (alice,) = compliance["peers"]
    assert (alice["compliant"], alice["hours_worked"]) == (True, "20.00")
    asked = (await overview(client, who.alice, **{"from": "2026-03-09"}))["compliance"]
    assert (asked["starts_on"], asked["peers"]) == ("2026-03-09", [])


async def test_a_party_without_agreements_reads_empty_lists(
    client: httpx.AsyncClient, who: Callers
) -> None:
    body = await overview(client, who.bob)
    assert (body["agreements"], body["sessions"], body["compliance"]["peers"]) == ([], [], [])


async def test_staff_use_the_lists_and_a_bad_period_is_refused(
    app: FastAPI, client: httpx.AsyncClient, who: Callers
) -> None:
    await recorded(app, agreement())
    assert (await client.get(PATH, headers=who.staff)).status_code == 403
    response = await client.get(
        PATH, params={"from": "2026-03-09", "to": "2026-03-01"}, headers=who.alice
    )
    assert error(response) == (422, "INVALID_INPUT", "to")
