"""A person has at most one open application (domain.md §Application 1), as of today."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import func, select

from applications.application.models import Application
from certboard_core.testing.plugin import bearer

from ..factories import act, application_form, documents, pay, submit


@pytest.fixture
def staff(mint) -> str:
    return mint("staff", "sam")


@pytest.fixture
def alice(mint) -> str:
    return mint("applicant", "alice")


async def _again(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(
        "/v1/applications", data=application_form(), files=documents(), headers=bearer(token)
    )


def _refusal(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 409, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == "OPEN_APPLICATION_EXISTS"
    assert error["field"] == "application_id"
    return error


async def _count(app) -> int:
    async with app.state.sessions() as session:
        return (await session.exec(select(func.count()).select_from(Application))).one()


async def test_a_second_open_application_is_refused_naming_the_first(
    client, app, alice, staff
) -> None:
    first = await submit(client, alice)
    error = _refusal(await _again(client, alice))
    assert first["id"] in error["message"]
    assert "submitted" in error["message"]
    # Still open while staff review it and while the applicant is asked for more.
    reviewed = (await act(client, first, "review", staff)).json()
    _refusal(await _again(client, alice))
    await act(client, reviewed, "revision-requests", staff, items=["diploma"])
    assert "incomplete" in _refusal(await _again(client, alice))["message"]
    assert await _count(app) == 1


async def test_an_approved_application_is_open_until_it_expires(
    client, clock, alice, staff
) -> None:
    first = await submit(client, alice)
    await pay(client, first, staff)
    approved = (await act(client, first, "approve", staff)).json()
    assert "approved" in _refusal(await _again(client, alice))["message"]
    clock.advance(timedelta(days=approved["deadlines"]["days_left_valid"]))
    _refusal(await _again(client, alice))  # its last valid day
    clock.advance(timedelta(days=1))
    # Expired by its date before any sweep wrote it: the person may apply again.
    read = await client.get(f"/v1/applications/{first['id']}", headers=bearer(alice))
    assert read.json()["status"] == "expired"
    assert (await _again(client, alice)).status_code == 201


async def test_void_by_its_deadline_frees_the_person_before_the_sweep(
    client, clock, alice, staff
) -> None:
    first = await submit(client, alice)
    await act(client, first, "revision-requests", staff, items=["diploma"])
    clock.advance(timedelta(days=90))  # 8 June 2026: the last day to complete
    _refusal(await _again(client, alice))
    clock.advance(timedelta(days=1))
    read = await client.get(f"/v1/applications/{first['id']}", headers=bearer(alice))
    assert read.json()["status"] == "void"
    second = await _again(client, alice)
    assert second.status_code == 201, second.text
    assert second.json()["id"] != first["id"]


@pytest.mark.parametrize(("action", "role"), [("withdraw", "applicant"), ("deny", "staff")])
async def test_a_closed_application_frees_the_person(
    client, alice, staff, action: str, role: str
) -> None:
    first = await submit(client, alice)
    token = alice if role == "applicant" else staff
    # Only a denial takes a reason; a withdrawal refuses fields it does not declare.
    reason = {"reason": "not eligible this year"} if action == "deny" else {}
    closed = await act(client, first, action, token, **reason)
    assert closed.status_code == 200, closed.text
    assert (await _again(client, alice)).status_code == 201
    _refusal(await _again(client, alice))


async def test_the_person_is_the_applicant_not_the_form(client, alice, mint) -> None:
    await submit(client, alice)
    # Another account with the same name, email and birth date is another applicant: refusing
    # it would tell that account that someone else's application exists.
    assert (await _again(client, mint("applicant", "bob"))).status_code == 201


async def test_two_submissions_at_once_make_one_application(client, app, alice) -> None:
    answers = await asyncio.gather(*(_again(client, alice) for _ in range(3)))
    assert sorted(a.status_code for a in answers) == [201, 409, 409]
    created = next(a for a in answers if a.status_code == 201).json()
    for refused in (a for a in answers if a.status_code == 409):
        assert created["id"] in _refusal(refused)["message"]
    assert await _count(app) == 1
