"""The batch read of whole status views: ownership, order, limits, and one query per kind."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from certboard_core.testing.plugin import bearer
from certboard_core.testing.sql import statements

from ..factories import act, pay, submit


async def _views(client: httpx.AsyncClient, token: str, ids: list[Any]) -> httpx.Response:
    return await client.post(
        "/v1/applications/views", json={"ids": [str(i) for i in ids]}, headers=bearer(token)
    )


async def test_staff_read_several_in_the_order_asked(client: httpx.AsyncClient, mint) -> None:
    staff = mint("staff", "sam")
    made = [await submit(client, mint("applicant", f"a{n}")) for n in range(3)]
    await pay(client, made[1], staff)
    asked = [made[2]["id"], made[0]["id"], made[2]["id"], made[1]["id"]]
    response = await _views(client, staff, asked)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["id"] for i in items] == [made[2]["id"], made[0]["id"], made[1]["id"]]
    assert [len(i["payments"]) for i in items] == [0, 0, 1]
    for item in items:
        single = await client.get(f"/v1/applications/{item['id']}", headers=bearer(staff))
        assert single.json() == item


async def test_applicant_sees_only_their_own(client: httpx.AsyncClient, mint) -> None:
    alice, bob = mint("applicant", "alice"), mint("applicant", "bob")
    hers, his = await submit(client, alice), await submit(client, bob)
    response = await _views(client, alice, [his["id"], hers["id"]])
    assert [i["id"] for i in response.json()["items"]] == [hers["id"]]
    assert (await _views(client, bob, [hers["id"]])).json() == {"items": []}


async def test_an_applicant_reads_their_own_whole_views_in_one_call(
    client: httpx.AsyncClient, mint
) -> None:
    alice, bob, staff = mint("applicant", "alice"), mint("applicant", "bob"), mint("staff", "s")
    hers = await submit(client, alice)
    await submit(client, bob)
    await pay(client, hers, staff)
    mine = await client.get("/v1/applications/mine", headers=bearer(alice))
    assert mine.status_code == 200, mine.text
    (view,) = mine.json()["items"]
    single = await client.get(f"/v1/applications/{hers['id']}", headers=bearer(alice))
    assert view == single.json()
    assert len(view["payments"]) == 1
    refused = await client.get("/v1/applications/mine", headers=bearer(staff))
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "FORBIDDEN")


async def test_unknown_ids_are_absent(client: httpx.AsyncClient, mint) -> None:
    staff = mint("staff", "sam")
    mine = await submit(client, mint("applicant", "alice"))
    response = await _views(client, staff, [uuid.uuid4(), mine["id"], uuid.uuid4()])
    assert response.status_code == 200
    assert [i["id"] for i in response.json()["items"]] == [mine["id"]]


async def test_more_than_200_ids_is_a_validation_error(client: httpx.AsyncClient, mint) -> None:
    staff = mint("staff", "sam")
    response = await _views(client, staff, [uuid.uuid4() for _ in range(201)])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert response.json()["error"]["field"] == "ids"
    assert (await _views(client, staff, [uuid.uuid4() for _ in range(200)])).status_code == 200


async def test_other_roles_are_forbidden(client: httpx.AsyncClient, mint) -> None:
    response = await _views(client, mint("provider", "p1"), [uuid.uuid4()])
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"


async def test_the_single_read_is_the_same_view(client: httpx.AsyncClient, mint) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    mine = await submit(client, alice)
    asked = await act(client, mine, "revision-requests", staff, items=["diploma"], note="blurry")
    single = await client.get(f"/v1/applications/{mine['id']}", headers=bearer(alice))
    assert single.json() == asked.json()
    assert single.json()["missing"] == ["diploma"]
    assert single.json()["notifications"][0]["reason"] == "revision_requested"
    batch = await _views(client, alice, [mine["id"]])
    assert batch.json()["items"] == [single.json()]


async def test_twenty_cost_the_statements_of_one(
    app: FastAPI, client: httpx.AsyncClient, mint
) -> None:
    staff = mint("staff", "sam")
    made = [await submit(client, mint("applicant", f"a{n}")) for n in range(20)]
    for n, application in enumerate(made):
        await pay(client, application, staff, reference=f"r-{n}")
        await act(client, application, "revision-requests", staff, items=["diploma"])
    with statements(app) as one:
        single = await _views(client, staff, [made[0]["id"]])
    with statements(app) as twenty:
        batch = await _views(client, staff, [a["id"] for a in made])
    assert len(single.json()["items"]) == 1
    assert len(batch.json()["items"]) == 20
    assert all(i["payments"] and i["notifications"] for i in batch.json()["items"])
    assert len(twenty) == len(one)
    # One statement reads the applications and their documents, revisions, notices, fees,
    # certificates and certifications.
    assert len([s for s in one if s.lstrip().upper().startswith(("SELECT", "WITH"))]) == 1


async def test_a_batch_read_does_not_wait_for_writers(
    app: FastAPI, client: httpx.AsyncClient, mint
) -> None:
    """The batch read is a POST but only reads: a write transaction held open (on SQLite, the
    write lock and a place in this process's write queue) does not hold it up."""
    alice = mint("applicant", "alice")
    mine = await submit(client, alice)
    async with app.state.sessions() as writer, writer.begin():
        await writer.exec(text("UPDATE application SET version = version"))
        # Were it a write it would wait for this very transaction (SQLite's busy timeout).
        response = await asyncio.wait_for(_views(client, alice, [mine["id"]]), timeout=5)
    assert response.status_code == 200
    assert [view["id"] for view in response.json()["items"]] == [mine["id"]]
