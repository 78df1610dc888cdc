"""Renewing through the API: the window, every unmet condition listed, the period extended from
the old valid-through day, late renewal and reinstatement, and who may."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlmodel import select

from applications.ce.models import CeRecord, CeRecordStatus, CeSource
from applications.certification.models import Certification
from applications.policy import build_policy
from applications.renewal.categories import CeCategory
from certboard_core.clock import TestClock
from certboard_core.outbox import OutboxEvent
from certboard_core.testing.plugin import Minter, bearer

from ..certification.conftest import approved, deliver, passed

# Passed on 4 May 2026 under CA: valid through 3 May 2028, renewal open from 3 February 2028.
CA_VALID_THROUGH = "2028-05-03"


def at_ten_in_los_angeles(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T18:00:00+00:00").astimezone(UTC)


async def certify(client: httpx.AsyncClient, mint: Minter, application: dict[str, Any]) -> None:
    """Deliver a pass for ``application`` and note its certification's id in it."""
    answer = await deliver(client, mint, "exam.passed", passed(application))
    assert answer.json()["outcome"] == "handled"
    read = await client.get(
        f"/v1/applications/{application['id']}/certification",
        headers=bearer(mint("staff", "sam")),
    )
    application["certification_id"] = read.json()["id"]


async def certified(client: httpx.AsyncClient, mint: Minter, who: str = "alice") -> dict[str, Any]:
    application = await approved(client, mint, who)
    await certify(client, mint, application)
    return application


def path(application: dict[str, Any], rest: str) -> str:
    return f"/v1/certifications/{application['certification_id']}/{rest}"


async def view(client: httpx.AsyncClient, application: dict[str, Any], token: str) -> Any:
    answer = await client.get(path(application, "renewal"), headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return answer.json()


async def renew(
    client: httpx.AsyncClient, application: dict[str, Any], token: str, **body: Any
) -> httpx.Response:
    version = (await view(client, application, token))["version"]
    payload = {"expected_version": version, "ce_attested": True, "code_of_ethics_signed": True}
    return await client.post(
        path(application, "renewals"), json=payload | body, headers=bearer(token)
    )


async def fee(
    client: httpx.AsyncClient, application: dict[str, Any], staff: str, kind: str, cents: int
) -> None:
    answer = await client.post(
        f"/v1/applications/{application['id']}/payments",
        json={
            "kind": kind,
            "amount_cents": cents,
            "reference": f"{kind}-{uuid.uuid4().hex[:8]}",
            "paid_at": "2026-03-10T17:00:00Z",
        },
        headers=bearer(staff),
    )
    assert answer.status_code == 201, answer.text


async def earned(app: FastAPI, *courses: tuple[str, int, CeCategory]) -> None:
    """Accepted CE records (the ledger's intake has its own tests), one per (day, hundredths,
    category)."""
    async with app.state.sessions() as session:
        certification = (await session.exec(select(Certification))).one()
        for day, hundredths, category in courses:
            session.add(
                CeRecord(
                    certification_id=certification.id,
                    applicant_id=certification.applicant_id,
                    source=CeSource.PROVIDER,
                    course_title="Course",
                    provider_name="Provider",
                    hours=hundredths,
                    category=category,
                    completed_on=date.fromisoformat(day),
                    received_at=datetime(2027, 1, 1, tzinfo=UTC),
                    status=CeRecordStatus.ACCEPTED,
                )
            )
        await session.commit()


def codes(answer: httpx.Response) -> tuple[int, str, list[str]]:
    error = answer.json()["error"]
    return answer.status_code, error["code"], [r["code"] for r in error.get("reasons") or []]


async def test_renewal_opens_ninety_days_before_the_valid_through_day(
    client: httpx.AsyncClient, mint: Minter, clock: TestClock
) -> None:
    alice = mint("applicant", "alice")
    application = await certified(client, mint)
    clock.set(at_ten_in_los_angeles("2028-02-02"))
    shown = await view(client, application, alice)
    assert (shown["status"], shown["may_renew"], shown["code"]) == (
        "active",
        False,
        "RENEWAL_NOT_OPEN",
    )
    assert (shown["window_opens_on"], shown["window_closes_on"]) == ("2028-02-03", CA_VALID_THROUGH)
    refused = await renew(client, application, alice)
    assert codes(refused) == (409, "RENEWAL_NOT_OPEN", [])
    assert "2028-02-03" in refused.json()["error"]["message"]
    clock.set(at_ten_in_los_angeles("2028-02-03"))
    shown = await view(client, application, alice)
    assert (shown["status"], shown["code"], shown["new_valid_through"]) == (
        "in_renewal_window",
        "RENEWAL_OPEN",
        "2030-05-03",
    )


async def test_ca_lists_every_unmet_condition_then_renews_from_the_old_expiry(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sam")
    application = await certified(client, mint)
    clock.set(at_ten_in_los_angeles("2028-04-01"))
    shown = await view(client, application, alice)
    assert shown["fees"] == [{"kind": "renewal", "amount_cents": 8000, "recorded_reference": None}]
    assert (shown["ce"]["required_hours"], shown["ce"]["still_needed_hours"]) == ("20", "20")
    [law] = shown["ce"]["categories"]
    assert (law["category"], law["required_hours"], law["still_needed_hours"]) == (
        "law_and_ethics",
        "6",
        "6",
    )
    refused = await renew(client, application, alice, ce_attested=False)
    assert codes(refused) == (
        409,
        "RENEWAL_REFUSED",
        ["CE_NOT_ATTESTED", "FEE_NOT_PAID", "CE_HOURS_MISSING"],
    )
    # Twenty hours, none of law and ethics: still six short.
    await earned(app, ("2027-01-10", 2000, CeCategory.GENERAL))
    await fee(client, application, staff, "renewal", 8000)
    refused = await renew(client, application, alice)
    assert codes(refused) == (409, "RENEWAL_REFUSED", ["CE_HOURS_MISSING"])
    assert "6 h of law and ethics" in refused.json()["error"]["message"]
    await earned(app, ("2028-03-01", 600, CeCategory.LAW_AND_ETHICS))
    renewed = await renew(client, application, alice)
    assert renewed.status_code == 201, renewed.text
    body = renewed.json()
    assert (body["kind"], body["previous_valid_through"], body["valid_through"]) == (
        "on_time",
        CA_VALID_THROUGH,
        "2030-05-03",
    )
    assert (body["fees_cents"], body["ce_earned_hundredths"], body["audit_required"]) == (
        8000,
        2600,
        False,
    )
    after = await view(client, application, alice)
    assert (after["valid_through"], after["version"], after["status"]) == (
        "2030-05-03",
        2,
        "active",
    )
    # The new period is not open for renewal: nothing owed, the fee used.
    assert (after["code"], after["fees"]) == ("RENEWAL_NOT_OPEN", [])
    assert codes(await renew(client, application, alice))[1] == "RENEWAL_NOT_OPEN"
    async with app.state.sessions() as session:
        query = select(OutboxEvent).where(OutboxEvent.type == "certification.renewed")
        [event] = (await session.exec(query)).all()
    assert event.payload["valid_through"] == "2030-05-03"
    listed = await client.get(path(application, "renewals"), headers=bearer(staff))
    assert [r["id"] for r in listed.json()] == [body["id"]]


async def test_an_expired_ca_certification_is_reinstated_with_its_fees(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sam")
    application = await certified(client, mint)
    await earned(
        app,
        ("2027-01-10", 1400, CeCategory.GENERAL),
        ("2027-02-10", 600, CeCategory.LAW_AND_ETHICS),
    )
    clock.set(at_ten_in_los_angeles("2028-05-04"))
    shown = await view(client, application, alice)
    assert (shown["status"], shown["code"]) == ("expired", "REINSTATEMENT")
    assert [f["kind"] for f in shown["fees"]] == ["renewal", "late", "reinstatement"]
    await fee(client, application, staff, "renewal", 8000)
    await fee(client, application, staff, "late", 0)
    refused = await renew(client, application, alice)
    assert codes(refused) == (409, "RENEWAL_REFUSED", ["FEE_NOT_PAID"])
    await fee(client, application, staff, "reinstatement", 8000)
    renewed = await renew(client, application, alice)
    assert renewed.status_code == 201, renewed.text
    assert (renewed.json()["kind"], renewed.json()["valid_through"]) == (
        "reinstatement",
        "2030-05-03",
    )


async def test_montana_lapsed_renews_late_and_terminated_cannot(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sam")
    application = await approved(client, mint)
    app.state.policy = build_policy("MT")
    await certify(client, mint, application)
    # Certified on 4 May 2026 under MT: through 31 December; lapsed 1 January to 14 February.
    clock.set(datetime(2027, 2, 14, 18, tzinfo=UTC))
    shown = await view(client, application, alice)
    assert (shown["status"], shown["status_until"], shown["code"]) == (
        "lapsed",
        "2027-02-14",
        "RENEWAL_LATE",
    )
    # MT: attestation, no proof; the year of issue needs no CE.
    assert shown["ce"]["proof_required"] is False
    await fee(client, application, staff, "renewal", 9300)
    await fee(client, application, staff, "late", 0)
    renewed = await renew(client, application, alice)
    assert renewed.status_code == 201, renewed.text
    assert (renewed.json()["kind"], renewed.json()["valid_through"]) == ("late", "2027-12-31")
    # Never renewed again: terminated after 31 December 2027 + 24 months.
    clock.set(datetime(2030, 1, 1, 18, tzinfo=UTC))
    shown = await view(client, application, alice)
    assert (shown["status"], shown["status_since"]) == ("terminated", "2030-01-01")
    assert codes(await renew(client, application, alice)) == (409, "CERTIFICATION_TERMINATED", [])


async def test_only_the_holder_and_staff_renew_and_a_stale_version_is_refused(
    client: httpx.AsyncClient, mint: Minter, clock: TestClock
) -> None:
    application = await certified(client, mint)
    bob = mint("applicant", "bob")
    assert (await client.get(path(application, "renewal"), headers=bearer(bob))).status_code == 404
    clock.set(at_ten_in_los_angeles("2028-04-01"))
    answer = await client.post(
        path(application, "renewals"),
        json={"expected_version": 1, "ce_attested": True, "code_of_ethics_signed": True},
        headers=bearer(bob),
    )
    assert answer.json()["error"]["code"] == "NOT_FOUND"
    stale = await client.post(
        path(application, "renewals"),
        json={"expected_version": 9, "ce_attested": True, "code_of_ethics_signed": True},
        headers=bearer(mint("staff", "sam")),
    )
    assert stale.json()["error"]["code"] == "VERSION_CONFLICT"
    provider = await client.get(path(application, "renewal"), headers=bearer(mint("provider", "p")))
    assert provider.status_code == 403


async def test_renewal_fees_are_recorded_only_on_a_certified_application(
    client: httpx.AsyncClient, mint: Minter
) -> None:
    application = await approved(client, mint)
    answer = await client.post(
        f"/v1/applications/{application['id']}/payments",
        json={
            "kind": "renewal",
            "amount_cents": 8000,
            "reference": "r-x",
            "paid_at": "2026-03-10T17:00:00Z",
        },
        headers=bearer(mint("staff", "sam")),
    )
    assert (answer.status_code, answer.json()["error"]["field"]) == (409, "status")


async def test_montana_reinstatement_is_audited_whatever_the_draw(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sam")
    application = await approved(client, mint)
    app.state.policy = build_policy("MT")
    await certify(client, mint, application)
    # Day 46 after 31 December 2026: expired; the year of issue needed no CE.
    clock.set(datetime(2027, 2, 15, 18, tzinfo=UTC))
    shown = await view(client, application, alice)
    assert (shown["status"], shown["code"], shown["mandatory_audit"]) == (
        "expired",
        "REINSTATEMENT",
        True,
    )
    assert shown["all_accrued_ce_hours_still_needed"] == "0"
    for kind, cents in (("renewal", 9300), ("late", 0), ("reinstatement", 0)):
        await fee(client, application, staff, kind, cents)
    renewed = (await renew(client, application, alice)).json()
    assert (renewed["kind"], renewed["valid_through"], renewed["audit_required"]) == (
        "reinstatement",
        "2027-12-31",
        True,
    )
    (audit,) = (await client.get("/v1/ce-audits", headers=bearer(alice))).json()["items"]
    assert (audit["renewal_id"], audit["draw_id"], audit["status"]) == (
        renewed["id"],
        None,
        "awaiting_proof",
    )
