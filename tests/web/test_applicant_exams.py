"""The applicant's status page once approved: the exam requested from the page, training
certificates and their review, attempts, results by content domain, the certification with its
verification link and credential, and the renewal with CE progress by category; and the
application form where the board's policy asks for the recovery attestations."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from certboard_core.testing.plugin import DatabaseFactory, Minter
from tests.e2e.conftest import System, running_system
from tests.e2e.helpers import set_clock
from tests.e2e.journeys import (
    accept_pending_certificates,
    approve,
    certificate_row,
    live_form,
    pay,
    provider_with_program,
    sit,
    submit,
    upload,
)

from .conftest import Console, console_app
from .test_applicant import apply
from .test_pages import text_of


async def ready_for_the_exam(system: System, mint: Minter) -> str:
    """Alice's application approved on 10 March 2026, her training accepted and the exam fee
    paid: her application's id."""
    staff = mint("staff", "sam")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    application = await submit(system, mint("applicant", "alice"))
    await pay(system, staff, application, "APPLICATION", "2026-03-10T17:05:00Z")
    await approve(system, staff, application)
    provider, program = await provider_with_program(system, staff, "Peer Academy")
    academy = mint("provider", "academy", provider_id=provider)
    await upload(system, academy, provider, [certificate_row("PA-100", program, "2026-02-27")])
    await accept_pending_certificates(system, staff, application)
    await pay(system, staff, application, "EXAM", "2026-03-10T17:10:00Z")
    return application


async def request_from_the_page(console: Console, application: str, **choice: str) -> Any:
    page = await console.client.get("/me")
    assert f'action="/me/applications/{application}/exam"' in page.text
    key = re.search(r'name="key" value="([^"]+)"', page.text)
    assert key
    token = await console.csrf("/me")
    data = {"language": "ENGLISH", "deliveryMode": "TEST_CENTRE", **choice}
    return await console.client.post(
        f"/me/applications/{application}/exam",
        data={**data, "key": key.group(1), "csrf_token": token},
    )


async def test_the_applicant_requests_the_exam_and_reads_results_and_certification(
    console: Console, mint: Minter
) -> None:
    application = await ready_for_the_exam(console.system, mint)
    await console.sign_in("applicant", "alice")
    words = text_of((await console.client.get("/me")).text)
    assert "Training certificates" in words
    assert "PA-100 27 February 2026 80 26 February 2028 Accepted" in words
    assert "Attempts used: 0 of 3; 3 left. Request the exam" in words

    refused = await request_from_the_page(console, application, deliveryMode="BY_PIGEON")
    assert refused.status_code == 422
    assert "Not done: the board's system refused it." in text_of(refused.text)
    requested = await request_from_the_page(console, application)
    assert (requested.status_code, requested.headers["location"]) == (
        303,
        "/me?done=exam_requested",
    )
    # Sent again (a double click, a retry after a timeout): the form's key makes it one request.
    again = await console.client.post(
        f"/me/applications/{application}/exam",
        data={
            "language": "ENGLISH",
            "deliveryMode": "TEST_CENTRE",
            "key": f"{application}-0",
            "csrf_token": await console.csrf("/me"),
        },
    )
    assert again.status_code == 303
    page = await console.client.get("/me?done=exam_requested")
    assert page.text.count("data-authorization=") == 1
    words = text_of(page.text)
    assert "Done: you asked to take the exam." in words
    # One authorization open at a time: the form is gone while it is.
    assert '/exam"' not in page.text
    assert "Your exam requests" in words
    assert "10 March 2026 First attempt, English, at a test centre until" in words
    assert "Granted: schedule it" in words
    assert "10 March 2026 Authorization to test granted today" in words
    assert "Last day to take the exam under this authorization" in words

    authorization = re.search(r'data-authorization="([^"]+)"', page.text)
    assert authorization
    form = await live_form(console.system, mint("staff", "sam"))
    await set_clock(console.system, mint("staff", "sam"), "2026-04-10T18:00:00+00:00")
    await sit(
        console.system,
        mint("service", "pv"),
        authorization.group(1),
        form,
        96,
        at="2026-04-10T15:00:00Z",
    )

    gateway = console.app.state.gateway
    sent: list[str] = []
    query = gateway.query

    async def counted(document: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(document)
        return await query(document, *args, **kwargs)

    gateway.query = counted
    page = await console.client.get("/me")
    # The whole page, exams, certification and renewal included, from one gateway request.
    assert len(sent) == 1
    assert sent[0].lstrip().startswith("query MyStatus {")
    gateway.query = query
    words = text_of(page.text)
    assert "Application submitted on 10 March 2026: Certified" in words
    assert "Attempts used: 1 of 3; 2 left." in words
    assert "Result of 10 April 2026: passed, 80.00 % (96/120; pass mark" in words
    # The form's items alternate between two domains: 48 of 60 right in each.
    assert "ethics 48/60 80.00 %" in words
    assert "recovery 48/60 80.00 %" in words
    assert "10 April 2026 Exam taken today" in words
    assert "10 April 2026 Certified today" in words
    assert (
        "10 January 2028 Renewal window opens 640 days left "
        "9 April 2028 Certification valid through 730 days left "
        "9 April 2028 Renewal window closes 730 days left"
    ) in words
    number = re.search(r"<dd data-number>([^<]+)</dd>", page.text)
    assert number
    assert f'href="/verify?number={number.group(1)}"' in page.text
    assert "Continuing education" in words
    assert re.search(r"Hours required Hours earned Hours still needed Due by In total \d", words)

    certification = re.search(r'href="(/me/certifications/[^/]+/credential)"', page.text)
    assert certification
    credential = await console.client.get(certification.group(1))
    assert credential.status_code == 200
    assert credential.headers["content-type"].startswith("application/vc+jwt")
    assert credential.headers["content-disposition"] == (
        f'attachment; filename="certification-{number.group(1)}.jwt"'
    )
    header, claims, _ = credential.text.split(".")
    payload = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    assert number.group(1) in json.dumps(payload)
    assert json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["alg"]
    unknown = await console.client.get(
        "/me/certifications/00000000-0000-0000-0000-000000000000/credential"
    )
    assert unknown.status_code == 404

    spanish = text_of(
        (await console.client.get("/me", headers={"Accept-Language": "es-MX,es;q=0.9"})).text
    )
    assert "Resultado del 10 de abril de 2026: aprobado, 80.00 %" in spanish
    assert "Primer intento, Inglés, en un centro de examen" in spanish
    assert "Educación continua" in spanish
    assert "Se abre el período de renovación" in spanish


async def test_where_the_board_asks_the_form_asks_for_the_recovery_attestations(
    database_factory: DatabaseFactory, dev_data_dir: Path, tmp_path: Path, mint: Minter
) -> None:
    mt = {"policy_preset": "MT"}
    overrides = {"applications": mt, "exams": mt, "supervision": mt}
    async with (
        running_system(database_factory, dev_data_dir, tmp_path / "docs", overrides) as system,
        LifespanManager(app := console_app(system, dev_data_dir)),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web") as web,
    ):
        console = Console(app=app, system=system, client=web)
        await console.sign_in("applicant", "alice")
        form = await web.get("/apply")
        assert "I have been in recovery for at least two years." in text_of(form.text)
        refused = await apply(console, recoveryAsked="true", diagnosisTreatmentAttested="true")
        assert refused.status_code == 422
        assert re.search(r'<input[^>]*id="recoveryTwoYearsAttested"[^>]*aria-invalid', refused.text)
        assert (
            'id="diagnosisTreatmentAttested" name="diagnosisTreatmentAttested" value="true" checked'
            in (refused.text)
        )
        both = {"recoveryTwoYearsAttested": "true", "diagnosisTreatmentAttested": "true"}
        sent = await apply(console, recoveryAsked="true", **both)
        assert (sent.status_code, sent.headers["location"]) == (303, "/me?done=submitted")
