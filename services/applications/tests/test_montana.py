"""The MT preset: extra attestations, a checked background, a signed supervision agreement."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager

from applications.config import Settings
from applications.main import create_app
from certboard_core.testing.plugin import bearer

from .factories import act, application_form, documents, pay, submit

MT_FORM = {"recovery_two_years_attested": "true", "diagnosis_treatment_attested": "true"}


class Supervision:
    """Stands in for the supervision service's internal query."""

    def __init__(self) -> None:
        self.active = False
        self.up = True
        self.asked: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.asked.append(request)
        if not self.up:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(
            200,
            json={
                "applicant_id": request.url.params["applicant_id"],
                "on": request.url.params["on"],
                "active": self.active,
                "agreement_id": None,
            },
        )


@pytest.fixture
def supervision() -> Supervision:
    return Supervision()


@pytest.fixture
async def mt_client(settings: Settings, clock, supervision) -> AsyncIterator[httpx.AsyncClient]:
    mt = settings.model_copy(
        update={"policy_preset": "MT", "supervision_url": "http://supervision"}
    )
    app = create_app(
        mt, clock=clock, http_transport=httpx.MockTransport(supervision), run_background=False
    )
    async with (
        LifespanManager(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://applications"
        ) as client,
    ):
        yield client


@pytest.mark.parametrize("field", ["recovery_two_years_attested", "diagnosis_treatment_attested"])
async def test_mt_attestations_are_required(mt_client, mint, field: str) -> None:
    response = await mt_client.post(
        "/v1/applications",
        data=application_form(**{**MT_FORM, field: "false"}),
        files=documents(),
        headers=bearer(mint("applicant", "alice")),
    )
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "ATTESTATION_REQUIRED",
        "message": response.json()["error"]["message"],
        "field": field,
        "request_id": response.headers["X-Request-ID"],
    }


async def test_mt_approval_needs_background_check_and_agreement(
    mt_client, mint, supervision
) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    application = await submit(mt_client, alice, **MT_FORM)
    await pay(mt_client, application, staff)

    refused = await act(mt_client, application, "approve", staff)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "APPROVAL_REQUIREMENT_UNMET"
    assert error["field"] == "background_check"
    assert "supervision agreement" in error["message"]
    assert supervision.asked[0].url.path == "/internal/agreements/active"
    assert supervision.asked[0].headers["Authorization"].startswith("Bearer ")

    checked = await act(
        mt_client,
        application,
        "background-check",
        staff,
        result="passed",
        note="FBI and DOJ results clear",
    )
    assert checked.json()["background_check"] == "passed"
    still = await act(mt_client, checked.json(), "approve", staff)
    assert still.json()["error"]["field"] == "supervision_agreement"

    supervision.up = False
    down = await act(mt_client, checked.json(), "approve", staff)
    assert down.status_code == 503
    assert down.json()["error"]["code"] == "UPSTREAM_UNAVAILABLE"

    supervision.up, supervision.active = True, True
    approved = await act(mt_client, checked.json(), "approve", staff)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"


async def test_ca_never_asks_supervision(client, mint) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    application = await submit(client, alice)
    await pay(client, application, staff)
    # CA's policy switches the agreement rule off; no supervision service is wired here.
    assert (await act(client, application, "approve", staff)).status_code == 200


async def test_policy_is_public(client) -> None:
    body = (await client.get("/v1/policy")).json()
    assert body["board"] == "CA"
    assert body["incomplete_hold_days"] == 90
    assert body["requires_supervision_agreement"] is False


class SlowSupervision:
    """Answers only when the test lets it, so a request can be held inside the call."""

    def __init__(self, *, active: bool) -> None:
        self.active = active
        self.asked = asyncio.Event()
        self.answer = asyncio.Event()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.asked.set()
        await self.answer.wait()
        return httpx.Response(200, json={"active": self.active, "agreement_id": None})


@pytest.mark.parametrize("active", [True, False])
async def test_other_writes_proceed_while_supervision_is_slow(
    settings: Settings, clock, mint, active: bool
) -> None:
    slow = SlowSupervision(active=active)
    mt = settings.model_copy(
        update={"policy_preset": "MT", "supervision_url": "http://supervision"}
    )
    app = create_app(
        mt, clock=clock, http_transport=httpx.MockTransport(slow), run_background=False
    )
    staff, alice, bob = mint("staff", "sam"), mint("applicant", "alice"), mint("applicant", "bob")
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://a") as client,
    ):
        application = await submit(client, alice, **MT_FORM)
        await pay(client, application, staff)
        checked = await act(client, application, "background-check", staff, result="passed")
        approval = asyncio.create_task(act(client, checked.json(), "approve", staff))
        try:
            await asyncio.wait_for(slow.asked.wait(), timeout=5)
            # On SQLite a write transaction holds the database's write lock: had the approval
            # begun its own before asking, this submission would wait for it (and time out).
            other = await asyncio.wait_for(submit(client, bob, **MT_FORM), timeout=5)
        finally:
            slow.answer.set()
            approved = await approval
        assert other["status"] == "submitted"
        if active:
            assert approved.status_code == 200, approved.text
            assert approved.json()["status"] == "approved"
        else:
            assert approved.status_code == 409
            assert approved.json()["error"]["field"] == "supervision_agreement"
            view = await client.get(f"/v1/applications/{application['id']}", headers=bearer(staff))
            assert view.json()["status"] == "submitted"
