"""The changes staff make to the catalogue, over the in-process system: a training provider
approved (its secret shown once), suspended, given a program and a CE course, the course
withdrawn; an exam form imported, put in use, a key corrected and the form retired. Refused
at the field with what was typed kept; a stale version changes nothing."""

from __future__ import annotations

import re

from certboard_core.testing.plugin import Minter
from tests.e2e.helpers import set_clock
from tests.e2e.test_exam_forms import csv_file, items

from .conftest import Console
from .test_pages import text_of
from .test_staff_lists import hidden_of


async def test_a_provider_approved_suspended_and_given_programs_and_courses(
    console: Console, mint: Minter
) -> None:
    await set_clock(console.system, mint("staff", "sam"), "2026-03-10T17:00:00+00:00")
    await console.sign_in("staff", "sam")
    listed = await console.client.get("/staff/providers")
    create = {**hidden_of(listed.text, "", "create-provider"), "name": "Peer Academy"}
    bad = await console.client.post(
        "/staff/providers/new", data={**create, "webhookUrl": "not a url"}
    )
    assert bad.status_code == 422
    assert "Field webhook_url : This value is not accepted: the webhook URL must use https" in (
        text_of(bad.text)
    )
    assert 'maxlength="2000" aria-invalid="true">not a url</textarea>' in bad.text
    forged = await console.client.post(
        "/staff/providers/new", data={**create, "csrf_token": "forged"}
    )
    assert forged.status_code == 403
    created = await console.client.post("/staff/providers/new", data=create)
    assert created.status_code == 200
    words = text_of(created.text)
    assert "Done: the training provider is approved. Peer Academy Its webhook signing" in words
    assert re.search(r"<code data-secret>\S{20,}</code>", created.text)
    found = re.search(r'href="/staff/providers/([^"]+)">Peer Academy</a>', created.text)
    assert found
    path = f"/staff/providers/{found.group(1)}"
    page = await console.client.get(path)
    assert 'name="status" value="ACTIVE" required checked' in page.text

    def form(html: str, decision: str, key: str = found.group(1)) -> dict[str, str]:
        return hidden_of(html, key, decision)

    suspend = {"status": "SUSPENDED", "webhookUrl": ""}
    done = await console.client.post(
        f"{path}/update-provider", data={**form(page.text, "update-provider"), **suspend}
    )
    assert (done.status_code, done.headers["location"]) == (303, f"{path}?done=update-provider")
    after = await console.client.get(done.headers["location"])
    assert "Done: the training provider is changed." in text_of(after.text)
    assert "Status Suspended Webhook none" in text_of(after.text)
    stale = await console.client.post(
        f"{path}/update-provider", data={**form(page.text, "update-provider"), "status": "ACTIVE"}
    )
    assert stale.status_code == 409
    words = text_of(stale.text)
    assert "(you read version 1; it is now version 2). Nothing was changed." in words
    assert "Status Suspended" in words

    program = {**form(page.text, "add-program"), "name": "Peer Support Core"}
    refused = await console.client.post(f"{path}/add-program", data={**program, "hours": "80h"})
    assert refused.status_code == 422
    assert 'value="80h" required aria-invalid="true"' in refused.text
    added = await console.client.post(f"{path}/add-program", data={**program, "hours": "80"})
    assert added.status_code == 303
    course = {"name": "Ethics refresher", "hours": "1.5", "category": "LAW_AND_ETHICS"}
    added = await console.client.post(
        f"{path}/add-course", data={**form(page.text, "add-course"), **course}
    )
    assert added.status_code == 303
    page = await console.client.get(path)
    words = text_of(page.text)
    assert "Peer Support Core 80 approved" in words
    assert "Ethics refresher 1.50 law and ethics approved Withdraw" in words
    (course_id,) = re.findall(r'id="course-([^"]+)"', page.text)
    withdrawn = await console.client.post(
        f"{path}/courses/{course_id}/withdraw-course",
        data=form(page.text, "withdraw-course", course_id),
    )
    assert withdrawn.status_code == 303
    words = text_of((await console.client.get(withdrawn.headers["location"])).text)
    assert "Done: the CE course is withdrawn." in words
    assert "Ethics refresher 1.50 law and ethics withdrawn Approve again" in words


async def test_an_exam_form_imported_put_in_use_corrected_and_retired(
    console: Console, mint: Minter
) -> None:
    await console.sign_in("staff", "sam")
    listed = await console.client.get("/staff/exams/forms")
    typed = {**hidden_of(listed.text, "", "import-form"), "language": "ENGLISH"}
    bad = items()
    bad[2]["key"] = "E"
    refused = await console.client.post(
        "/staff/exams/forms/import",
        data={**typed, "edition": "2026-A"},
        files={"file": ("bad.csv", csv_file(bad), "text/csv")},
    )
    assert refused.status_code == 422
    assert "line 4, key: must be one letter, A to D" in text_of(refused.text)
    assert ">2026-A</textarea>" in refused.text
    imported = await console.client.post(
        "/staff/exams/forms/import",
        data={**typed, "edition": "2026-A"},
        files={"file": ("forma.csv", csv_file(items()), "text/csv")},
    )
    assert imported.status_code == 303
    path = imported.headers["location"].split("?")[0]
    form_id = path.rsplit("/", 1)[1]
    page = await console.client.get(imported.headers["location"])
    words = text_of(page.text)
    assert "Done: the exam form is stored as a draft." in words
    assert "Exam form 2026-A Status Draft Language in English Items 120" in words

    def form(html: str, decision: str) -> dict[str, str]:
        return hidden_of(html, form_id, decision)

    published = await console.client.post(
        f"{path}/publish-form", data=form(page.text, "publish-form")
    )
    assert published.status_code == 303
    live = await console.client.get(published.headers["location"])
    assert "Done: the exam form is in use. Exam form 2026-A Status In use" in text_of(live.text)
    stale = await console.client.post(f"{path}/retire-form", data=form(page.text, "retire-form"))
    assert stale.status_code == 409
    assert "(you read version 1; it is now version 2)" in text_of(stale.text)
    correction = {"itemNumber": "96", "key": "A", "reason": "Two defensible answers."}
    not_a_number = await console.client.post(
        f"{path}/correct-key",
        data={**form(live.text, "correct-key"), **correction, "itemNumber": "ninety"},
    )
    assert not_a_number.status_code == 422
    assert ">Two defensible answers.</textarea>" in not_a_number.text
    corrected = await console.client.post(
        f"{path}/correct-key", data={**form(live.text, "correct-key"), **correction}
    )
    assert corrected.status_code == 200, text_of(corrected.text)
    assert (
        "Item 96: 0 attempts rescored, 0 scores changed, 0 results changed (each told)."
    ) in text_of(corrected.text)
    retired = await console.client.post(
        f"{path}/retire-form", data=form(corrected.text, "retire-form")
    )
    assert retired.status_code == 303
    assert "Status Retired" in text_of((await console.client.get(path)).text)
