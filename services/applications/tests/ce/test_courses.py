"""Approved CE courses: staff approve and withdraw them; a provider reads only its own."""

from __future__ import annotations

from sqlmodel import select

from certboard_core.audit import AuditRecord
from certboard_core.testing.plugin import bearer

from .conftest import make_ce_provider


async def test_staff_approve_courses_and_the_provider_reads_them(client, app, mint) -> None:
    provider = await make_ce_provider(client, mint, "Ethics Institute")
    path = f"/v1/providers/{provider.id}/ce-courses"
    listed = (await client.get(path, headers=bearer(provider.token))).json()
    assert [(c["name"], c["hours"], c["category"], c["active"]) for c in listed] == [
        ("Ethics 6", "6.00", "law_and_ethics", True),
        ("Wellness 1.5", "1.50", "general", True),
    ]
    async with app.state.sessions() as session:
        audits = (
            await session.exec(select(AuditRecord).where(AuditRecord.action == "ce_course.created"))
        ).all()
    assert sorted(a.after["hours"] for a in audits if a.after) == [150, 600]


async def test_a_course_name_is_taken_once_per_provider(client, mint) -> None:
    provider = await make_ce_provider(client, mint, "Ethics Institute")
    again = await client.post(
        f"/v1/providers/{provider.id}/ce-courses",
        json={"name": "Ethics 6", "hours": "3", "category": "general"},
        headers=bearer(mint("staff", "sam")),
    )
    assert again.status_code == 409
    assert again.json()["error"]["field"] == "name"


async def test_course_hours_are_exact(client, mint) -> None:
    provider = await make_ce_provider(client, mint, "Ethics Institute")
    answer = await client.post(
        f"/v1/providers/{provider.id}/ce-courses",
        json={"name": "Odd", "hours": 1.5, "category": "general"},
        headers=bearer(mint("staff", "sam")),
    )
    # A JSON number could be a binary float: hours travel as text.
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "hours"


async def test_another_provider_sees_nothing_and_withdrawal_is_versioned(client, mint) -> None:
    provider = await make_ce_provider(client, mint, "Ethics Institute")
    other = await make_ce_provider(client, mint, "Other Academy")
    path = f"/v1/providers/{provider.id}/ce-courses"
    hidden = await client.get(path, headers=bearer(other.token))
    assert (hidden.status_code, hidden.json()["error"]["code"]) == (404, "NOT_FOUND")

    staff = bearer(mint("staff", "sam"))
    course = provider.courses["Ethics 6"]
    withdrawn = await client.patch(
        f"{path}/{course}", json={"expected_version": 1, "active": False}, headers=staff
    )
    assert (withdrawn.json()["active"], withdrawn.json()["version"]) == (False, 2)
    stale = await client.patch(
        f"{path}/{course}", json={"expected_version": 1, "active": True}, headers=staff
    )
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "VERSION_CONFLICT")
    theirs = await client.patch(
        f"/v1/providers/{other.id}/ce-courses/{course}",
        json={"expected_version": 2, "active": True},
        headers=staff,
    )
    assert (theirs.status_code, theirs.json()["error"]["field"]) == (404, "course_id")
