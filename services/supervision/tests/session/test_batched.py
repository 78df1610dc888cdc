"""Sessions read for lists: several agreements' in one call, and those awaiting sign-off."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from ..factories import agreement
from .records import Callers, insert, log, session_body, sign

BATCH = "/v1/supervision/agreement-sessions"


async def test_several_agreements_sessions_in_one_read_each_caller_its_own(
    app: FastAPI, client: httpx.AsyncClient, who: Callers
) -> None:
    alices, bobs = agreement(), agreement(peer_applicant_id="bob", supervisor_id="dr-kim")
    await insert(app, alices, bobs)
    first = await sign(client, who.sam, await log(client, who.alice, session_body(alices.id)))
    later = session_body(alices.id, start_time="13:00", stop_time="14:00")
    second = await log(client, who.alice, later)
    bobs_session = await log(client, who.bob, session_body(bobs.id))
    both = {"agreement_id": [str(alices.id), str(bobs.id)]}

    async def ids(headers: dict[str, str], **params: Any) -> list[str]:
        response = await client.get(BATCH, params=params or both, headers=headers)
        assert response.status_code == 200, response.text
        return [s["id"] for s in response.json()["items"]]

    assert await ids(who.staff) == [first["id"], bobs_session["id"], second["id"]]
    assert await ids(who.alice) == [first["id"], second["id"]]
    assert await ids(who.kim) == [bobs_session["id"]]
    assert await ids(who.bob) == [bobs_session["id"]]
    too_many = await client.get(
        BATCH, params={"agreement_id": [str(alices.id)] * 101}, headers=who.staff
    )
    assert (too_many.status_code, too_many.json()["error"]["field"]) == (422, "agreement_id")

    # What the supervisor still has to sign.
    waiting = await client.get(
        "/v1/supervision/sessions", params={"awaiting_sign_off": "true"}, headers=who.sam
    )
    assert [s["id"] for s in waiting.json()["items"]] == [second["id"]]
