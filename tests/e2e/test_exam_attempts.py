"""Exam results through the gateway: a vendor records, candidates read at once, staff send the
notice, analyse the form and correct a key; the key never shows in a response or a log line."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from certboard_core.outbox import OutboxEvent
from certboard_core.testing.plugin import T0
from exams.authorization.models import DeliveryMode, ExamAuthorization, RequestKind
from exams.form.models import ExamForm, ExamItem, FormStatus, Language

from .conftest import System
from .helpers import advance_clock, error_of, set_clock

# 120 items in two domains; the key as one string is what must never leak.
KEY = "".join("ABCD"[(n * 7 + n // 5) % 4] for n in range(1, 121))
DOMAINS = ["ethics"] * 40 + ["recovery"] * 80
RESULT = """
fragment R on ExamAttempt {
  id correct total percent passed passMarkPercent version resultNoticeDueOn resultNoticeSentAt
  domains { domain correct total percent }
}
"""
RECORD = (
    RESULT
    + """
mutation($a: ExamAttemptInput!) { recordExamAttempt(attempt: $a) { ...R } }
"""
)
READ = RESULT + "query($id: ID!) { examAttempt(id: $id) { ...R } }"
AUTHORIZATION = RESULT + "query($id: ID!) { examAuthorization(id: $id) { status result { ...R } } }"
QUEUE = "{ resultNoticeQueue { unsent breaches items { id resultNoticeDueOn } } }"
SEND = """
mutation($id: ID!, $v: Int!) {
  sendResultNotice(id: $id, expectedVersion: $v) { resultNoticeSentAt }
}
"""
ANALYSIS = """
query($id: ID!) { itemAnalysis(formId: $id) { attempts kr20 flags items { number p flags } } }
"""
CORRECT = """
mutation($id: ID!, $v: Int!, $key: String!) {
  correctItemKey(formId: $id, itemNumber: 96, expectedVersion: $v, key: $key,
                 reason: "Item 96 had two defensible answers; the panel chose the other.") {
    rescored changed outcomeChanged formVersion
  }
}
"""


def other(letter: str) -> str:
    return "B" if letter == "A" else "A"


def responses(right: int) -> list[dict[str, Any]]:
    """The first ``right`` items answered right, the rest wrong."""
    return [
        {"item": n, "option": KEY[n - 1] if n <= right else other(KEY[n - 1])}
        for n in range(1, 121)
    ]


async def exam_rows(system: System, applicants: list[str]) -> tuple[ExamForm, list[str]]:
    """A live form and an authorization per applicant, written into the exams database (their
    own APIs are built alongside)."""
    form = ExamForm(
        language=Language.ENGLISH,
        edition="2026-E2E",
        status=FormStatus.LIVE,
        item_count=120,
        created_by="staff:sam",
        created_at=T0,
    )
    ids = []
    async with system.services["exams"].state.sessions() as session:
        session.add(form)
        await session.flush()
        for n in range(1, 121):
            session.add(ExamItem(form_id=form.id, number=n, domain=DOMAINS[n - 1], key=KEY[n - 1]))
        for who in applicants:
            row = ExamAuthorization(
                application_id=uuid.uuid4(),
                applicant_id=who,
                kind=RequestKind.FIRST,
                language=Language.ENGLISH,
                delivery_mode=DeliveryMode.ONLINE_PROCTORED,
                fee_reference=f"fee-{who}",
                requested_by=who,
                granted_at=T0,
                granted_on=T0.date(),
                valid_through=T0.date() + timedelta(days=90),
                review_due_on=T0.date() + timedelta(days=14),
                form_id=form.id,
            )
            session.add(row)
            ids.append(str(row.id))
        await session.commit()
    return form, ids


async def events(system: System, kind: str) -> list[dict[str, Any]]:
    async with system.services["exams"].state.sessions() as session:
        rows = await session.exec(select(OutboxEvent).where(OutboxEvent.type == kind))
        return [e.payload for e in rows.all()]


async def test_results_notices_analysis_and_a_key_correction(
    system: System, mint, capfd: pytest.CaptureFixture[str]
) -> None:
    staff, vendor = mint("staff", "sam"), mint("service", "vendor-pv")
    alice, bob = mint("applicant", "alice"), mint("applicant", "bob")
    await set_clock(system, staff, (T0 + timedelta(hours=2)).isoformat())
    form, (for_alice, for_bob) = await exam_rows(system, ["alice", "bob"])
    seen: list[str] = []

    async def ok(query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
        response = await system.gql(query, variables, token=token)
        seen.append(response.text)
        body = response.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    taken = T0.isoformat()
    passed = (
        await ok(
            RECORD,
            {"a": {"authorizationId": for_alice, "takenAt": taken, "responses": responses(96)}},
            vendor,
        )
    )["recordExamAttempt"]
    failed = (
        await ok(
            RECORD,
            {"a": {"authorizationId": for_bob, "takenAt": taken, "responses": responses(95)}},
            staff,
        )
    )["recordExamAttempt"]
    assert (passed["correct"], passed["percent"], passed["passed"]) == (96, "80.00", True)
    assert (failed["correct"], failed["percent"], failed["passed"]) == (95, "79.16", False)

    # Each candidate reads their result at once, per domain; not the other's.
    mine = (await ok(READ, {"id": failed["id"]}, bob))["examAttempt"]
    assert mine["domains"] == [
        {"domain": "ethics", "correct": 40, "total": 40, "percent": "100.00"},
        {"domain": "recovery", "correct": 55, "total": 80, "percent": "68.75"},
    ]
    # The authorization (as the status view lists it) carries the same result.
    held = (await ok(AUTHORIZATION, {"id": for_bob}, bob))["examAuthorization"]
    assert (held["status"], held["result"]) == ("ATTEMPTED", mine)
    hidden = await error_of(system, READ, {"id": failed["id"]}, token=alice)
    assert hidden["code"] == "NOT_FOUND"
    again = await error_of(
        system,
        RECORD,
        {"a": {"authorizationId": for_bob, "takenAt": taken, "responses": []}},
        token=staff,
    )
    assert again["code"] == "TRANSITION_NOT_ALLOWED"

    # The formal notice: queued by due day, refused before day 7, sent once.
    queue = (await ok(QUEUE, {}, staff))["resultNoticeQueue"]
    assert (queue["unsent"], queue["breaches"]) == (2, 0)
    assert {i["resultNoticeDueOn"] for i in queue["items"]} == {"2026-03-24"}
    early = await error_of(system, SEND, {"id": failed["id"], "v": failed["version"]}, token=staff)
    assert early["code"] == "RESULT_NOTICE_TOO_EARLY"
    await advance_clock(system, staff, days=7)
    sent = (await ok(SEND, {"id": failed["id"], "v": failed["version"]}, staff))["sendResultNotice"]
    assert sent["resultNoticeSentAt"] is not None
    (notice,) = await events(system, "exam.result_notice_sent")
    assert (notice["applicant_id"], notice["passed"], notice["percent"]) == ("bob", False, "79.16")

    stats = (await ok(ANALYSIS, {"id": str(form.id)}, staff))["itemAnalysis"]
    assert stats["attempts"] == 2
    assert stats["items"][95] == {"number": 96, "p": "0.5000", "flags": []}

    # Bob's answer to item 96 was right after all: he passes, Alice (who chose the old key) fails.
    corrected = (
        await ok(CORRECT, {"id": str(form.id), "v": form.version, "key": other(KEY[95])}, staff)
    )["correctItemKey"]
    assert corrected == {"rescored": 2, "changed": 2, "outcomeChanged": 2, "formVersion": 2}
    now_bob = (await ok(READ, {"id": failed["id"]}, bob))["examAttempt"]
    assert (now_bob["correct"], now_bob["percent"], now_bob["passed"]) == (96, "80.00", True)
    now_alice = (await ok(READ, {"id": passed["id"]}, alice))["examAttempt"]
    assert (now_alice["correct"], now_alice["passed"]) == (95, False)
    changed = {e["applicant_id"]: e for e in await events(system, "exam.result_changed")}
    assert (changed["bob"]["previous_passed"], changed["bob"]["passed"]) == (False, True)
    assert (changed["alice"]["previous_correct"], changed["alice"]["correct"]) == (96, 95)
    assert sorted(e["applicant_id"] for e in await events(system, "exam.passed")) == [
        "alice",
        "bob",
    ]

    # The key is in no answer, event or log line.
    logged = capfd.readouterr()
    every_event = json.dumps(
        [
            await events(system, k)
            for k in ("exam.passed", "exam.result_changed", "exam.result_notice_sent")
        ]
    )
    for text in [*seen, every_event, logged.out, logged.err]:
        assert KEY not in text
        assert KEY[80:] not in text
