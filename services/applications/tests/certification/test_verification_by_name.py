"""Public verification by name, public discipline with its dates, and the credential link:
any spelling of a name, a page at a time, limited per client; never the private parts of a
decision."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI

from certboard_core.clock import TestClock
from certboard_core.testing.plugin import Minter
from certboard_core.testing.ratelimit import limit_with_manual_clock

from ..discipline.test_discipline import decide, file, queue
from .test_verification import LIMITS, certified, credential_url


async def search(client: httpx.AsyncClient, **params: Any) -> httpx.Response:
    return await client.get("/v1/verification", params=params)


async def names(client: httpx.AsyncClient, **params: Any) -> list[str]:
    answer = await search(client, **params)
    assert answer.status_code == 200, answer.text
    return [item["holder_name"] for item in answer.json()["items"]]


async def test_any_spelling_of_a_last_name_and_a_first_names_beginning(client, mint) -> None:
    await certified(client, mint, "alice")  # Maria Lopez
    await certified(client, mint, "mario", first_name="Mário", last_name="LÓPEZ")
    await certified(client, mint, "ana", first_name="Ana", last_name="Lopez")
    await certified(client, mint, "mj", first_name="María-José", last_name="O'Brien")
    await certified(client, mint, "lopezz", first_name="Maria", last_name="Lopezz")

    assert await names(client, last_name="lopez", first_name="M") == ["Maria Lopez", "Mário LÓPEZ"]
    assert await names(client, last_name=" López ", first_name="mar") == [
        "Maria Lopez",
        "Mário LÓPEZ",
    ]
    assert await names(client, last_name="LOPEZ", first_name="maria") == ["Maria Lopez"]
    assert await names(client, last_name="Lopez", first_name="a") == ["Ana Lopez"]
    # The whole last name: no prefix of it finds anyone.
    assert await names(client, last_name="Lope", first_name="m") == []
    assert await names(client, last_name="o brien", first_name="mariaj") == ["María-José O'Brien"]
    assert await names(client, last_name="Nobody", first_name="x") == []


async def test_pages_follow_one_another_without_repeats(client, mint) -> None:
    numbers = {await certified(client, mint, f"m{i}") for i in range(5)}  # five Maria Lopez
    seen: list[str] = []
    after = None
    for _ in range(3):
        params = {"last_name": "Lopez", "first_name": "M", "limit": 2}
        answer = await search(client, **params, **({"after": after} if after else {}))
        page = answer.json()
        seen += [item["number"] for item in page["items"]]
        after = page["next_cursor"]
        if after is None:
            break
    assert after is None
    assert sorted(seen) == sorted(numbers)
    assert seen == sorted(seen)  # one first name: by number


async def test_a_search_needs_a_last_name_and_a_first_letter(client) -> None:
    refused = await search(client, last_name="Lopez", first_name="-'")
    assert refused.status_code == 422
    assert (refused.json()["error"]["code"], refused.json()["error"]["field"]) == (
        "INVALID_INPUT",
        "first_name",
    )
    no_letters = await search(client, last_name="--", first_name="M")
    assert no_letters.json()["error"]["field"] == "last_name"
    assert (await search(client, last_name="Lopez")).status_code == 422
    assert (await search(client, first_name="M")).status_code == 422
    bad_cursor = await search(client, last_name="Lopez", first_name="M", after="not-ours")
    assert (bad_cursor.status_code, bad_cursor.json()["error"]["field"]) == (422, "after")
    assert (await search(client, last_name="Lopez", first_name="M", limit=51)).status_code == 422


async def test_a_search_is_limited_per_client(client, app: FastAPI, mint) -> None:
    clock = limit_with_manual_clock(app, LIMITS)
    for _ in range(3):
        assert (await search(client, last_name="Lopez", first_name="M")).status_code == 200
    refused = await search(client, last_name="Lopez", first_name="M")
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "60")
    clock.advance(60)
    assert (await search(client, last_name="Lopez", first_name="M")).status_code == 200


async def decided(
    client: httpx.AsyncClient, mint: Minter, number: str, outcome: str, **body: Any
) -> None:
    assert (await file(client, number)).status_code == 201
    staff = mint("staff", "sam")
    complaint = (await queue(client, staff))["items"][0]
    answer = await decide(client, staff, complaint, outcome, **body)
    assert answer.status_code == 200, answer.text


async def test_public_discipline_with_its_dates_and_nothing_private(
    client, mint, clock: TestClock
) -> None:
    number = await certified(client, mint)
    await decided(client, mint, number, "letter_of_warning")
    quiet = (await client.get(f"/v1/verification/{number}")).json()
    assert (quiet["status"], quiet["discipline"]) == ("active", [])

    await decided(client, mint, number, "suspension", ends_on="2026-06-30")
    suspended = await client.get(f"/v1/verification/{number}")
    assert suspended.json()["status"] == "suspended"
    assert suspended.json()["discipline"] == [
        {
            "outcome": "suspension",
            "decided_on": "2026-03-10",
            "ends_on": "2026-06-30",
            "in_force": True,
        }
    ]
    assert suspended.json()["credential_url"] is None
    # Neither the reasons nor the complaint reach the public.
    assert "confidentiality" not in suspended.text
    assert "public meeting" not in suspended.text

    clock.set(datetime(2026, 7, 1, 17, tzinfo=UTC))
    after = (await client.get(f"/v1/verification/{number}")).json()
    assert after["status"] == "active"
    assert after["discipline"][0]["in_force"] is False
    assert after["credential_url"] == credential_url(number)
    by_name = (await search(client, last_name="Lopez", first_name="M")).json()["items"]
    assert by_name == [after]


async def test_anyone_fetches_the_credential_the_link_names(client, mint) -> None:
    number = await certified(client, mint)
    link = (await client.get(f"/v1/verification/{number}")).json()["credential_url"]
    fetched = await client.get(link.removeprefix("http://127.0.0.1:8001"))
    assert fetched.status_code == 200, fetched.text
    assert fetched.headers["Cache-Control"] == "no-store"
    subject = fetched.json()["payload"]["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == number
    assert "Maria" not in fetched.text
    unknown = await client.get("/v1/verification/AAAA-AAAA-AAAA/credential")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "CERTIFICATE_NOT_FOUND")

    await decided(client, mint, number, "voluntary_surrender")
    refused = await client.get(f"/v1/verification/{number}/credential")
    assert (refused.status_code, refused.json()["error"]["code"]) == (
        409,
        "CERTIFICATION_SURRENDERED",
    )
