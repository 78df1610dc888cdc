"""The REST calls that make a candidate ready for the exam and a form to sit, through any
client of one service: the in-process apps of the e2e tests, or the real processes of
``tests/processes`` (which import this module; it imports no fixtures)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import httpx

from certboard_core.testing.plugin import bearer

# The key of every form ``exam_form`` makes: item n (from 1) is keyed FORM_KEY[n - 1].
FORM_KEY = "".join("ABCD"[n % 4] for n in range(1, 121))


async def academy(applications: httpx.AsyncClient, staff: str, name: str) -> tuple[str, str]:
    """A training provider staff add, with an 80-hour program: (its id, the program's id)."""
    provider = await applications.post("/v1/providers", json={"name": name}, headers=bearer(staff))
    assert provider.status_code == 201, provider.text
    program = await applications.post(
        f"/v1/providers/{provider.json()['id']}/programs",
        json={"name": "Peer Support Core", "hours": 80},
        headers=bearer(staff),
    )
    assert program.status_code == 201, program.text
    return provider.json()["id"], program.json()["id"]


async def exam_form(
    exams: httpx.AsyncClient, staff: str, edition: str, *, live: bool
) -> dict[str, Any]:
    """A form of the policy's 120 English items keyed ``FORM_KEY``, as staff make it: a draft,
    or published (``live``); its view."""
    items = [
        {"number": n, "domain": ("Ethics", "Recovery")[n % 2], "key": key}
        for n, key in enumerate(FORM_KEY, start=1)
    ]
    body = {"language": "en", "edition": edition, "items": items}
    made = await exams.post("/v1/exam-forms", json=body, headers=bearer(staff))
    assert made.status_code == 201, made.text
    form: dict[str, Any] = made.json()
    if live:
        move = {"expected_version": form["version"]}
        published = await exams.post(
            f"/v1/exam-forms/{form['id']}/publish", json=move, headers=bearer(staff)
        )
        assert published.status_code == 200, published.text
        form = published.json()
    return form


async def ready_for_exam(
    applications: httpx.AsyncClient,
    application: dict[str, Any],
    *,
    staff: str,
    provider: tuple[str, str, str],
    completed_on: date,
    paid_at: datetime,
) -> None:
    """Make an approved ``application`` meet applications' conditions of an exam request: the
    provider sends the applicant's training certificate, staff accept it and record the exam
    fee. ``provider``: (its token, its id, the id of one of its programs)."""
    token, provider_id, program_id = provider
    row = {
        "certificate_id": f"EXAM-{application['id']}",
        "legal_name": "Maria Lopez",
        "date_of_birth": "1990-05-17",
        "email": "maria.lopez@example.org",
        "program_id": program_id,
        "completion_date": completed_on.isoformat(),
        "hours": 80,
        "applicant_id": application["applicant_id"],
    }
    sent = await applications.post(
        f"/v1/providers/{provider_id}/certificates",
        json={"certificates": [row]},
        headers=bearer(token),
    )
    assert sent.status_code == 200, sent.text
    [stored] = sent.json()["results"]
    assert stored["outcome"] == "accepted", stored
    accepted = await applications.post(
        f"/v1/certificates/{stored['id']}/accept",
        json={"expected_version": 1},  # as the provider sent it
        headers=bearer(staff),
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["application_id"] == application["id"], accepted.text
    fee = {
        "kind": "exam",
        "amount_cents": 15000,
        "reference": f"exam-{application['id']}",
        "paid_at": paid_at.isoformat(),
    }
    paid = await applications.post(
        f"/v1/applications/{application['id']}/payments", json=fee, headers=bearer(staff)
    )
    assert paid.status_code == 201, paid.text
