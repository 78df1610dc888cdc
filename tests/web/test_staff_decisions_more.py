"""The staff decisions beyond the first lists', over the in-process system: an exam
authorization's schedule cancelled, a vendor fault refused and the authorization voided from
its own page; a renewal recorded from the list of certifications ending; CE audits drawn with
the seed shown. Each refused at its field with what was typed kept, or shown stale."""

from __future__ import annotations

import re

from applications.renewal.categories import CeCategory
from certboard_core.testing.plugin import Minter
from tests.e2e.helpers import approved_application, data_of, set_clock
from tests.e2e.test_certification import pass_from_exams
from tests.e2e.test_exam_authorizations import SCHEDULE, exam_input, ready
from tests.e2e.test_renewal import FEE, earned

from .conftest import Console
from .test_pages import text_of
from .test_staff_lists import REQUEST, hidden_of, items_of


async def test_an_authorization_cancelled_refused_and_voided_from_its_own_page(
    console: Console, mint: Minter
) -> None:
    staff, ann = mint("staff", "sam"), mint("applicant", "ann")
    await set_clock(console.system, staff, "2026-03-10T17:00:00+00:00")
    application = await ready(console.system, mint)
    granted = (await data_of(console.system, REQUEST, exam_input(application), token=ann))[
        "requestExam"
    ]
    when = {"scheduledOn": "2026-04-01", "scheduledAtTime": "10:00", "site": "Hall B"}
    scheduled = {"id": granted["id"], "v": granted["version"], "input": when}
    await data_of(console.system, SCHEDULE, scheduled, token=staff)
    await console.sign_in("staff", "sam")
    # Scheduled, it has left the list; the application's page leads to it.
    assert items_of((await console.client.get("/staff/exams/scheduling")).text) == []
    found = await console.client.get(f"/staff/applications/{application}")
    assert (
        "Exam authorizations First attempt, in English : Scheduled , Scheduled 1 April 2026"
    ) in text_of(found.text)
    path = f"/staff/exams/scheduling/{granted['id']}"
    assert f'href="{path}"' in found.text
    page = await console.client.get(path)
    assert "Exam of ann Due: 24 March 2026 · 14 days left Status: Scheduled" in text_of(page.text)

    def form(html: str, decision: str) -> dict[str, str]:
        return hidden_of(html, granted["id"], decision)

    assert form(page.text, "record-vendor-fault")["alone"] == "true"
    refused = await console.client.post(
        f"{path}/record-vendor-fault",
        data={**form(page.text, "record-vendor-fault"), "incident": " ", "reason": "Power cut"},
    )
    assert refused.status_code == 422
    assert "Not done: Record a test vendor fault was refused. Field incident" in text_of(
        refused.text
    )
    assert ">Power cut</textarea>" in refused.text
    cancelled = await console.client.post(
        f"{path}/cancel-schedule", data=form(page.text, "cancel-schedule")
    )
    assert (cancelled.status_code, cancelled.headers["location"]) == (
        303,
        f"{path}?done=cancel-schedule",
    )
    after = await console.client.get(cancelled.headers["location"])
    words = text_of(after.text)
    assert "Done: the schedule is cancelled; the window stays." in words
    assert "Status: Granted: to schedule" in words
    void = {"reason": "Requested in the wrong language."}
    stale = await console.client.post(
        f"{path}/void-authorization", data={**form(page.text, "void-authorization"), **void}
    )
    assert stale.status_code == 409
    assert "(you read version 2; it is now version 3). Nothing was changed." in text_of(stale.text)
    assert ">Requested in the wrong language.</textarea>" in stale.text
    voided = await console.client.post(
        f"{path}/void-authorization", data={**form(stale.text, "void-authorization"), **void}
    )
    assert voided.status_code == 303
    assert "Status: Voided" in text_of((await console.client.get(path)).text)
    # The one issued in its place is on the list to schedule.
    (issued,) = items_of((await console.client.get("/staff/exams/scheduling")).text)
    assert issued != granted["id"]
    for unknown in ("01a2322c-e945-7dba-80f6-51a755224bff", "nope"):
        missing = await console.client.get(f"/staff/exams/scheduling/{unknown}")
        assert missing.status_code == 404, unknown


async def test_a_renewal_recorded_and_its_period_drawn_for_audit(
    console: Console, mint: Minter
) -> None:
    staff = mint("staff", "sam")
    await set_clock(console.system, staff, "2026-03-10T17:00:00+00:00")
    application = await approved_application(console.system, mint)
    await pass_from_exams(console.system, application, "2026-05-04")
    await set_clock(console.system, staff, "2028-05-01T17:00:00+00:00")
    await console.sign_in("staff", "sam")
    page = await console.client.get("/staff/renewals")
    (certification,) = items_of(page.text)
    path = f"/staff/renewals/{certification}/renew"
    hidden = hidden_of(page.text, certification, "renew")
    refused = await console.client.post(path, data={**hidden, "ceAttested": "true"})
    assert refused.status_code == 422
    words = text_of(refused.text)
    assert "Not done: Renew was refused." in words
    assert 'name="ceAttested" value="true" checked' in refused.text
    assert (
        "Field code_of_ethics_signed : The board's system refused this request: sign the Code of "
        "Ethics again; the renewal fee of 80.00 is not recorded; the CE ledger is 20 h short "
        "(including 6 h of law and ethics)"
    ) in words
    assert 'name="codeOfEthicsSigned" value="true" aria-invalid="true">' in refused.text
    await earned(
        console.system,
        ("2027-02-01", 1400, CeCategory.GENERAL),
        ("2027-09-01", 600, CeCategory.LAW_AND_ETHICS),
    )
    await data_of(console.system, FEE, {"id": application["id"]}, token=staff)
    attested = {"ceAttested": "true", "codeOfEthicsSigned": "true"}
    renewed = await console.client.post(path, data={**hidden, **attested})
    assert renewed.status_code == 303, text_of(renewed.text)
    after = await console.client.get(renewed.headers["location"])
    assert "Done: the certification is renewed." in text_of(after.text)
    assert items_of(after.text) == []

    audits = await console.client.get("/staff/ce/audits")
    draw = {**hidden_of(audits.text, "", "draw-audits"), "periodsFrom": "2028-05-01"}
    backwards = await console.client.post(
        "/staff/ce/audits/draw-audits", data={**draw, "periodsTo": "2028-04-30", "seed": "42"}
    )
    assert backwards.status_code == 422
    assert "Field periods_to : " in text_of(backwards.text)
    assert re.search(
        r'name="periodsTo" type="date" value="2028-04-30" required aria-invalid', backwards.text
    )
    assert ">42</textarea>" in backwards.text
    draw["periodsTo"] = "2028-05-31"
    early = await console.client.post("/staff/ce/audits/draw-audits", data={**draw, "seed": "42"})
    assert early.status_code == 422
    assert "AUDIT_PERIOD_OPEN" in early.text
    await set_clock(console.system, staff, "2029-01-15T17:00:00+00:00")
    drawn = await console.client.post("/staff/ce/audits/draw-audits", data={**draw, "seed": "42"})
    assert drawn.status_code == 200
    words = text_of(drawn.text)
    assert "Done: the CE audits are drawn." in words
    assert "CE audits drawn among periods ending from 1 May 2028 to 31 May 2028" in words
    # California's share is none: the renewal is counted, and no one drawn.
    assert "0 drawn of 1 renewals (0%). Seed (it repeats this draw): 42" in words
