"""The result notice queue: unsent by due day, breaches counted, sent once from day 7."""

from __future__ import annotations

from datetime import timedelta

import httpx

from certboard_core.clock import TestClock
from certboard_core.testing.plugin import T0, Minter, bearer

from .conftest import Record
from .factories import Rows, full_form, responses

FORM = full_form()


async def test_queue_send_and_breaches(
    rows: Rows, record: Record, client: httpx.AsyncClient, mint: Minter, clock: TestClock
) -> None:
    staff = bearer(mint("staff", "sam"))
    form = await rows.form()
    early = await rows.authorization("alice", form_id=form.id)
    late = await rows.authorization(
        "bob", form_id=form.id, granted_on=T0.date() - timedelta(days=10)
    )
    # Bob sat 5 days before Alice: his notice is due first.
    bob = (
        await record(
            late,
            taken_at=(T0 - timedelta(days=5)).isoformat(),
            responses=responses(FORM, set(range(1, 97))),
        )
    ).json()
    alice = (await record(early, responses=responses(FORM, set(range(1, 51))))).json()
    queue = (await client.get("/v1/result-notices", headers=staff)).json()
    assert [a["id"] for a in queue["items"]] == [bob["id"], alice["id"]]
    assert (queue["unsent"], queue["breaches"]) == (2, 0)

    # Day 6 after Alice's attempt: too early for her notice (7 days).
    clock.set(T0 + timedelta(days=6))
    too_early = await client.post(
        f"/v1/attempts/{alice['id']}/result-notice", json={"expected_version": 1}, headers=staff
    )
    assert too_early.status_code == 409
    assert too_early.json()["error"]["code"] == "RESULT_NOTICE_TOO_EARLY"
    assert "2026-03-17" in too_early.json()["error"]["message"]

    # Day 10: Bob's notice (due 2026-03-19) is a breach from the 20th.
    clock.set(T0 + timedelta(days=10))
    counts = (await client.get("/v1/result-notices", headers=staff)).json()
    assert (counts["unsent"], counts["breaches"]) == (2, 1)
    summary = (await client.get("/v1/exam-queues/counts", headers=staff)).json()
    assert summary["result_notices"] == {"waiting": 2, "breaches": 1, "next_due_on": "2026-03-19"}
    stale = await client.post(
        f"/v1/attempts/{alice['id']}/result-notice", json={"expected_version": 7}, headers=staff
    )
    assert stale.json()["error"]["code"] == "VERSION_CONFLICT"
    sent = await client.post(
        f"/v1/attempts/{alice['id']}/result-notice", json={"expected_version": 1}, headers=staff
    )
    assert sent.status_code == 200, sent.text
    assert sent.json()["result_notice_sent_at"] == (T0 + timedelta(days=10)).isoformat().replace(
        "+00:00", "Z"
    )
    assert sent.json()["version"] == 2
    again = await client.post(
        f"/v1/attempts/{alice['id']}/result-notice", json={"expected_version": 2}, headers=staff
    )
    assert again.json()["error"]["code"] == "RESULT_NOTICE_ALREADY_SENT"
    # The queue's last days, rebuilt: Bob's waited from 5 March and is late from the 20th;
    # Alice's from the 10th until its notice went out today.
    history = (
        await client.get("/v1/exam-queues/history", params={"days": 16}, headers=staff)
    ).json()["days"]
    notices = [(d["day"], d["result_notices"], d["result_notices_late"]) for d in history]
    assert [notices[n] for n in (0, 4, 5, 14, 15)] == [
        ("2026-03-05", 1, 0),
        ("2026-03-09", 1, 0),
        ("2026-03-10", 2, 0),
        ("2026-03-19", 2, 0),
        ("2026-03-20", 1, 1),
    ]
    assert {(d["accommodations"], d["accommodations_late"]) for d in history} == {(0, 0)}
    (event,) = await rows.events("exam.result_notice_sent")
    assert event == {
        "attempt_id": alice["id"],
        "application_id": alice["application_id"],
        "applicant_id": "alice",
        "taken_on": "2026-03-10",
        "passed": False,
        "correct": 50,
        "total": 120,
        "percent": "41.66",
        "domains": alice["domains"],
    }
    (audit,) = await rows.audits("attempt.result_notice_sent")
    assert audit.actor == "staff:sam"
    queue = (await client.get("/v1/result-notices", headers=staff)).json()
    assert [a["id"] for a in queue["items"]] == [bob["id"]]
    assert (queue["unsent"], queue["breaches"]) == (1, 1)


async def test_only_staff(client: httpx.AsyncClient, mint: Minter) -> None:
    for role in ("applicant", "service", "provider"):
        refused = await client.get("/v1/result-notices", headers=bearer(mint(role, "x")))
        assert refused.status_code == 403


async def test_unknown_attempts_and_forms(client: httpx.AsyncClient, mint: Minter) -> None:
    staff = bearer(mint("staff", "sam"))
    nowhere = "00000000-0000-4000-8000-000000000000"
    for method, path, body in [
        ("POST", f"/v1/attempts/{nowhere}/result-notice", {"expected_version": 1}),
        ("GET", f"/v1/attempts/{nowhere}", None),
        ("GET", f"/v1/exam-forms/{nowhere}/item-analysis", None),
        (
            "POST",
            f"/v1/exam-forms/{nowhere}/items/1/key-correction",
            {"expected_version": 1, "key": "A", "reason": "x"},
        ),
        (
            "POST",
            "/v1/attempts",
            {"authorization_id": nowhere, "taken_at": "2026-03-10T10:00:00Z", "responses": {}},
        ),
    ]:
        answer = await client.request(method, path, json=body, headers=staff)
        assert answer.status_code == 404, (path, answer.text)
        assert answer.json()["error"]["code"] == "NOT_FOUND"
