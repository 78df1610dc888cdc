"""Item analysis over HTTP against the hand computation, and a key correction that rescores,
records each change, notifies changed outcomes and never writes the key anywhere."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from certboard_core.testing.plugin import Minter, bearer
from exams.attempt.models import ExamAttempt, ResultChange
from exams.form.models import ExamForm, ExamItem, FormStatus

from .conftest import Record
from .factories import Rows

# Four items, keys A B C D; the five candidates of test_analysis.py (item 4 miskeyed).
SMALL = [("d1", "A"), ("d1", "B"), ("d2", "C"), ("d2", "D")]
MARKS = [[1, 1, 1, 0], [1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 1], [0, 0, 0, 1]]


def answers(row: list[int], *, item4: str = "A") -> dict[str, str]:
    """Right where the row says 1, wrong (E) elsewhere; item 4's wrong answer is ``item4``."""
    out = {
        str(n): key if mark else "E"
        for n, ((_, key), mark) in enumerate(zip(SMALL, row, strict=True), start=1)
    }
    if not row[3]:
        out["4"] = item4
    return out


async def small_form(rows: Rows, record: Record) -> tuple[ExamForm, list[dict[str, Any]]]:
    form = await rows.form(SMALL)
    recorded = []
    for i, row in enumerate(MARKS):
        authorization = await rows.authorization(f"cand-{i}", form_id=form.id)
        answer = await record(authorization, responses=answers(row))
        assert answer.status_code == 201, answer.text
        recorded.append(answer.json())
    return form, recorded


async def test_item_analysis_matches_the_hand_computation(
    rows: Rows, record: Record, client: httpx.AsyncClient, mint: Minter
) -> None:
    form, _ = await small_form(rows, record)
    # A vendor's score on the same form has no items: it is left out.
    other = await rows.authorization("vendor-cand", form_id=form.id)
    vendor = {
        "correct": 2,
        "total": 4,
        "domains": [
            {"domain": "d1", "correct": 1, "total": 2},
            {"domain": "d2", "correct": 1, "total": 2},
        ],
        "reference": "PV-9",
    }
    assert (await record(other, vendor_score=vendor)).status_code == 201
    answer = await client.get(
        f"/v1/exam-forms/{form.id}/item-analysis", headers=bearer(mint("staff", "sam"))
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["attempts"] == 5
    assert [
        (i["number"], i["domain"], i["correct"], i["p"], i["point_biserial"], i["flags"])
        for i in body["items"]
    ] == [
        (1, "d1", 4, "0.8000", "0.4082", []),
        (2, "d1", 3, "0.6000", "0.1666", ["low_discrimination"]),
        (3, "d2", 2, "0.4000", "0.4082", []),
        (4, "d2", 2, "0.4000", "-0.9101", ["low_discrimination", "likely_miskey"]),
    ]
    assert (body["kr20"], body["flags"]) == ("-0.7620", ["low_reliability"])
    assert "key" not in walk_keys(body)


async def test_item_analysis_of_a_form_without_attempts(
    rows: Rows, client: httpx.AsyncClient, mint: Minter
) -> None:
    form = await rows.form(SMALL)
    body = (
        await client.get(
            f"/v1/exam-forms/{form.id}/item-analysis", headers=bearer(mint("staff", "sam"))
        )
    ).json()
    assert body["attempts"] == 0
    assert body["kr20"] is None
    assert body["items"][0] == {
        "number": 1,
        "domain": "d1",
        "correct": 0,
        "p": None,
        "point_biserial": None,
        "flags": [],
    }


def walk_keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in walk_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in walk_keys(v)}
    return set()


async def test_a_key_correction_rescores_and_notifies(
    rows: Rows, record: Record, client: httpx.AsyncClient, mint: Minter
) -> None:
    form, recorded = await small_form(rows, record)
    staff = bearer(mint("staff", "sam"))
    path = f"/v1/exam-forms/{form.id}/items/4/key-correction"
    # Candidates 0-2 chose A on item 4, the right answer; the key said D.
    body = {
        "expected_version": form.version,
        "key": "a",
        "reason": "Item 4 was miskeyed (ticket 77).",
    }
    answer = await client.post(path, json=body, headers=staff)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "form_id": str(form.id),
        "item_number": 4,
        "form_version": form.version + 1,
        "rescored": 5,
        "changed": 5,
        "outcome_changed": 2,
    }
    item = await rows.get(ExamItem, (form.id, 4))
    assert item.key == "A"
    by_id = {a.id: a for a in await rows.all(ExamAttempt)}
    # 0 and 1: 3/4 -> 4/4 (a pass at 80%: was a fail); 2: 2/4 -> 3/4 (still a fail);
    # 3 and 4: lost item 4 (3: 2/4 -> 1/4; 4: 1/4 -> 0/4).
    assert [
        (by_id[_id(r)].correct, by_id[_id(r)].passed, by_id[_id(r)].version) for r in recorded
    ] == [(4, True, 2), (4, True, 2), (3, False, 2), (1, False, 2), (0, False, 2)]
    changes = await rows.all(ResultChange)
    assert sorted((c.previous_correct, c.correct) for c in changes) == [
        (1, 0),
        (2, 1),
        (2, 3),
        (3, 4),
        (3, 4),
    ]
    assert {c.reason for c in changes} == {body["reason"]}
    changed_events = await rows.events("exam.result_changed")
    assert sorted(e["applicant_id"] for e in changed_events) == ["cand-0", "cand-1"]
    assert changed_events[0] | {
        "attempt_id": None,
        "application_id": None,
        "applicant_id": None,
    } == {
        "attempt_id": None,
        "application_id": None,
        "applicant_id": None,
        "previous_passed": False,
        "passed": True,
        "previous_correct": 3,
        "correct": 4,
        "total": 4,
        "reason": body["reason"],
    }
    assert sorted(e["applicant_id"] for e in await rows.events("exam.passed")) == [
        "cand-0",
        "cand-1",
    ]
    (audit,) = await rows.audits("form.key_corrected")
    assert audit.after is not None
    assert audit.after["key_correction"] == {
        "item_number": 4,
        "domain": "d2",
        "reason": body["reason"],
    }
    assert audit.before is not None
    assert "key_correction" not in audit.before
    assert "key" not in walk_keys(audit.before) | walk_keys(audit.after)
    # The candidate reads the new result; a stale correction is refused.
    mine = await client.get(
        f"/v1/attempts/{recorded[0]['id']}", headers=bearer(mint("applicant", "cand-0"))
    )
    assert (mine.json()["correct"], mine.json()["percent"], mine.json()["passed"]) == (
        4,
        "100.00",
        True,
    )
    stale = await client.post(path, json={**body, "key": "B"}, headers=staff)
    assert stale.json()["error"]["code"] == "VERSION_CONFLICT"


def _id(recorded: dict[str, Any]) -> uuid.UUID:
    return uuid.UUID(recorded["id"])


async def test_correction_refusals(rows: Rows, client: httpx.AsyncClient, mint: Minter) -> None:
    staff = bearer(mint("staff", "sam"))
    live = await rows.form(SMALL)
    same = await client.post(
        f"/v1/exam-forms/{live.id}/items/1/key-correction",
        json={"expected_version": 1, "key": "A", "reason": "x"},
        headers=staff,
    )
    assert (same.status_code, same.json()["error"]["code"]) == (409, "KEY_UNCHANGED")
    # The refusal does not repeat the key.
    assert '"A"' not in same.text
    missing = await client.post(
        f"/v1/exam-forms/{live.id}/items/9/key-correction",
        json={"expected_version": 1, "key": "A", "reason": "x"},
        headers=staff,
    )
    assert missing.status_code == 404
    draft = await rows.form(SMALL, status=FormStatus.DRAFT)
    edited = await client.post(
        f"/v1/exam-forms/{draft.id}/items/1/key-correction",
        json={"expected_version": 1, "key": "B", "reason": "x"},
        headers=staff,
    )
    assert edited.json()["error"]["code"] == "TRANSITION_NOT_ALLOWED"
    no_reason = await client.post(
        f"/v1/exam-forms/{live.id}/items/1/key-correction",
        json={"expected_version": 1, "key": "B", "reason": "  "},
        headers=staff,
    )
    assert no_reason.json()["error"]["field"] == "reason"
    applicant = await client.post(
        f"/v1/exam-forms/{live.id}/items/1/key-correction",
        json={"expected_version": 1, "key": "B", "reason": "x"},
        headers=bearer(mint("applicant", "alice")),
    )
    assert applicant.status_code == 403
    assert (await rows.get(ExamItem, (live.id, 1))).key == "A"
    assert (await rows.get(ExamForm, live.id)).version == 1
