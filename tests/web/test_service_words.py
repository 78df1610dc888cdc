"""The services' own rules and reasons on a Spanish page: Spanish words keyed by the stable
code each comes with (``web.messages_service``), the service's English marked ``lang="en"``
only where no code is known."""

from __future__ import annotations

import re

from certboard_core.testing.plugin import Minter
from web import i18n

from .conftest import Console
from .test_pages import certified, text_of


async def test_a_spanish_page_shows_the_status_rule_and_a_refusal_in_spanish(
    console: Console, mint: Minter
) -> None:
    number = await certified(console.system, mint)
    read = await console.system.gql(
        "{ me { applications { id } } }", token=mint("applicant", "alice")
    )
    application = read.json()["data"]["me"]["applications"][0]["id"]
    await console.sign_in("applicant", "alice")
    await console.client.post("/language", data={"lang": "es", "csrf_token": await console.csrf()})

    page = await console.client.get("/me")
    words = text_of(page.text)
    assert (
        f"Número {number} Estado Vigente vigente hasta que se abre el período de renovación, "
        "unos días antes del último día de validez Emitida el 4 de mayo de 2026"
    ) in words
    assert "de 2028. La renovación se abre el 3 de febrero de 2028. Educación continua" in words
    # English is left only where the service gives no code: the letters as sent, and the
    # CE carry-over note.
    english = re.findall(r'<(?:span|p|strong) lang="en">([^<]*)<', page.text)
    assert english[-1] == "no hours beyond the requirement: nothing carries over"
    assert not [e for e in english if "renew" in e or "active" in e]

    # Certified already: each unmet condition of the request comes with its code.
    refused = await console.client.post(
        f"/me/applications/{application}/exam",
        data={
            "language": "SPANISH",
            "deliveryMode": "TEST_CENTRE",
            "key": f"{application}-0",
            "csrf_token": await console.csrf("/me"),
        },
    )
    assert refused.status_code == 422
    assert re.findall(r'<li class="error" data-code="([A-Z_]+)">([^<]*)</li>', refused.text) == [
        (
            "EXAM_NOT_ELIGIBLE",
            "El examen no se puede solicitar ahora: la solicitud no está aprobada; no hay un "
            "certificado de capacitación aceptado y vigente hoy; no consta una cuota de examen "
            "sin usar para esta solicitud",
        )
    ]


def test_a_text_without_a_known_code_stays_in_english_marked_as_such() -> None:
    assert i18n.said("es", "reason.NEW_ONE", "a <new> reason") == (
        '<span lang="en">a &lt;new&gt; reason</span>'
    )
    assert i18n.said("es", None, "no code") == '<span lang="en">no code</span>'
    assert i18n.said("en", "rule.ACTIVE", "active: until <x>") == "active: until &lt;x&gt;"
    assert i18n.said(
        "es", "renewal.RENEWAL_NOT_OPEN", "renewal opens on 2028-02-03", opens="3"
    ) == ("La renovación se abre el 3.")
