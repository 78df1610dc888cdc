"""The staff console over the in-process system: the dashboard of queues, a work queue with
its clocks, the application page and its decisions (done, refused, stale)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from certboard_core.testing.plugin import Minter
from tests.e2e.conftest import System
from tests.e2e.helpers import (
    SUBMIT_FOR_APPROVAL,
    advance_clock,
    application_input,
    data_of,
    set_clock,
    uploads,
)
from web.pages.staff.decisions import cents, paid_at

from .conftest import Console, console_app
from .test_pages import text_of

START = "mutation S($id: ID!, $v: Int!) { startReview(id: $id, expectedVersion: $v) { version } }"
STATUS = "query A($id: ID!) { application(id: $id) { status version missing } }"


async def submitted(system: System, mint: Minter, who: str = "alice") -> dict[str, Any]:
    """``who``'s application, submitted through the gateway: ``{"id", "version"}``."""
    form = {"input": application_input(email=f"{who}@example.org", lastName=who.capitalize())}
    found: dict[str, Any] = (
        await data_of(
            system, SUBMIT_FOR_APPROVAL, form, token=mint("applicant", who), files=uploads()
        )
    )["submitApplication"]
    return found


async def two_late(console: Console, mint: Minter) -> list[dict[str, Any]]:
    """Alice's and Bob's applications submitted on 10 March 2026, read 40 days later: both
    past the first notice's due day (9 April)."""
    staff = mint("staff", "sam")
    await set_clock(console.system, staff, "2026-03-10T17:00:00+00:00")
    made = [await submitted(console.system, mint, who) for who in ("alice", "bob")]
    await advance_clock(console.system, staff, days=40)
    return made


def version_on(page: str) -> str:
    found = re.search(r'name="expectedVersion" value="(\d+)"', page)
    assert found, page
    return found.group(1)


async def test_the_dashboard_shows_every_queue_from_one_gateway_request(
    console: Console, mint: Minter
) -> None:
    await two_late(console, mint)
    await console.sign_in("staff", "sam")
    gateway = console.app.state.gateway
    sent: list[str] = []
    query = gateway.query

    async def counted(document: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(document)
        return await query(document, *args, **kwargs)

    gateway.query = counted
    page = await console.client.get("/staff")
    assert page.status_code == 200
    assert len(sent) == 1
    assert "me {" in sent[0]
    assert "queues {" in sent[0]
    words = text_of(page.text)
    assert (
        "Queue Waiting Past due (breaches) Earliest due "
        "First notice to send 2 counted under “First notice late” 9 April 2026 "
        "First notice late 2 Breach: 2 past their due day 9 April 2026 "
        "Waiting on the applicant 0 the applicant's clock, not staff's nothing due "
        "Approvals expiring soon 0 the applicant's clock, not staff's nothing due "
        "Training certificates to review 0 none past due nothing due "
    ) in words
    for queue in (
        "Certificates matching no application 0",
        "CE audits open 0",
        "Self-reported CE to verify 0",
        "Certifications ending this month 0",
        "Exam result notices to send 0",
        "Accommodation requests 0",
        "Exams to schedule 0",
        "Supervision shortfalls 0",
    ):
        assert queue in words
    # A breach in colour (the class) and in words, never colour alone.
    assert '<span class="breach">Breach: 2 past their due day</span>' in page.text
    assert 'href="/staff/applications?queue=breaches"' in page.text
    spanish = await console.client.get("/staff", headers={"Accept-Language": "es"})
    assert "Incumplimiento: 2 pasaron su fecha límite" in text_of(spanish.text)


async def test_a_service_down_blanks_only_its_queues(console: Console, mint: Minter) -> None:
    await console.sign_in("staff", "sam")
    console.system.down.add("exams")
    words = text_of((await console.client.get("/staff")).text)
    unavailable = "Cannot be read just now: that part of the system is not answering."
    assert f"Exams to schedule {unavailable}" in words
    assert "First notice to send 0" in words


async def test_other_roles_get_a_403_page_and_nobody_is_sent_to_sign_in(
    console: Console, mint: Minter
) -> None:
    application = await submitted(console.system, mint)
    paths = ["/staff", "/staff/applications", f"/staff/applications/{application['id']}"]
    for path in paths:
        gone = await console.client.get(path)
        assert (gone.status_code, gone.headers["location"]) == (303, "/signin")
    await console.sign_in("applicant", "alice")
    for path in paths:
        refused = await console.client.get(path)
        assert refused.status_code == 403
        assert "This page is for board staff. You are signed in as applicant." in text_of(
            refused.text
        )
    token = await console.csrf("/me")
    posted = await console.client.post(
        f"/staff/applications/{application['id']}/start-review",
        data={"expectedVersion": application["version"], "csrf_token": token},
    )
    assert posted.status_code == 403
    read = await data_of(
        console.system, STATUS, {"id": application["id"]}, token=mint("staff", "sam")
    )
    assert read["application"]["status"] == "SUBMITTED"


async def test_a_work_queue_pages_with_each_rows_clock(
    console: Console, mint: Minter, dev_data_dir: Path
) -> None:
    made = await two_late(console, mint)
    app = console_app(console.system, dev_data_dir, page_size=1)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web") as web,
    ):
        token = re.search(r'name="csrf_token" value="([^"]+)"', (await web.get("/signin")).text)
        assert token
        await web.post(
            "/signin", data={"role": "staff", "subject": "sam", "csrf_token": token.group(1)}
        )
        first = await web.get("/staff/applications", params={"queue": "breaches"})
        assert first.status_code == 200
        words = text_of(first.text)
        assert "Today: 19 April 2026" in words
        assert (
            "Applicant Status Submitted Due Clock "
            "Alice, Maria Submitted 10 March 2026 9 April 2026 "
            "Breach: the due day passed 10 days ago"
        ) in words
        assert f'href="/staff/applications/{made[0]["id"]}"' in first.text
        assert 'class="breach-row"' in first.text
        more = re.search(
            r'<a href="(/staff/applications\?queue=breaches[^"]+)">Next page', first.text
        )
        assert more, first.text
        second = await web.get(more.group(1).replace("&amp;", "&"))
        assert "Bob, Maria Submitted 10 March 2026 9 April 2026" in text_of(second.text)
        assert "Next page" not in second.text
    await console.sign_in("staff", "sam")
    empty = await console.client.get("/staff/applications", params={"queue": "incomplete"})
    assert "Nothing waits in this queue." in text_of(empty.text)
    unknown = await console.client.get("/staff/applications", params={"queue": "nope"})
    assert unknown.status_code == 404


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
    assert "Government-issued photo ID 1 id.jpg (image/jpeg, 84 bytes) 10 March 2026" in words
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


async def test_staff_find_their_queues_from_every_page(console: Console) -> None:
    await console.sign_in("staff", "sam")
    home = await console.client.get("/")
    assert home.text.count('href="/staff"') == 2
    assert 'href="/me"' not in home.text


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


async def test_every_staff_page_has_its_words_in_spanish(console: Console, mint: Minter) -> None:
    application = await submitted(console.system, mint)
    await console.sign_in("staff", "sam")
    path = f"/staff/applications/{application['id']}"
    spanish = {"Accept-Language": "es"}
    pages = [
        await console.client.get(p, headers=spanish)
        for p in ("/staff", "/staff/applications?queue=first-notification", path)
    ]
    stale = await console.client.post(
        f"{path}/deny",
        data={"expectedVersion": "7", "reason": "Motivo.", "csrf_token": await console.csrf(path)},
        headers=spanish,
    )
    for page in [*pages, stale]:
        words = text_of(page.text)
        # A key with no words would be shown as the key itself.
        assert not re.findall(r"\b(?:staff|decision|decided|queue|code)\.[a-z_-]+", words), words
    assert "Solicitar una revisión" in text_of(pages[2].text)
    assert "No se hizo: alguien cambió esta solicitud" in text_of(stale.text)
