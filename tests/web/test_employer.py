"""The employer's page over the in-process system: create the profile (the secret shown once),
follow a certification by number and last name, read its alerts, stop following it."""

from __future__ import annotations

import re

from certboard_core.testing.plugin import Minter
from tests.e2e.helpers import data_of
from tests.e2e.test_discipline import DECIDE, FILE, QUEUE

from .conftest import Console
from .test_pages import certified, text_of


async def test_an_employer_signs_up_follows_hears_and_stops_following(
    console: Console, mint: Minter
) -> None:
    number = await certified(console.system, mint)
    signed = await console.sign_in("employer", "acme")
    assert signed.headers["location"] == "/employer"
    first = await console.client.get("/employer")
    assert "Create the profile" in text_of(first.text)
    token = await console.csrf("/employer")
    profile = {
        "organisation": "Bozeman Recovery Center",
        "alertEmail": "not an email",
        "csrf_token": token,
    }
    refused = await console.client.post("/employer/profile", data=profile)
    assert refused.status_code == 422
    assert "Not done: the board's system refused it." in text_of(refused.text)
    assert 'value="not an email" aria-invalid="true"' in refused.text
    assert 'value="Bozeman Recovery Center"' in refused.text
    made = await console.client.post(
        "/employer/profile", data={**profile, "alertEmail": "hr@brc.example.org"}
    )
    assert made.status_code == 200
    secret = re.search(r"<code data-secret>(whsec_[^<]+)</code>", made.text)
    assert secret, made.text
    assert "Keep it now: it is shown only this once." in text_of(made.text)
    again = await console.client.get("/employer")
    assert secret.group(1) not in again.text
    assert "Bozeman Recovery Center Alert email hr@brc.example.org" in text_of(again.text)

    enrol = {"certificateNumber": number, "lastName": "Smith", "csrf_token": token}
    wrong = await console.client.post("/employer/enrolments", data=enrol)
    assert wrong.status_code == 422
    assert "No certification matches this number and last name." in text_of(wrong.text)
    assert 'value="Smith"' in wrong.text
    enrolled = await console.client.post(
        "/employer/enrolments", data={**enrol, "lastName": "lopez"}
    )
    assert (enrolled.status_code, enrolled.headers["location"]) == (303, "/employer?done=enrolled")

    staff = mint("staff", "sam")
    await data_of(console.system, FILE, {"n": number})
    (complaint,) = (await data_of(console.system, QUEUE, token=staff))["complaints"]["items"]
    await data_of(
        console.system, DECIDE, {"id": complaint["id"], "v": complaint["version"]}, token=staff
    )
    dispatcher = console.system.services["applications"].state.dispatcher
    while await dispatcher.dispatch_once():
        pass

    page = await console.client.get(enrolled.headers["location"])
    words = text_of(page.text)
    assert "Done: you now follow this certification." in words
    assert f"Maria Lopez {number} Suspended 3 May 2028 Stop following" in words
    assert f"10 March 2026 , {number}: Disciplinary decision." in words
    # The alert's own line: the service's English, or Spanish words from its kind and detail.
    assert "A discipline decision about certificate" in words
    await console.client.post("/language", data={"lang": "es", "csrf_token": token})
    spanish = await console.client.get("/employer")
    assert (
        f"10 de marzo de 2026 , {number}: Decisión disciplinaria. Suspensión hasta el 30 de "
        "septiembre de 2026, desde el 10 de marzo de 2026; su estado es Suspendida."
    ) in text_of(spanish.text)
    assert "A discipline decision" not in spanish.text
    await console.client.post("/language", data={"lang": "en", "csrf_token": token})
    unenrol = re.search(r'action="(/employer/enrolments/[^"]+/unenrol)"', page.text)
    assert unenrol
    left = await console.client.post(unenrol.group(1), data={"csrf_token": token})
    assert left.headers["location"] == "/employer?done=unenrolled"
    after = text_of((await console.client.get(left.headers["location"])).text)
    assert "You follow no certification yet." in after


async def test_only_an_employer_opens_the_page(console: Console) -> None:
    await console.sign_in("staff", "sam")
    refused = await console.client.get("/employer")
    assert refused.status_code == 403
    assert "This page is for employers. You are signed in as staff." in text_of(refused.text)
    token = await console.csrf("/")
    posted = await console.client.post(
        "/employer/enrolments",
        data={"certificateNumber": "AAAA-AAAA-AAAB", "lastName": "x", "csrf_token": token},
    )
    assert posted.status_code == 403
