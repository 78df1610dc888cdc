"""What staff read: training providers with their programs and CE courses, exam forms with
their domains and item analysis; and the formal result notices sent from their list."""

from __future__ import annotations

from datetime import timedelta

from certboard_core.testing.plugin import T0, Minter
from tests.e2e.helpers import advance_clock, data_of, set_clock
from tests.e2e.journeys import provider_with_program
from tests.e2e.test_exam_attempts import RECORD, exam_rows, responses

from .conftest import Console
from .test_pages import text_of
from .test_staff_lists import hidden_of, items_of

COURSE = """
mutation C($id: ID!) {
  addCeCourse(providerId: $id, name: "Ethics refresher", hours: "1.5", category: LAW_AND_ETHICS) {
    id
  }
}
"""


async def test_providers_with_their_programs_and_courses(console: Console, mint: Minter) -> None:
    staff = mint("staff", "sam")
    await set_clock(console.system, staff, "2026-03-10T17:00:00+00:00")
    provider, _ = await provider_with_program(console.system, staff, "Peer Academy")
    await data_of(console.system, COURSE, {"id": provider}, token=staff)
    await console.sign_in("staff", "sam")
    listed = await console.client.get("/staff/providers")
    assert "Peer Academy Active none 10 March 2026" in text_of(listed.text)
    assert f'href="/staff/providers/{provider}"' in listed.text
    page = await console.client.get(f"/staff/providers/{provider}")
    words = text_of(page.text)
    assert "Peer Academy Status Active Webhook none Since 10 March 2026" in words
    assert "Training programs Name Hours Status Since Peer Support Core 80 approved" in words
    assert (
        "CE courses Name Hours Category Status Change Ethics refresher 1.50 law and ethics" in words
    )
    missing = await console.client.get("/staff/providers/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    spanish = await console.client.get(
        f"/staff/providers/{provider}", headers={"Accept-Language": "es"}
    )
    assert "Programas de formación" in text_of(spanish.text)


async def test_exam_forms_item_analysis_and_result_notices(console: Console, mint: Minter) -> None:
    staff = mint("staff", "sam")
    await set_clock(console.system, staff, (T0 + timedelta(hours=2)).isoformat())
    form, (for_alice, for_bob) = await exam_rows(console.system, ["alice", "bob"])
    for authorization, right in ((for_alice, 96), (for_bob, 60)):
        attempt = {"authorizationId": authorization, "takenAt": T0.isoformat()}
        await data_of(
            console.system, RECORD, {"a": attempt | {"responses": responses(right)}}, token=staff
        )
    await console.sign_in("staff", "sam")
    forms = await console.client.get("/staff/exams/forms")
    assert "2026-E2E in English In use 120" in text_of(forms.text)
    page = await console.client.get(f"/staff/exams/forms/{form.id}")
    words = text_of(page.text)
    assert "Exam form 2026-E2E Status In use Language in English Items 120" in words
    assert "Items by domain Domain Items ethics 40 recovery 80" in words
    assert "Item analysis 2 attempts scored on this form. Reliability (KR-20):" in words
    assert "Item Domain Right p Discrimination (item-total) Flags 1 ethics 2 1.0000" in words

    notices = await console.client.get("/staff/exams/notices")
    words = text_of(notices.text)
    assert "2 notices unsent, 0 of them past their due day." in words
    assert "Exam result of alice Due: 24 March 2026 · 14 days left" in words
    assert "80.00% (pass mark 80%): passed" in words
    dashboard = text_of((await console.client.get("/staff")).text)
    assert (
        "Exam result notices to send 2 none past due 24 March 2026 "
        "30 days: 0 on 9 February 2026, 2 today, at most 2."
    ) in dashboard
    first = items_of(notices.text)[0]
    path = f"/staff/exams/notices/{first}/send-notice"
    early = await console.client.post(path, data=hidden_of(notices.text, first, "send-notice"))
    assert early.status_code == 422
    assert "the formal result notice is sent no sooner than 2026-03-17" in text_of(early.text)
    await advance_clock(console.system, staff, days=7)
    sent = await console.client.post(path, data=hidden_of(notices.text, first, "send-notice"))
    assert sent.status_code == 303, text_of(sent.text)
    after = await console.client.get(sent.headers["location"])
    assert "Done: the formal result notice is sent." in text_of(after.text)
    assert len(items_of(after.text)) == 1
