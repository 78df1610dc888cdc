"""The staff console's application page: every decision done, refused with its field, or
stale and shown as a conflict with the current state; never overwriting."""

from __future__ import annotations

from certboard_core.testing.plugin import Minter
from tests.e2e.helpers import (
    data_of,
    set_clock,
)
from web.pages.staff.decisions import cents, paid_at

from .conftest import Console
from .test_pages import text_of
from .test_staff import START, STATUS, submitted, version_on


async def test_staff_review_and_request_a_revision_the_applicant_then_reads(
    console: Console, mint: Minter
) -> None:
    staff = mint("staff", "sam")
    await set_clock(console.system, staff, "2026-03-10T17:00:00+00:00")
    application = await submitted(console.system, mint)
    await console.sign_in("staff", "sam")
    path = f"/staff/applications/{application['id']}"
    page = await console.client.get(path)
    words = text_of(page.text)
    assert "Application: Alice, Maria Status: Submitted · version 1" in words
    assert "Date of birth 17 May 1990 Email alice@example.org Applicant id alice" in words
    assert (
        "Government-issued photo ID 1 id.jpg (image/jpeg, 84 bytes) Show it here 10 March 2026"
    ) in words
    assert "9 April 2026 The board's first notice is due 30 days left" in words
    token = await console.csrf(path)
    started = await console.client.post(
        f"{path}/start-review", data={"expectedVersion": version_on(page.text), "csrf_token": token}
    )
    assert (started.status_code, started.headers["location"]) == (303, f"{path}?done=start-review")
    page = await console.client.get(started.headers["location"])
    assert "Done: the review has started." in text_of(page.text)
    assert "Status: Under review · version 2" in text_of(page.text)
    asked = await console.client.post(
        f"{path}/request-revision",
        data={
            "expectedVersion": version_on(page.text),
            "items": ["GOVERNMENT_ID", "NAME_MISMATCH"],
            "note": "The photo is too dark to read.",
            "csrf_token": token,
        },
    )
    assert asked.status_code == 303
    page = await console.client.get(asked.headers["location"])
    words = text_of(page.text)
    assert "Done: the revision was requested and the applicant told." in words
    assert (
        "10 March 2026 : A government-issued photo ID, Your name as on your documents. "
        "Note to the applicant: The photo is too dark to read. (open)"
    ) in words
    await console.sign_in("applicant", "alice")
    mine = text_of((await console.client.get("/me")).text)
    assert "What is missing A government-issued photo ID Your name as on your documents" in mine


async def test_a_stale_version_shows_the_conflict_and_the_current_state(
    console: Console, mint: Minter
) -> None:
    application = await submitted(console.system, mint)
    await console.sign_in("staff", "sam")
    path = f"/staff/applications/{application['id']}"
    page = await console.client.get(path)
    # Someone else takes it up meanwhile.
    taken = {"id": application["id"], "v": application["version"]}
    await data_of(console.system, START, taken, token=mint("staff", "sue"))
    stale = await console.client.post(
        f"{path}/request-revision",
        data={
            "expectedVersion": version_on(page.text),
            "items": ["DIPLOMA"],
            "note": "Please send the diploma again.",
            "csrf_token": await console.csrf(path),
        },
    )
    assert stale.status_code == 409
    words = text_of(stale.text)
    assert (
        "Not done: someone changed this application after you opened it (you read version 1; "
        "it is now version 2). Nothing was changed."
    ) in words
    assert "Status: Under review · version 2" in words
    # What was typed is kept; the form now carries the current version.
    assert "Please send the diploma again.</textarea>" in stale.text
    assert version_on(stale.text) == "2"
    read = await data_of(
        console.system, STATUS, {"id": application["id"]}, token=mint("staff", "sam")
    )
    assert read["application"] == {"status": "UNDER_REVIEW", "version": 2, "missing": []}


async def test_a_refusal_names_the_field_and_keeps_what_was_typed(
    console: Console, mint: Minter
) -> None:
    application = await submitted(console.system, mint)
    await console.sign_in("staff", "sam")
    path = f"/staff/applications/{application['id']}"
    token = await console.csrf(path)
    denied = await console.client.post(
        f"{path}/deny", data={"expectedVersion": "1", "reason": "no", "csrf_token": token}
    )
    assert denied.status_code == 422
    words = text_of(denied.text)
    assert "Not done: Deny was refused. Field reason : This value is not accepted" in words
    assert 'name="reason" maxlength="2000" rows="2" required aria-invalid="true"' in denied.text
    assert ">no</textarea>" in denied.text
    approved = await console.client.post(
        f"{path}/approve", data={"expectedVersion": "1", "csrf_token": token}
    )
    assert approved.status_code == 422
    assert (
        "Field application_fee : Not yet: a requirement is unmet: cannot approve yet: the "
        "application fee has not been recorded"
    ) in text_of(approved.text)
    payment = {
        "kind": "APPLICATION",
        "amount": "25.50",
        "reference": "R-1",
        "paidAt": "2026-03-10T10:00",
        "timeZone": "America/Los_Angeles",
        "csrf_token": token,
    }
    bad = await console.client.post(f"{path}/record-payment", data={**payment, "amount": "x"})
    assert bad.status_code == 422
    assert 'id="payment-amount" name="amount"' in bad.text
    assert "Field amount : This value is not accepted" in text_of(bad.text)
    paid = await console.client.post(f"{path}/record-payment", data=payment)
    assert paid.status_code == 303
    again = await console.client.post(f"{path}/record-payment", data=payment)
    assert again.status_code == 422
    assert (
        "Field reference : This payment is already recorded: a payment with reference 'R-1' "
        "is already recorded"
    ) in text_of(again.text)
    assert 'value="R-1" aria-invalid="true"' in again.text
    page = text_of((await console.client.get(path)).text)
    assert "Application fee: 25.50 USD, Reference R-1, 10 March 2026" in page
    read = await data_of(
        console.system, STATUS, {"id": application["id"]}, token=mint("staff", "sam")
    )
    assert read["application"]["status"] == "SUBMITTED"


async def test_an_unknown_application_is_a_404_page(console: Console) -> None:
    await console.sign_in("staff", "sam")
    gone = await console.client.get("/staff/applications/01a2322c-e945-7dba-80f6-51a755224bff")
    assert gone.status_code == 404
    assert "This page does not exist." in text_of(gone.text)


async def test_a_decision_without_the_sessions_token_is_refused(
    console: Console, mint: Minter
) -> None:
    application = await submitted(console.system, mint)
    await console.sign_in("staff", "sam")
    forged = await console.client.post(
        f"/staff/applications/{application['id']}/start-review",
        data={"expectedVersion": "1", "csrf_token": "forged"},
    )
    assert forged.status_code == 403
    assert "This form has expired or did not come from this site." in text_of(forged.text)
    read = await data_of(
        console.system, STATUS, {"id": application["id"]}, token=mint("staff", "sam")
    )
    assert read["application"]["status"] == "SUBMITTED"


async def test_a_revision_after_the_hold_voids_only_once_confirmed(
    console: Console, mint: Minter
) -> None:
    staff = mint("staff", "sam")
    await set_clock(console.system, staff, "2026-01-15T18:00:00+00:00")
    application = await submitted(console.system, mint)
    await set_clock(console.system, staff, "2026-04-20T18:00:00+00:00")
    await console.sign_in("staff", "sam")
    path = f"/staff/applications/{application['id']}"
    asked = {
        "expectedVersion": "1",
        "items": ["DIPLOMA"],
        "csrf_token": await console.csrf(path),
    }
    warned = await console.client.post(f"{path}/request-revision", data=asked)
    assert warned.status_code == 422
    words = text_of(warned.text)
    assert "Field confirm_void : This would void the application: the 90-day hold" in words
    assert "Yes: void the application and forfeit its fees" in words
    assert 'name="confirmVoid"' in warned.text
    assert 'value="DIPLOMA" checked' in warned.text
    voided = await console.client.post(
        f"{path}/request-revision", data={**asked, "confirmVoid": "true"}
    )
    assert voided.status_code == 303
    assert "Status: Void" in text_of((await console.client.get(path)).text)
    # Nobody is offered to void an application before the gateway has said it would.
    assert 'name="confirmVoid"' not in (await console.client.get(path)).text


def test_an_amount_in_dollars_becomes_cents_or_is_refused() -> None:
    assert [cents(a) for a in ("25", "25.5", "25.50", "1,250.00", "0")] == [
        2500,
        2550,
        2550,
        125000,
        0,
    ]
    for bad in ("x", "-1", "25.505", "1e400", "NaN", "Infinity", "21474837", ""):
        assert cents(bad) is None, bad
    assert paid_at("2026-03-10T10:00", "America/Los_Angeles") == "2026-03-10T10:00:00-07:00"
    assert paid_at("2026-03-10T10:00", "../etc/passwd") is None
    assert paid_at("yesterday", "UTC") is None
