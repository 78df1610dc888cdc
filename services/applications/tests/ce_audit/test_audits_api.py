"""CE audits through the API: drawn once renewals close, mandatory on reinstatement, proof,
findings, one cure period, referral, the queue's counts, and who may."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlmodel import select

from applications.certification.models import Certification
from applications.policy import build_policy
from applications.renewal.models import Renewal, RenewalKind
from certboard_core.clock import TestClock
from certboard_core.testing.plugin import Minter, bearer

from ..certification.conftest import approved
from ..factories import PDF
from ..renewal.test_renewal_api import certify

# Montana: every period of the year of issue ends on 31 December 2026; renewals of it may come
# late through 14 February 2027.
ENDED = "2026-12-31"
DRAWS = "/v1/ce-audits/draws"


async def renewed_under_mt(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, people: list[str]
) -> None:
    """Each person certified under MT in 2026 and renewed (renewal has its own tests)."""
    applications = [await approved(client, mint, who) for who in people]
    app.state.policy = build_policy("MT")
    for application in applications:
        await certify(client, mint, application)
    async with app.state.sessions() as session:
        for certification in (await session.exec(select(Certification))).all():
            session.add(
                Renewal(
                    certification_id=certification.id,
                    kind=RenewalKind.ON_TIME,
                    renewed_on=date(2026, 12, 1),
                    previous_valid_through=date(2026, 12, 31),
                    valid_through=date(2027, 12, 31),
                    ce_attested=True,
                    code_of_ethics_signed=True,
                    ce_earned_hundredths=0,
                    ce_still_needed_hundredths=0,
                    fees_cents=9300,
                    audit_required=False,
                    created_by="applicant",
                    created_at=datetime(2026, 12, 1, tzinfo=UTC),
                )
            )
        await session.commit()


async def draw(client: httpx.AsyncClient, staff: str, **body: Any) -> httpx.Response:
    return await client.post(
        DRAWS, json={"periods_from": ENDED, "periods_to": ENDED, **body}, headers=bearer(staff)
    )


async def proof(client: httpx.AsyncClient, audit: dict[str, Any], token: str) -> httpx.Response:
    return await client.post(
        f"/v1/ce-audits/{audit['id']}/proof",
        files={"document": ("hours.pdf", PDF, "application/pdf")},
        headers=bearer(token),
    )


async def decide(
    client: httpx.AsyncClient, audit: dict[str, Any], staff: str, outcome: str, **body: Any
) -> httpx.Response:
    return await client.post(
        f"/v1/ce-audits/{audit['id']}/decision",
        json={"expected_version": audit["version"], "outcome": outcome, **body},
        headers=bearer(staff),
    )


async def test_the_draw_waits_for_renewals_to_close_and_records_its_seed(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    staff = mint("staff", "sam")
    people = [f"peer{n}" for n in range(11)]
    await renewed_under_mt(client, app, mint, people)
    clock.set(datetime(2027, 2, 14, 19, tzinfo=UTC))  # the last lapsed day in Denver
    early = await draw(client, staff)
    assert (early.status_code, early.json()["error"]["code"]) == (409, "AUDIT_PERIOD_OPEN")
    clock.set(datetime(2027, 2, 15, 19, tzinfo=UTC))
    made = (await draw(client, staff, seed=42)).json()
    # MT's 10% of 11, rounded up.
    assert (made["seed"], made["share_percent"], made["population"], made["selected"]) == (
        42,
        10,
        11,
        2,
    )
    assert {a["status"] for a in made["audits"]} == {"awaiting_proof"}
    assert {a["proof_due_on"] for a in made["audits"]} == {"2027-03-17"}
    # A second draw over the same periods draws among the renewals not audited yet.
    again = (await draw(client, staff)).json()
    assert (again["population"], again["selected"]) == (9, 1)
    assert isinstance(again["seed"], int)
    counts = (await client.get("/v1/ce-audits/counts", headers=bearer(staff))).json()
    assert counts == {
        "awaiting_proof": 3,
        "to_review": 0,
        "in_cure": 0,
        "referred": 0,
        "overdue": 0,
        "next_due_on": "2027-03-17",
    }


async def test_proof_deficient_cure_and_referral(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    staff = mint("staff", "sam")
    await renewed_under_mt(client, app, mint, ["ann"])
    clock.set(datetime(2027, 2, 15, 19, tzinfo=UTC))
    (audit,) = (await draw(client, staff)).json()["audits"]
    ann, bob = mint("applicant", "ann"), mint("applicant", "bob")
    assert (await proof(client, audit, bob)).status_code == 404
    read = f"/v1/ce-audits/{audit['id']}/proof"
    unsent = await client.get(read, headers=bearer(ann))
    assert unsent.json()["error"]["code"] == "NOT_FOUND"
    early = await decide(client, audit, staff, "accepted")
    assert early.json()["error"]["code"] == "TRANSITION_NOT_ALLOWED"
    sent = await proof(client, audit, ann)
    assert sent.status_code == 200, sent.text
    assert (sent.json()["status"], sent.json()["due_on"]) == ("proof_submitted", "2027-02-15")
    for reader in (ann, staff):
        shown = await client.get(read, headers=bearer(reader))
        assert (shown.content, shown.headers["content-type"]) == (PDF, "application/pdf")
    assert (await client.get(read, headers=bearer(bob))).json()["error"]["code"] == "NOT_FOUND"
    no_reason = await decide(client, sent.json(), staff, "deficient")
    assert no_reason.status_code == 422
    deficient = (await decide(client, sent.json(), staff, "deficient", reason="no dates")).json()
    assert (deficient["status"], deficient["cure_due_on"]) == ("deficient", "2027-03-17")
    cured = (await proof(client, deficient, ann)).json()
    referred = (await decide(client, cured, staff, "deficient", reason="still none")).json()
    assert (referred["status"], referred["review_reason"]) == ("referred", "still none")
    mine = (await client.get("/v1/ce-audits", headers=bearer(ann))).json()["items"]
    assert [a["id"] for a in mine] == [audit["id"]]
    assert (await client.get("/v1/ce-audits", headers=bearer(bob))).json()["items"] == []


async def test_an_audit_whose_day_passed_is_referred_and_shown_overdue(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    staff = mint("staff", "sam")
    await renewed_under_mt(client, app, mint, ["ann"])
    clock.set(datetime(2027, 2, 15, 19, tzinfo=UTC))
    (audit,) = (await draw(client, staff)).json()["audits"]
    too_soon = await decide(client, audit, staff, "referred", reason="no answer")
    assert too_soon.json()["error"]["code"] == "TRANSITION_NOT_ALLOWED"
    clock.set(datetime(2027, 3, 18, 19, tzinfo=UTC))
    queue = (await client.get("/v1/ce-audits?open_only=true", headers=bearer(staff))).json()
    assert [(a["id"], a["overdue"]) for a in queue["items"]] == [(audit["id"], True)]
    referred = await decide(client, audit, staff, "referred", reason="no answer")
    assert referred.json()["status"] == "referred"
    queue = (await client.get("/v1/ce-audits?open_only=true", headers=bearer(staff))).json()
    assert queue["items"] == []


async def test_only_staff_draw_and_count(client: httpx.AsyncClient, mint: Minter) -> None:
    ann = mint("applicant", "ann")
    assert (await draw(client, ann)).status_code == 403
    assert (await client.get("/v1/ce-audits/counts", headers=bearer(ann))).status_code == 403
    backwards = await client.post(
        DRAWS,
        json={"periods_from": "2026-12-31", "periods_to": "2026-01-01"},
        headers=bearer(mint("staff", "sam")),
    )
    assert (backwards.status_code, backwards.json()["error"]["field"]) == (422, "periods_to")
