"""Retake limits through the API: three then refusal (CA), one then new training (MT); both
summaries count as the request is decided."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from certboard_core.clock import TestClock
from certboard_core.testing.plugin import Minter, bearer
from exams.config import Settings
from exams.main import create_app

from .fakes import TODAY, FakeApplications
from .helpers import record_attempt, request_exam


async def left(
    client: httpx.AsyncClient, token: str, application_id: str, *, none_yet: bool = False
) -> set[int]:
    """Attempts left as the single summary and the batch summaries (lists) state them."""
    one = await client.get(f"/v1/applications/{application_id}/exam-summary", headers=bearer(token))
    batch = await client.get(
        f"/v1/exam-summaries?application_id={application_id}", headers=bearer(token)
    )
    assert one.status_code == batch.status_code == 200, (one.text, batch.text)
    if none_yet:
        assert batch.json()["items"] == []
        return {one.json()["attempts_left"], batch.json()["attempts_limit"]}
    (item,) = batch.json()["items"]
    return {one.json()["attempts_left"], item["attempts_left"]}


def fees(*kinds: str) -> list[dict[str, Any]]:
    return [
        {"reference": f"{kind.upper()}-{i}", "kind": kind, "paid_on": TODAY.isoformat()}
        for i, kind in enumerate(kinds)
    ]


async def test_three_attempts_then_refusal_naming_used_and_limit(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, app: FastAPI
) -> None:
    standing = applications.add("ann", exam_fees=fees("exam", "retake", "retake", "retake"))
    token = mint("applicant", "ann")
    kinds, lefts = [], []
    # None yet: the batch leaves the application out, its limit is what is left.
    assert await left(client, token, standing["application_id"], none_yet=True) == {3}
    for _ in range(3):
        granted = await request_exam(client, token, standing["application_id"])
        kinds.append(granted["kind"])
        lefts.append(await left(client, token, standing["application_id"]))
        await record_attempt(app, granted["id"], passed=False, on=TODAY)
    lefts.append(await left(client, token, standing["application_id"]))
    assert kinds == ["first", "retake", "retake"]
    # Both summaries count an open authorization as used, as a request is decided.
    assert lefts == [{2}, {1}, {0}, {0}]
    # Training does not change a count under CA: applications is asked only to grant.
    assert not [c for c in applications.calls if c.url.path.endswith("exam-standings")]
    body = await request_exam(client, token, standing["application_id"], expect=409)
    (reason,) = body["error"]["reasons"]
    assert reason["code"] == "ATTEMPTS_EXHAUSTED"
    assert "3 of 3" in reason["message"]
    summary = (
        await client.get(
            f"/v1/applications/{standing['application_id']}/exam-summary", headers=bearer(token)
        )
    ).json()
    assert (summary["attempts_used"], summary["attempts_left"], summary["attempts_limit"]) == (
        3,
        0,
        3,
    )
    assert [a["status"] for a in summary["authorizations"]] == ["attempted"] * 3


async def test_attempts_of_an_earlier_application_do_not_count(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, app: FastAPI
) -> None:
    token = mint("applicant", "ann")
    earlier = applications.add("ann", exam_fees=fees("exam", "retake", "retake"))
    for _ in range(3):
        granted = await request_exam(client, token, earlier["application_id"])
        await record_attempt(app, granted["id"], passed=False, on=TODAY)
    earlier["status"] = "expired"  # void or expired: a new application starts afresh
    later = applications.add("ann")
    granted = await request_exam(client, token, later["application_id"])
    assert granted["kind"] == "first"


async def test_a_passed_exam_is_not_requested_again(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, app: FastAPI
) -> None:
    standing = applications.add("ann", exam_fees=fees("exam", "retake"))
    token = mint("applicant", "ann")
    granted = await request_exam(client, token, standing["application_id"])
    await record_attempt(app, granted["id"], passed=True, on=TODAY)
    body = await request_exam(client, token, standing["application_id"], expect=409)
    assert [r["code"] for r in body["error"]["reasons"]] == ["EXAM_ALREADY_PASSED"]


@pytest.fixture
async def montana(
    exam_settings: Settings, clock: TestClock, applications: FakeApplications
) -> AsyncIterator[httpx.AsyncClient]:
    settings = exam_settings.model_copy(update={"policy_preset": "MT"})
    application = create_app(
        settings,
        clock=clock,
        http_transport=httpx.MockTransport(applications),
        run_background=False,
    )
    async with (
        LifespanManager(application),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://service"
        ) as http,
    ):
        http.app = application  # type: ignore[attr-defined]
        yield http


async def test_montana_one_attempt_then_refused_until_newer_training(
    montana: httpx.AsyncClient, applications: FakeApplications, mint: Minter
) -> None:
    app: FastAPI = montana.app  # type: ignore[attr-defined]
    standing = applications.add("ann", exam_fees=fees("exam", "retake"))
    token = mint("applicant", "ann")
    application_id = standing["application_id"]
    granted = await request_exam(montana, token, application_id)
    await record_attempt(app, granted["id"], passed=False, on=TODAY)
    body = await request_exam(montana, token, application_id, expect=409)
    codes = [r["code"] for r in body["error"]["reasons"]]
    assert codes == ["ATTEMPTS_EXHAUSTED", "NEW_TRAINING_REQUIRED"]
    assert "1 of 1" in body["error"]["reasons"][0]["message"]
    assert await left(montana, token, application_id) == {0}
    # Training completed the day of the failure is not later; the next day's is.
    certificate = {"id": "8f0c3f0e-1d8e-4b8e-9a53-3c2f7e1c0a01", "valid_through": "2028-03-10"}
    standing["training_certificates"].append({**certificate, "completed_on": TODAY.isoformat()})
    body = await request_exam(montana, token, application_id, expect=409)
    assert "NEW_TRAINING_REQUIRED" in [r["code"] for r in body["error"]["reasons"]]
    assert await left(montana, token, application_id) == {0}
    standing["training_certificates"][-1]["completed_on"] = (TODAY + timedelta(days=1)).isoformat()
    assert await left(montana, token, application_id) == {1}
    retake = await request_exam(montana, token, application_id)
    assert (retake["kind"], retake["fee_reference"]) == ("retake", "RETAKE-1")
    assert await left(montana, token, application_id) == {0}
    # A count that needs applications' word is not guessed without it.
    applications.down = True
    down = await montana.get(
        f"/v1/exam-summaries?application_id={application_id}", headers=bearer(token)
    )
    assert (down.status_code, down.json()["error"]["code"]) == (503, "UPSTREAM_UNAVAILABLE")
