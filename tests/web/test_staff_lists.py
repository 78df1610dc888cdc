"""Staff's lists besides the applications over the in-process system: training certificates
to review and to link, exam requests and accommodations, each item with its clock and its
decisions; a stale version shows the conflict and the item as it is now, changing nothing;
every list reads in both languages from one gateway request."""

from __future__ import annotations

import re
from typing import Any

from certboard_core.testing.plugin import Minter
from tests.e2e.conftest import System
from tests.e2e.helpers import PDF, advance_clock, data_of, set_clock
from tests.e2e.journeys import certificate_row, provider_with_program, upload
from tests.e2e.test_exam_authorizations import ACCOMMODATE, SCHEDULE, exam_input, ready
from web.pages.staff.work import LISTS

from .conftest import Console
from .test_pages import text_of
from .test_staff import submitted

ACCEPT = "mutation A($id: ID!, $v: Int!) { acceptCertificate(id: $id, expectedVersion: $v) { id } }"
REQUEST = "mutation R($input: RequestExamInput!) { requestExam(input: $input) { id version } }"
LINK = """
mutation L($id: ID!, $v: Int!, $applicationId: ID!) {
  linkCertificate(id: $id, expectedVersion: $v, applicationId: $applicationId) { id }
}
"""
AUTHORIZATION = "query A($id: ID!) { examAuthorization(id: $id) { status scheduledOn site } }"


async def certificates(system: System, mint: Minter) -> dict[str, Any]:
    """On 10 March 2026 Alice's application, a certificate naming her (it joins her
    application) and one naming nobody known (unmatched); read 20 days later, past the
    14-day review day."""
    staff = mint("staff", "sam")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    application = await submitted(system, mint)
    provider, program = await provider_with_program(system, staff, "Peer Academy")
    rows = [
        certificate_row("C-1", program, "2026-02-01", email="alice@example.org"),
        certificate_row("C-2", program, "2026-02-02", legalName="Jo Nobody", email="jo@x.org"),
    ]
    await upload(system, mint("provider", "acme", provider_id=provider), provider, rows)
    await advance_clock(system, staff, days=20)
    return application


def items_of(page: str) -> list[str]:
    return re.findall(r'<li class="card[^"]*" id="item-([^"]+)"', page)


def item_named(page: str, heading: str) -> str:
    found = re.search(rf'id="item-([^"]+)"[^>]*>\s*<h2 class="item">{heading}</h2>', page)
    assert found, page
    return found.group(1)


def hidden_of(page: str, item: str, decision: str) -> dict[str, str]:
    """The hidden fields (CSRF token, version) of one item's decision form."""
    found = re.search(rf'id="f-{item}-{decision}">(.*?)</form>', page, re.S)
    assert found, page
    return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', found.group(1)))


async def test_certificates_to_review_and_to_link_with_their_clocks(
    console: Console, mint: Minter
) -> None:
    application = await certificates(console.system, mint)
    await console.sign_in("staff", "sam")
    gateway = console.app.state.gateway
    sent: list[str] = []
    query = gateway.query

    async def counted(document: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(document)
        return await query(document, *args, **kwargs)

    gateway.query = counted
    page = await console.client.get("/staff/certificates")
    assert (page.status_code, len(sent)) == (200, 1)
    words = text_of(page.text)
    assert "Today: 30 March 2026" in words
    assert (
        "Maria Lopez Due: 24 March 2026 · Breach: the due day passed 6 days ago "
        "Status: Waiting for review Date of birth 17 May 1990 Email alice@example.org"
    ) in words
    assert page.text.count('class="card breach-row"') == 2
    jo, maria = item_named(page.text, "Jo Nobody"), item_named(page.text, "Maria Lopez")
    # The dashboard's chart of the queue's last 30 days says the same in words.
    dashboard = text_of((await console.client.get("/staff")).text)
    assert (
        "Training certificates to review 2 Breach: 2 past their due day 24 March 2026 "
        "30 days: 0 on 1 March 2026, 2 today, at most 2. Past due: at most 2."
    ) in dashboard
    assert f'href="/staff/applications/{application["id"]}"' in page.text

    # A reason is needed to reject: the gateway says which field, and the form keeps its place.
    path = f"/staff/certificates/{jo}/reject-certificate"
    refused = await console.client.post(
        path, data={**hidden_of(page.text, jo, "reject-certificate"), "reason": " "}
    )
    assert refused.status_code == 422
    assert "Not done: Reject the certificate was refused." in text_of(refused.text)
    assert (
        f'id="f-{jo}-reject-certificate-reason" name="reason" rows="2" maxlength="2000" '
        'required aria-invalid="true">' in refused.text
    )
    assert re.search(
        r'<details class="decision" open>\s*<summary>Reject the certificate', refused.text
    )

    accepted = await console.client.post(
        f"/staff/certificates/{maria}/accept-certificate",
        data={**hidden_of(page.text, maria, "accept-certificate"), "reason": "Matches."},
    )
    assert (accepted.status_code, accepted.headers["location"]) == (
        303,
        "/staff/certificates?done=accept-certificate",
    )
    after = await console.client.get(accepted.headers["location"])
    assert "Done: the certificate is accepted." in text_of(after.text)
    assert items_of(after.text) == [jo]

    # Someone links Jo's to Alice's application meanwhile: the stale form changes nothing, and
    # the page shows the certificate as it is now.
    link = {"id": jo, "v": 1, "applicationId": application["id"]}
    await data_of(console.system, LINK, link, token=mint("staff", "sue"))
    stale = await console.client.post(
        path, data={**hidden_of(page.text, jo, "reject-certificate"), "reason": "Unknown."}
    )
    assert stale.status_code == 409
    words = text_of(stale.text)
    assert (
        "Not done: someone changed this after you opened it (you read version 1; it is now "
        "version 2). Nothing was changed."
    ) in words
    assert "As it is now: Jo Nobody Status: Waiting for review · version 2" in words
    assert 'value="Unknown."' not in stale.text or "Unknown." in words
    # Decided by someone else, it leaves the list: the refusal says so.
    await data_of(console.system, ACCEPT, {"id": jo, "v": 2}, token=mint("staff", "sue"))
    gone = await console.client.post(
        path, data={**hidden_of(stale.text, jo, "reject-certificate"), "reason": "Unknown."}
    )
    assert gone.status_code == 422
    assert "It is no longer in this list: someone may have decided it meanwhile." in text_of(
        gone.text
    )


async def test_an_unmatched_certificate_is_linked_to_an_application(
    console: Console, mint: Minter
) -> None:
    application = await certificates(console.system, mint)
    await console.sign_in("staff", "sam")
    page = await console.client.get("/staff/certificates/unmatched")
    (jo,) = items_of(page.text)
    assert "Jo Nobody No due day" in text_of(page.text).replace("no due day", "No due day")
    path = f"/staff/certificates/unmatched/{jo}/link-certificate"
    hidden = hidden_of(page.text, jo, "link-certificate")
    bad = await console.client.post(path, data={**hidden, "applicationId": "nope"})
    assert bad.status_code == 422
    assert "Field applicationId" in text_of(bad.text)
    assert 'value="nope" required aria-invalid="true"' in bad.text
    linked = await console.client.post(path, data={**hidden, "applicationId": application["id"]})
    assert linked.status_code == 303
    after = await console.client.get(linked.headers["location"])
    assert "Done: the certificate is linked to the application." in text_of(after.text)
    assert items_of(after.text) == []


async def test_exam_requests_and_accommodations_and_a_schedule_made_meanwhile(
    console: Console, mint: Minter
) -> None:
    staff, ann = mint("staff", "sam"), mint("applicant", "ann")
    await set_clock(console.system, staff, "2026-03-10T17:00:00+00:00")
    application = await ready(console.system, mint)
    granted = (await data_of(console.system, REQUEST, exam_input(application), token=ann))[
        "requestExam"
    ]
    await data_of(
        console.system,
        ACCOMMODATE,
        {"id": granted["id"], "document": None},
        token=ann,
        files={"variables.document": ("letter.pdf", PDF, "application/pdf")},
    )
    await console.sign_in("staff", "sam")
    asked = await console.client.get("/staff/exams/accommodations")
    words = text_of(asked.text)
    assert "Accommodation for ann Due: 9 April 2026 · 30 days left Status: Pending" in words
    assert "What was said extra time File letter.pdf (application/pdf)" in words
    (request_id,) = items_of(asked.text)
    approved = await console.client.post(
        f"/staff/exams/accommodations/{request_id}/approve-accommodation",
        data=hidden_of(asked.text, request_id, "approve-accommodation"),
    )
    assert approved.status_code == 303

    page = await console.client.get("/staff/exams/scheduling")
    assert "Exam of ann Due: 24 March 2026 · 14 days left" in text_of(page.text)
    path = f"/staff/exams/scheduling/{granted['id']}/schedule-exam"
    hidden = hidden_of(page.text, granted["id"], "schedule-exam")
    typed = {"scheduledOn": "2026-04-02", "scheduledAtTime": "9am", "site": "Room 4"}
    bad = await console.client.post(path, data={**hidden, **typed})
    assert bad.status_code == 422
    assert "Field scheduledAtTime" in text_of(bad.text)
    assert ">Room 4</textarea>" in bad.text
    other = {"scheduledOn": "2026-04-01", "scheduledAtTime": "10:00", "site": "Hall B"}
    schedule = {"id": granted["id"], "v": int(hidden["expectedVersion"]), "input": other}
    await data_of(console.system, SCHEDULE, schedule, token=mint("staff", "sue"))
    stale = await console.client.post(path, data={**hidden, **typed, "scheduledAtTime": "09:00"})
    # The exams service refuses on the status before the version: the words say so, and the
    # page shows the authorization as it is now.
    assert stale.status_code == 422
    words = text_of(stale.text)
    assert "cannot schedule an authorization that is scheduled" in words
    assert "As it is now: Exam of ann Status: Scheduled · version 2" in words
    assert "Scheduled 1 April 2026 10:00:00, Hall B" in words
    now = await data_of(console.system, AUTHORIZATION, {"id": granted["id"]}, token=staff)
    assert now["examAuthorization"] == {
        "status": "SCHEDULED",
        "scheduledOn": "2026-04-01",
        "site": "Hall B",
    }


async def test_every_list_reads_in_both_languages_and_only_for_staff(
    console: Console, mint: Minter
) -> None:
    await console.sign_in("staff", "sam")
    for slug in LISTS:
        for language in ("en", "es"):
            page = await console.client.get(f"/staff/{slug}", headers={"Accept-Language": language})
            assert page.status_code == 200, (slug, page.text)
            words = text_of(page.text)
            assert not re.findall(r"\b(?:staff|work|queue|input|code)\.[a-z_-]+", words), words
    await console.sign_in("applicant", "alice")
    refused = await console.client.get("/staff/complaints")
    assert refused.status_code == 403
    token = await console.csrf("/me")
    forged = await console.client.post(
        "/staff/complaints/x/take-up-complaint", data={"csrf_token": token, "expectedVersion": 1}
    )
    assert forged.status_code == 403
