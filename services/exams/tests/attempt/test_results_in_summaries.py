"""Each authorization's result in the summaries the status view reads: one query, no key."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from certboard_core.testing.plugin import Minter, bearer
from certboard_core.testing.sql import statements
from exams.authorization.models import ExamAuthorization

from .conftest import Record
from .factories import Rows, full_form, responses

FORM = full_form()
KEY_TEXT = "".join(key for _, key in FORM)


async def summaries(
    client: httpx.AsyncClient, token: str, authorizations: list[ExamAuthorization]
) -> httpx.Response:
    query = "&".join(f"application_id={a.application_id}" for a in authorizations)
    return await client.get(f"/v1/exam-summaries?{query}", headers=bearer(token))


async def sat(rows: Rows, record: Record, applicant: str, correct: int) -> ExamAuthorization:
    """An authorization of ``applicant`` with an attempt of ``correct`` right answers."""
    form = await rows.form(FORM)
    authorization = await rows.authorization(applicant, form_id=form.id)
    answer = await record(authorization, responses=responses(FORM, set(range(1, correct + 1))))
    assert answer.status_code == 201, answer.text
    return authorization


async def test_the_candidate_and_staff_read_the_result_never_the_key(
    client: httpx.AsyncClient, rows: Rows, record: Record, mint: Minter
) -> None:
    # 95 right: items 1-30 (ethics) and 31-70 (recovery) all, advocacy 71-90 all, 5 of 30
    # communication; 95/120 is 79.1666…, shown rounded down.
    authorization = await sat(rows, record, "alice", 95)
    untaken = await rows.authorization("alice")
    for token in (mint("applicant", "alice"), mint("staff", "sam")):
        answer = await summaries(client, token, [authorization, untaken])
        assert answer.status_code == 200, answer.text
        assert KEY_TEXT not in answer.text
        items = {i["application_id"]: i for i in answer.json()["items"]}
        (taken,) = items[str(authorization.application_id)]["authorizations"]
        result: dict[str, Any] = taken["result"]
        assert (result["correct"], result["total"], result["percent"], result["passed"]) == (
            95,
            120,
            "79.16",
            False,
        )
        assert [(d["domain"], d["percent"]) for d in result["domains"]] == [
            ("ethics", "100.00"),
            ("recovery", "100.00"),
            ("advocacy", "100.00"),
            ("communication", "16.66"),
        ]
        assert result["taken_on"] == "2026-03-10"
        assert result["recorded_at"]
        assert "responses" not in result
        (waiting,) = items[str(untaken.application_id)]["authorizations"]
        assert waiting["result"] is None
    one = await client.get(
        f"/v1/exam-authorizations/{authorization.id}", headers=bearer(mint("applicant", "alice"))
    )
    assert one.json()["result"]["percent"] == "79.16"
    bob = await summaries(client, mint("applicant", "bob"), [authorization])
    assert bob.json()["items"] == []


async def test_many_summaries_cost_the_statements_of_one(
    app: FastAPI, client: httpx.AsyncClient, rows: Rows, record: Record, mint: Minter
) -> None:
    taken = [await sat(rows, record, "alice", n) for n in (96, 60, 120, 10)]
    token = mint("applicant", "alice")
    with statements(app) as one:
        assert (await summaries(client, token, taken[:1])).status_code == 200
    with statements(app) as four:
        answer = await summaries(client, token, taken)
    assert len(four) == len(one)
    passed = [i["authorizations"][0]["result"]["passed"] for i in answer.json()["items"]]
    assert sorted(passed) == [False, False, True, True]
