"""The supervisor's page over the in-process system: sign an agreement the peer proposed (a
stale version changes nothing), sign a session off, read the supervisee's weeks as a chart and
a table; another supervisor sees none of it; every form is CSRF-checked."""

from __future__ import annotations

import re
from typing import Any

from fastapi.routing import APIRoute

from certboard_core.testing.plugin import Minter
from supervision.policy import build_policy
from tests.e2e.conftest import System
from tests.e2e.helpers import data_of, set_clock
from tests.e2e.test_supervision_agreements import DRAFT, REGISTER, SIGN, VERIFY, registration
from tests.e2e.test_supervision_agreements import terms as agreement_terms
from tests.e2e.test_supervision_sessions import LOG, REPORT
from web.pages import peer, supervisor_actions, supervisor_record
from web.security import require_csrf

from .conftest import Console
from .test_pages import text_of


async def verified(system: System, mint: Minter, supervisor: str) -> None:
    """Montana's rules on 10 March 2026, and ``supervisor`` registered and verified."""
    system.services["supervision"].state.policy = build_policy("MT")
    staff = mint("staff", "sue")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    name = supervisor.removeprefix("dr-").capitalize()
    own = mint("supervisor", supervisor)
    found = await system.gql(
        "query($id: ID!) { supervisor(id: $id) { version } }", {"id": supervisor}, token=own
    )
    if "errors" in found.json():
        await data_of(system, REGISTER, {"input": registration(name)}, token=own)
        await data_of(system, VERIFY, {"id": supervisor, "v": 1}, token=staff)


async def proposed(system: System, mint: Minter, supervisor: str, peer: str) -> str:
    """A verified supervisor (Montana's rules) and an agreement ``peer`` drafted and signed on
    10 March 2026, waiting for the supervisor's signature: its id."""
    await verified(system, mint, supervisor)
    drafted = await data_of(
        system, DRAFT, {"input": agreement_terms(supervisor)}, token=mint("applicant", peer)
    )
    ident: str = drafted["draftSupervisionAgreement"]["id"]
    await data_of(system, SIGN, {"id": ident, "v": 1}, token=mint("applicant", peer))
    return ident


async def worked_and_met(system: System, mint: Minter, agreement: str, peer: str) -> None:
    """The peer reports 20.01 hours in the week of 2 March and logs an hour on the 4th."""
    token = mint("applicant", peer)
    await data_of(system, REPORT, {"a": agreement}, token=token)
    session = {
        "agreementId": agreement,
        "peerName": "Maria Lopez",
        "heldOn": "2026-03-04",
        "startTime": "10:00",
        "stopTime": "11:00",
        "format": "INDIVIDUAL",
        "topics": ["ASSESSMENTS", "PLANNING"],
    }
    await data_of(system, LOG, {"input": session}, token=token)


def version_in(html: str, action: str) -> str:
    """The expectedVersion the form posting to ``action`` carries."""
    found = re.search(
        rf'action="{re.escape(action)}">\s*<input[^>]+>\s*'
        r'<input type="hidden" name="expectedVersion" value="(\d+)">',
        html,
    )
    assert found, html
    return found.group(1)


async def test_a_supervisor_signs_signs_off_and_reads_the_weeks(
    console: Console, mint: Minter
) -> None:
    agreement = await proposed(console.system, mint, "dr-sam", "alice")
    signed_in = await console.sign_in("supervisor", "dr-sam")
    assert signed_in.headers["location"] == "/supervisor"
    first = await console.client.get("/supervisor")
    words = text_of(first.text)
    assert (
        "Agreements waiting for your signature alice Employer Bozeman Recovery Center "
        "Period from 1 March 2026, open-ended The peer signed on 10 March 2026."
    ) in words
    assert "Your record Name Sam License LSW-Sam (MT) License valid through 30 June 2026" in words
    assert "You qualify to supervise today." in words
    action = f"/supervisor/agreements/{agreement}/sign"
    read_at = version_in(first.text, action)
    token = await console.csrf("/supervisor")

    # The peer's side changed since the page was read: nothing is signed, and the page says so.
    stale = await console.client.post(
        action, data={"expectedVersion": str(int(read_at) - 1), "csrf_token": token}
    )
    assert stale.status_code == 409
    assert "Not done: this changed after you opened the page." in text_of(stale.text)
    assert 'data-code="VERSION_CONFLICT"' in stale.text
    assert version_in(stale.text, action) == read_at

    signed = await console.client.post(
        action, data={"expectedVersion": read_at, "csrf_token": token}
    )
    assert (signed.status_code, signed.headers["location"]) == (303, "/supervisor?done=signed")
    after = text_of((await console.client.get(signed.headers["location"])).text)
    assert "Done: you signed the agreement." in after
    assert "No agreement waits for your signature." in after
    assert (
        "All your agreements Peer Employer Period Status End alice Bozeman Recovery Center "
        "from 1 March 2026, open-ended Active"
    ) in after

    await worked_and_met(console.system, mint, agreement, "alice")
    waiting = await console.client.get("/supervisor")
    assert (
        "Sessions waiting for your sign-off Maria Lopez Held on 4 March 2026 "
        "Time 10:00\u201311:00 (60 min) Format Individual Topics assessments, planning"
    ) in text_of(waiting.text)
    # The sign-off form is filled from the supervisor's record.
    assert 'name="supervisorName" required maxlength="200" autocomplete="name" value="Sam"' in (
        waiting.text
    )
    session_action = re.search(r'action="(/supervisor/sessions/[^"]+/sign-off)"', waiting.text)
    assert session_action
    sign_off = {
        "expectedVersion": version_in(waiting.text, session_action.group(1)),
        "supervisorName": "Dr. Sam Ortiz",
        "supervisorLicenseNumber": "LSW-Sam",
        "csrf_token": token,
    }
    done = await console.client.post(session_action.group(1), data=sign_off)
    assert done.headers["location"] == "/supervisor?done=signed-off"
    weeks = await console.client.get(done.headers["location"])
    words = text_of(weeks.text)
    assert "Done: the session is signed off and locked." in words
    assert "No session waits for your sign-off." in words
    assert "Maria Lopez Not compliant over these weeks: short by 1 min." in words
    assert (
        'aria-label="Maria Lopez: 0 weeks compliant and 1 short of 12; the table that follows '
        'gives each week."'
    ) in weeks.text
    assert "2 March 2026 20.01 60 61 98% Short: short by 1 min" in words
    assert "9 March 2026 0 0 0 \u2013 No activity" in words
    spanish = await console.client.get("/supervisor", headers={"Accept-Language": "es"})
    assert "2 de marzo de 2026 20.01 60 61 98% Corta: faltan 1 min" in text_of(spanish.text)
    earlier = text_of((await console.client.get("/supervisor?to=2026-03-01")).text)
    assert "From 8 December 2025 to 1 March 2026." in earlier
    assert "No supervisee reported hours or sessions in these weeks." in earlier
    # The week's bar: hours worked full height, supervision covering all but a sliver.
    bar = re.search(r'<g class="week short" data-week="2026-03-02">(.*?)</g>', weeks.text, re.S)
    assert bar
    assert re.findall(r'class="(worked|covered)" x="\d+" y="(\d+)"', bar.group(1)) == [
        ("worked", "22"),
        ("covered", "24"),
    ]
    # The same form sent twice (the back button): the session has moved on, nothing changes.
    again = await console.client.post(session_action.group(1), data=sign_off)
    assert again.status_code == 409
    assert "Not done: this changed after you opened the page." in text_of(again.text)
    assert "No session waits for your sign-off." in text_of(again.text)


async def test_a_supervisor_sees_only_their_own_supervisees(console: Console, mint: Minter) -> None:
    alices = await proposed(console.system, mint, "dr-sam", "alice")
    await proposed(console.system, mint, "dr-tess", "bob")
    await console.sign_in("supervisor", "dr-tess")
    gateway = console.app.state.gateway
    sent: list[str] = []
    query = gateway.query

    async def counted(document: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(document)
        return await query(document, *args, **kwargs)

    gateway.query = counted
    page = await console.client.get("/supervisor")
    # One request per section: the supervision in one read, the supervisor's own record.
    assert len(sent) == 2
    assert "me {\n    supervision(from: $from, to: $to) {" in sent[0]
    assert "supervisor(id: $id)" in sent[1]
    words = text_of(page.text)
    assert "Agreements waiting for your signature bob" in words
    assert "alice" not in words
    assert alices not in page.text
    token = await console.csrf("/supervisor")
    refused = await console.client.post(
        f"/supervisor/agreements/{alices}/sign", data={"expectedVersion": "2", "csrf_token": token}
    )
    assert refused.status_code == 422
    assert "Not done: the board's system refused it." in text_of(refused.text)
    assert 'data-code="NOT_FOUND"' in refused.text
    still = await data_of(
        console.system,
        "query($id: ID!) { supervisionAgreement(id: $id) { signedBySupervisorAt version } }",
        {"id": alices},
        token=mint("supervisor", "dr-sam"),
    )
    assert still["supervisionAgreement"] == {"signedBySupervisorAt": None, "version": 2}


async def test_only_a_supervisor_opens_the_page_and_every_form_checks_csrf(
    console: Console, mint: Minter
) -> None:
    agreement = await proposed(console.system, mint, "dr-sam", "alice")
    assert (await console.client.get("/supervisor")).headers["location"] == "/signin"
    await console.sign_in("employer", "acme")
    refused = await console.client.get("/supervisor")
    assert refused.status_code == 403
    assert "This page is for supervisors. You are signed in as employer." in text_of(refused.text)
    await console.sign_in("supervisor", "dr-sam")
    forged = await console.client.post(
        f"/supervisor/agreements/{agreement}/sign",
        data={"expectedVersion": "2", "csrf_token": "forged"},
    )
    assert forged.status_code == 403
    assert "This form has expired or did not come from this site." in text_of(forged.text)
    assert "Agreements waiting for your signature alice" in text_of(
        (await console.client.get("/supervisor")).text
    )
    # A supervisor the board has no record of yet: the page works and says so.
    await console.sign_in("supervisor", "dr-new")
    new = text_of((await console.client.get("/supervisor")).text)
    assert "No agreement waits for your signature." in new
    assert "Your record You have no supervisor record with the board yet." in new
    # Supervision not answering: the page says so in words, no section pretends to be empty.
    console.system.down.add("supervision")
    down = await console.client.get("/supervisor")
    unreachable = "Part of the board's system cannot be reached just now."
    assert f"Supervision {unreachable}" in text_of(down.text)
    assert f"Your record {unreachable}" in text_of(down.text)
    assert "No agreement waits" not in down.text
    console.system.down.discard("supervision")
    posts = [
        r
        for router in (supervisor_actions.router, supervisor_record.router, peer.forms)
        for r in router.routes
        if isinstance(r, APIRoute)
    ]
    assert {r.path for r in posts} == {
        "/supervisor/agreements/{agreement_id}/sign",
        "/supervisor/agreements/{agreement_id}/terminate",
        "/supervisor/sessions/{session_id}/sign-off",
        "/supervisor/sessions/{session_id}/amend",
        "/supervisor/record",
        "/me/supervision/agreements",
        "/me/supervision/agreements/{agreement_id}/sign",
        "/me/supervision/hours",
        "/me/supervision/hours/{hours_id}/amend",
        "/me/supervision/sessions",
    }
    for route in posts:
        assert any(d.call is require_csrf for d in route.dependant.dependencies), route.path
