"""The supervisor's other forms over the in-process system: correct a signed-off session (a
refusal names the field and keeps what was typed), end an agreement (a malformed day is named
here, a stale version changes nothing), and register then correct their own record."""

from __future__ import annotations

import re

from certboard_core.testing.plugin import Minter
from tests.e2e.helpers import data_of
from tests.e2e.test_supervision_agreements import registration
from tests.e2e.test_supervision_sessions import SIGN as SIGN_OFF

from .conftest import Console
from .test_pages import text_of
from .test_supervisor import proposed, verified, version_in, worked_and_met

AGREEMENT = """
query($id: ID!) {
  supervisionAgreement(id: $id) {
    status terminatedOn version sessions { heldOn startTime stopTime amendmentReason locked }
  }
}
"""
SIGN = (
    "mutation($id: ID!, $v: Int!) { signSupervisionAgreement(id: $id, expectedVersion: $v) { id } }"
)


def fields_of(html: str) -> dict[str, str]:
    """The record form's values as the page fills them."""
    form = html[html.index('action="/supervisor/record"') :]
    return dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', form))


async def test_a_supervisor_corrects_a_session_and_ends_the_agreement(
    console: Console, mint: Minter
) -> None:
    system, sam = console.system, mint("supervisor", "dr-sam")
    agreement = await proposed(system, mint, "dr-sam", "alice")
    await data_of(system, SIGN, {"id": agreement, "v": 2}, token=sam)
    await worked_and_met(system, mint, agreement, "alice")
    (logged,) = (await data_of(system, AGREEMENT, {"id": agreement}, token=sam))[
        "supervisionAgreement"
    ]["sessions"]
    sessions = await system.gql("{ supervisionSessions { items { id version } } }", token=sam)
    (session,) = sessions.json()["data"]["supervisionSessions"]["items"]
    await data_of(system, SIGN_OFF, {"id": session["id"], "v": session["version"]}, token=sam)
    await console.sign_in("supervisor", "dr-sam")
    page = await console.client.get("/supervisor")
    signed = "Sessions you signed off in these weeks Maria Lopez: 4 March 2026 , 10:00\u201311:00"
    assert signed in text_of(page.text)
    action = f"/supervisor/sessions/{session['id']}/amend"
    token = await console.csrf("/supervisor")
    amendment = {
        "csrf_token": token,
        "expectedVersion": version_in(page.text, action),
        "heldOn": "2026-03-04",
        "startTime": "10:00",
        "stopTime": "09:30",
        "format": "GROUP",
        "topics": ["REFERRALS"],
        "reason": "Ran long",
        "supervisorName": "Dr. Sam Ortiz",
        "supervisorLicenseNumber": "LSW-Sam",
    }
    refused = await console.client.post(action, data=amendment)
    assert refused.status_code == 422
    assert 'data-code="STOP_NOT_AFTER_START"' in refused.text
    assert 'name="stopTime" required maxlength="5" value="09:30" aria-invalid="true"' in (
        refused.text
    )
    assert 'name="format" value="GROUP" required checked' in refused.text
    assert 'name="topics" value="REFERRALS" checked' in refused.text
    assert ">Ran long</textarea>" in refused.text

    done = await console.client.post(action, data={**amendment, "stopTime": "11:30"})
    assert done.headers["location"] == "/supervisor?done=amended"
    after = text_of((await console.client.get(done.headers["location"])).text)
    assert "Done: the correction is signed off and replaces the session." in after
    assert "Maria Lopez: 4 March 2026 , 10:00\u201311:30 Group; referrals" in after
    read = (await data_of(system, AGREEMENT, {"id": agreement}, token=sam))["supervisionAgreement"]
    assert read["sessions"] == [
        {**logged, "stopTime": "11:30", "amendmentReason": "Ran long", "locked": True}
    ]

    end = f"/supervisor/agreements/{agreement}/terminate"
    ending = {"csrf_token": token, "expectedVersion": str(read["version"]), "reason": "Moved"}
    malformed = await console.client.post(end, data={**ending, "terminatedOn": "2026-03-32"})
    assert malformed.status_code == 422
    assert 'value="2026-03-32" aria-invalid="true"' in malformed.text
    assert ">Moved</textarea>" in malformed.text
    stale = {**ending, "expectedVersion": str(read["version"] - 1), "terminatedOn": "2026-03-10"}
    conflict = await console.client.post(end, data=stale)
    assert conflict.status_code == 409
    assert "Not done: this changed after you opened the page." in text_of(conflict.text)
    ended = await console.client.post(end, data={**ending, "terminatedOn": "2026-03-10"})
    assert ended.headers["location"] == "/supervisor?done=terminated"
    words = text_of((await console.client.get("/supervisor?done=terminated")).text)
    assert "Done: the agreement is ended." in words
    assert "open-ended Terminated ; ended on 10 March 2026 Your record" in words
    now = (await data_of(system, AGREEMENT, {"id": agreement}, token=sam))["supervisionAgreement"]
    assert (now["status"], now["terminatedOn"]) == ("TERMINATED", "2026-03-10")


async def test_a_supervisor_registers_then_corrects_their_record(
    console: Console, mint: Minter
) -> None:
    await proposed(console.system, mint, "dr-sam", "alice")  # sets the clock and Montana's rules
    await console.sign_in("supervisor", "dr-new")
    page = await console.client.get("/supervisor")
    assert "Register as a supervisor" in text_of(page.text)
    typed = {**registration("Nia"), "licenseState": "mt", "supervisionCeHours": "6"}
    token = await console.csrf("/supervisor")
    refused = await console.client.post("/supervisor/record", data={**typed, "csrf_token": token})
    assert refused.status_code == 422
    assert 'name="licenseState" required maxlength="2" autocomplete="off"' in refused.text
    assert fields_of(refused.text) | {"csrf_token": ""} == {**typed, "csrf_token": ""}
    assert re.search(r'name="licenseState"[^>]*aria-invalid="true"', refused.text)
    wrong = await console.client.post(
        "/supervisor/record", data={**typed, "licenseExpiresOn": "soon", "csrf_token": token}
    )
    assert re.search(r'name="licenseExpiresOn"[^>]*value="soon" aria-invalid="true"', wrong.text)

    made = await console.client.post(
        "/supervisor/record", data={**typed, "licenseState": "MT", "csrf_token": token}
    )
    assert made.headers["location"] == "/supervisor?done=registered"
    after = await console.client.get(made.headers["location"])
    assert "Your record Name Nia License LSW-Nia (MT)" in text_of(after.text)
    assert "Verified by the board not yet" in text_of(after.text)
    filled = fields_of(after.text)
    assert (filled["expectedVersion"], filled["supervisionCeHours"]) == ("1", "6")

    corrected = {**filled, "licenseNumber": "LSW-Nia-2", "csrf_token": token}
    updated = await console.client.post("/supervisor/record", data=corrected)
    assert updated.headers["location"] == "/supervisor?done=updated"
    again = await console.client.post("/supervisor/record", data=corrected)
    assert again.status_code == 409
    record = await data_of(
        console.system,
        'query { supervisor(id: "dr-new") { licenseNumber verification version } }',
        token=mint("supervisor", "dr-new"),
    )
    assert record["supervisor"] == {
        "licenseNumber": "LSW-Nia-2",
        "verification": "PENDING",
        "version": 2,
    }


async def test_a_peer_reports_and_corrects_hours_and_logs_a_session(
    console: Console, mint: Minter
) -> None:
    system = console.system
    agreement = await proposed(system, mint, "dr-sam", "alice")
    await data_of(system, SIGN, {"id": agreement, "v": 2}, token=mint("supervisor", "dr-sam"))
    await console.sign_in("applicant", "alice")
    page = await console.client.get("/me/supervision")
    assert 'href="/me/supervision" aria-current="page"' in page.text
    assert "dr-sam Bozeman Recovery Center from 1 March 2026, open-ended Active" in (
        text_of(page.text)
    )
    assert "You reported no hours in these weeks." in text_of(page.text)
    token = await console.csrf("/me/supervision")
    week = {"csrf_token": token, "agreementId": agreement, "period": "WEEK"}
    bad = await console.client.post(
        "/me/supervision/hours", data={**week, "startsOn": "2026-03-02", "hours": "lots"}
    )
    assert bad.status_code == 422
    assert 'name="hours" inputmode="decimal" required maxlength="10" value="lots" aria-invalid' in (
        bad.text
    )
    assert 'value="2026-03-02"' in bad.text
    reported = await console.client.post(
        "/me/supervision/hours", data={**week, "startsOn": "2026-03-02", "hours": "20"}
    )
    assert reported.headers["location"] == "/me/supervision?done=reported"
    after = await console.client.get(reported.headers["location"])
    assert "Done: your hours are reported. " in text_of(after.text)
    assert "Week of 2 March 2026: 20.00 h" in text_of(after.text)
    (amend,) = re.findall(r'action="(/me/supervision/hours/[^"]+/amend)"', after.text)
    correction = {"csrf_token": token, "hours": "21.5", "reason": "Forgot Friday"}
    sent = {**correction, "expectedVersion": version_in(after.text, amend)}
    amended = await console.client.post(amend, data=sent)
    assert amended.headers["location"] == "/me/supervision?done=amended"
    # The same form again (the back button): the report was replaced, nothing changes.
    again = await console.client.post(amend, data=sent)
    assert again.status_code == 422
    assert "A correction has replaced this record." in text_of(again.text)
    session = {
        "csrf_token": token,
        "agreementId": agreement,
        "peerName": "Maria Lopez",
        "heldOn": "2026-03-04",
        "startTime": "10:00",
        "stopTime": "11:00",
        "format": "GROUP",
        "topics": ["PLANNING"],
    }
    logged = await console.client.post("/me/supervision/sessions", data=session)
    assert logged.headers["location"] == "/me/supervision?done=logged"
    words = text_of((await console.client.get("/me/supervision?done=logged")).text)
    assert "Week of 2 March 2026: 21.50 h Corrected: Forgot Friday" in words
    assert "waiting for your supervisor's sign-off" in words
    hours = await data_of(
        system, "{ hoursWorked { items { hours current } } }", token=mint("applicant", "alice")
    )
    assert hours["hoursWorked"]["items"] == [{"hours": "21.50", "current": True}]
    await console.sign_in("supervisor", "dr-sam")
    assert (await console.client.get("/me/supervision")).status_code == 403


async def test_a_peer_drafts_an_agreement_and_signs_it(console: Console, mint: Minter) -> None:
    await verified(console.system, mint, "dr-sam")
    await console.sign_in("applicant", "alice")
    token = await console.csrf("/me/supervision")
    terms = {
        "csrf_token": token,
        "supervisorId": "dr-sam",
        "employer": "Bozeman Recovery Center",
        "startsOn": "2026-03-32",
        "relationshipAttested": "true",
        "notFamilyAttested": "true",
    }
    refused = await console.client.post("/me/supervision/agreements", data=terms)
    assert refused.status_code == 422
    assert 'name="startsOn" required maxlength="10" value="2026-03-32" aria-invalid="true"' in (
        refused.text
    )
    assert 'value="Bozeman Recovery Center"' in refused.text

    drafted = await console.client.post(
        "/me/supervision/agreements", data={**terms, "startsOn": "2026-03-16"}
    )
    assert drafted.headers["location"] == "/me/supervision?done=drafted"
    page = await console.client.get(drafted.headers["location"])
    words = text_of(page.text)
    assert "Done: the agreement is drafted." in words
    assert "you have not signed; your supervisor has not signed" in words
    (agreement,) = re.findall(r'action="/me/supervision/agreements/([0-9a-f-]+)/sign"', page.text)
    action = f"/me/supervision/agreements/{agreement}/sign"
    version = int(version_in(page.text, action))
    stale = await console.client.post(
        action, data={"csrf_token": token, "expectedVersion": str(version - 1)}
    )
    assert stale.status_code == 409
    signed = await console.client.post(
        action, data={"csrf_token": token, "expectedVersion": str(version)}
    )
    assert signed.headers["location"] == "/me/supervision?done=signed"
    after = text_of((await console.client.get(signed.headers["location"])).text)
    assert "you signed; your supervisor has not signed" in after
    assert action not in after
