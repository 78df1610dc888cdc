"""The applicant's portal over the in-process system: the application in one sitting with both
documents (a refusal keeps what was typed and names the field), a revision answered with an
upload and sent back, and the forms' CSRF checks and role refusals."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi.routing import APIRoute

from certboard_core.testing.plugin import Minter
from tests.e2e.helpers import JPEG, PDF, PNG, data_of, set_clock
from web.pages import applicant
from web.security import require_csrf

from .conftest import Console, console_app
from .test_pages import text_of

REVISE = """
mutation R($id: ID!, $v: Int!) {
  requestRevision(id: $id, expectedVersion: $v, items: [GOVERNMENT_ID],
                  note: "The photo is too dark to read.") { version }
}
"""
MARIA = {
    "firstName": "Maria",
    "lastName": "Lopez",
    "dateOfBirth": "1990-05-17",
    "email": "maria.lopez@example.org",
    "livedExperience": "CONSUMER",
    "codeOfEthicsAgreed": "true",
    "willingToShareExperience": "true",
}
BOTH = {
    "governmentId": ("id.jpg", JPEG, "image/jpeg"),
    "diploma": ("diploma.pdf", PDF, "application/pdf"),
}


async def apply(console: Console, files: dict[str, Any] = BOTH, **fields: str) -> httpx.Response:
    """The application form sent as a browser sends it (multipart, with the session's token)."""
    token = await console.csrf("/apply")
    data = {**MARIA, **fields, "csrf_token": token}
    return await console.client.post("/apply", data=data, files=files)


async def test_an_applicant_applies_in_one_sitting_and_a_refusal_keeps_what_was_typed(
    console: Console, mint: Minter
) -> None:
    await set_clock(console.system, mint("staff", "sam"), "2026-03-10T17:00:00+00:00")
    await console.sign_in("applicant", "alice")
    form = await console.client.get("/apply")
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text
    for name in ("firstName", "dateOfBirth", "governmentId", "diploma", "codeOfEthicsAgreed"):
        assert f'<label for="{name}"' in form.text or f'for="{name}">' in form.text, name

    young = await apply(console, dateOfBirth="2015-01-01", firstName="Mária")
    assert young.status_code == 422
    words = text_of(young.text)
    assert "Your application was not sent. What to fix is marked below" in words
    # The field at fault is marked and its reason read with it; what was typed is kept.
    date_input = re.search(r'<input id="dateOfBirth"[^>]*>', young.text)
    assert date_input
    assert 'value="2015-01-01"' in date_input.group(0)
    assert 'aria-invalid="true"' in date_input.group(0)
    assert 'aria-describedby="dateOfBirth-error dateOfBirth-hint"' in date_input.group(0)
    assert re.search(
        r'id="dateOfBirth-error">Applicants must be 18 or older on the day they apply\.</p>',
        young.text,
    )
    assert 'value="Mária"' in young.text
    assert 'id="lived-CONSUMER" name="livedExperience" value="CONSUMER" required checked' in (
        young.text
    )
    assert "choose both documents again" in words

    png = await apply(console, files={**BOTH, "governmentId": ("id.png", PNG, "image/png")})
    assert png.status_code == 422
    assert re.search(r'id="governmentId-error">This file is not a JPEG or a PDF\.', png.text)

    # A file input left empty: the browser sends a part with no name and no bytes.
    unchosen = await apply(
        console, files={**BOTH, "diploma": ("", b"", "application/octet-stream")}
    )
    assert unchosen.status_code == 422
    assert re.search(r'id="diploma-error">No file was chosen, or it is empty\.', unchosen.text)

    unticked = await apply(console, codeOfEthicsAgreed="")
    assert unticked.status_code == 422
    assert 'id="codeOfEthicsAgreed-error"' in unticked.text

    sent = await apply(console)
    assert (sent.status_code, sent.headers["location"]) == (303, "/me?done=submitted")
    page = text_of((await console.client.get("/me?done=submitted")).text)
    assert "Done: your application was sent to the board." in page
    assert "Application submitted on 10 March 2026: Submitted" in page
    assert "10 March 2026 Submitted today" in page
    assert "9 April 2026 The board's first notice is due 30 days left" in page
    assert (
        "Your documents Document Version File Sent on "
        "Diploma or equivalent 1 diploma.pdf 10 March 2026 "
        "Government-issued photo ID 1 id.jpg 10 March 2026"
    ) in page
    # One open application at a time: the gateway's refusal, in words.
    again = await apply(console)
    assert "You already have an open application." in text_of(again.text)


async def test_the_applicant_answers_a_revision_with_the_missing_document(
    console: Console, mint: Minter
) -> None:
    staff = mint("staff", "sam")
    await set_clock(console.system, staff, "2026-03-10T17:00:00+00:00")
    await console.sign_in("applicant", "alice")
    assert (await apply(console)).status_code == 303
    mine = await data_of(
        console.system, "{ me { applications { id version } } }", token=mint("applicant", "alice")
    )
    application = mine["me"]["applications"][0]
    await data_of(
        console.system, REVISE, {"id": application["id"], "v": application["version"]}, token=staff
    )
    page = await console.client.get("/me")
    words = text_of(page.text)
    assert "Incomplete: something is missing" in words
    assert (
        "What is missing A government-issued photo ID "
        "The board's note: The photo is too dark to read."
    ) in words
    assert "8 June 2026 Last day to complete the application 90 days left" in words
    upload_to = f"/me/applications/{application['id']}/documents"
    assert f'action="{upload_to}"' in page.text
    token = await console.csrf("/me")

    wrong = await console.client.post(
        upload_to,
        data={"kind": "GOVERNMENT_ID", "csrf_token": token},
        files={"file": ("id.png", PNG, "image/png")},
    )
    assert wrong.status_code == 422
    assert "This file is not a JPEG or a PDF." in text_of(wrong.text)
    assert 'aria-invalid="true"' in wrong.text

    sent = await console.client.post(
        upload_to,
        data={"kind": "GOVERNMENT_ID", "csrf_token": token},
        files={"file": ("id-2.jpg", JPEG, "image/jpeg")},
    )
    assert (sent.status_code, sent.headers["location"]) == (303, "/me?done=uploaded")
    page = await console.client.get("/me?done=uploaded")
    words = text_of(page.text)
    assert "Done: the document was added to your application." in words
    assert "Government-issued photo ID 2 id-2.jpg" in words
    version = re.search(r'name="expectedVersion" value="(\d+)"', page.text)
    assert version
    back = await console.client.post(
        f"/me/applications/{application['id']}/resubmit",
        data={"expectedVersion": version.group(1), "csrf_token": token},
    )
    assert (back.status_code, back.headers["location"]) == (303, "/me?done=resubmitted")
    words = text_of((await console.client.get("/me?done=resubmitted")).text)
    assert "Done: your application was sent back to the board." in words
    assert "Resubmitted" in words
    assert "What is missing Nothing is missing." in words

    stale = await console.client.post(
        f"/me/applications/{application['id']}/resubmit",
        data={"expectedVersion": version.group(1), "csrf_token": token},
    )
    assert stale.status_code == 422
    assert "Not done: the board's system refused it." in text_of(stale.text)


def test_every_applicant_post_checks_csrf() -> None:
    posts = [r for r in applicant.router.routes if isinstance(r, APIRoute) and "POST" in r.methods]
    assert {r.path for r in posts} == {
        "/apply",
        "/me/applications/{application_id}/documents",
        "/me/applications/{application_id}/resubmit",
        "/me/applications/{application_id}/exam",
    }
    for route in posts:
        assert any(d.call is require_csrf for d in route.dependant.dependencies), route.path


async def test_other_roles_and_forged_forms_are_refused(console: Console) -> None:
    await console.sign_in("staff", "sam")
    refused = await console.client.get("/apply")
    assert refused.status_code == 403
    assert "This page is for applicants. You are signed in as staff." in text_of(refused.text)
    forged = await console.client.post("/apply", data={**MARIA, "csrf_token": "forged"})
    assert forged.status_code == 403


async def test_a_body_past_the_cap_is_refused_in_words(
    console: Console, dev_data_dir: Path
) -> None:
    app = console_app(console.system, dev_data_dir, max_request_bytes=4096)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web") as web,
    ):
        token = re.search(r'name="csrf_token" value="([^"]+)"', (await web.get("/")).text)
        assert token

        async def chunks() -> Any:
            yield b'--x\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            yield token.group(1).encode() + b"\r\n--x\r\n"
            yield b'Content-Disposition: form-data; name="diploma"; filename="d.pdf"\r\n\r\n'
            for _ in range(10):
                yield b"0" * 1024

        declared = await web.post("/apply", content=b"0" * 5000)
        streamed = await web.post(
            "/apply",
            content=chunks(),
            headers={"Content-Type": "multipart/form-data; boundary=x"},
        )
    # Refused before the body is read (declared), or once it passes the cap (streamed).
    for refused in (declared, streamed):
        assert refused.status_code == 413
        assert "This form carried more than the site accepts" in text_of(refused.text)
        assert refused.headers["content-security-policy"].startswith("default-src 'self'")
