"""Recording an attempt: scored exactly, once per authorization, inside its window."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from certboard_core.clock import TestClock
from certboard_core.testing.plugin import T0, Minter, bearer
from exams.attempt.models import ExamAttempt
from exams.authorization.models import AuthorizationStatus, ExamAuthorization
from exams.form.models import FormStatus

from .conftest import Record
from .factories import SIZES, Rows, full_form, responses

FORM = full_form()
KEY_TEXT = "".join(key for _, key in FORM)


def first(count: int) -> set[int]:
    return set(range(1, count + 1))


@pytest.mark.parametrize(
    ("correct", "passed", "percent"),
    [(95, False, "79.16"), (96, True, "80.00"), (97, True, "80.83")],
)
async def test_a_full_form_at_the_pass_mark(
    rows: Rows, record: Record, correct: int, passed: bool, percent: str
) -> None:
    form = await rows.form()
    authorization = await rows.authorization(form_id=form.id)
    answer = await record(authorization, responses=responses(FORM, first(correct)))
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["correct"], body["total"], body["percent"], body["passed"]) == (
        correct,
        120,
        percent,
        passed,
    )
    assert body["pass_mark_percent"] == 80
    assert body["source"] == "responses"
    assert body["taken_on"] == "2026-03-10"
    assert body["result_notice_due_on"] == "2026-03-24"  # 14 days
    assert body["result_notice_sent_at"] is None
    assert "responses" not in body
    assert KEY_TEXT not in answer.text
    ended = await rows.get(ExamAuthorization, authorization.id)
    assert ended.status is AuthorizationStatus.ATTEMPTED
    assert ended.ended_on == T0.date()
    assert ended.version == authorization.version + 1
    passes = await rows.events("exam.passed")
    if passed:
        assert passes == [
            {
                "attempt_id": body["id"],
                "authorization_id": str(authorization.id),
                "application_id": str(authorization.application_id),
                "applicant_id": "alice",
                "taken_on": "2026-03-10",
                "correct": correct,
                "total": 120,
            }
        ]
    else:
        assert passes == []
    (audit,) = await rows.audits("attempt.recorded")
    assert audit.after is not None
    assert "responses" not in audit.after
    assert len(await rows.audits("authorization.attempted")) == 1


async def test_the_candidate_reads_the_result_per_domain_at_once(
    rows: Rows, record: Record, client: httpx.AsyncClient, mint: Minter
) -> None:
    form = await rows.form()
    authorization = await rows.authorization("alice", form_id=form.id)
    # 95 right: ethics and recovery all, advocacy 5 of 20, communication 20 of 30.
    right = first(70) | set(range(71, 76)) | set(range(91, 111))
    recorded = (await record(authorization, responses=responses(FORM, right))).json()
    assert recorded["correct"] == 95
    assert not recorded["passed"]
    mine = await client.get(
        f"/v1/attempts/{recorded['id']}", headers=bearer(mint("applicant", "alice"))
    )
    assert mine.status_code == 200
    assert mine.json()["domains"] == [
        {"domain": "ethics", "correct": 30, "total": 30, "percent": "100.00"},
        {"domain": "recovery", "correct": 40, "total": 40, "percent": "100.00"},
        {"domain": "advocacy", "correct": 5, "total": 20, "percent": "25.00"},
        {"domain": "communication", "correct": 20, "total": 30, "percent": "66.66"},
    ]
    # Never the key, never the responses (which would tell which items were wrong).
    assert KEY_TEXT not in mine.text
    assert "responses" not in mine.json()
    listed = await client.get("/v1/attempts", headers=bearer(mint("applicant", "alice")))
    assert [a["id"] for a in listed.json()["items"]] == [recorded["id"]]
    other = mint("applicant", "bob")
    hidden = await client.get(f"/v1/attempts/{recorded['id']}", headers=bearer(other))
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "NOT_FOUND"
    assert (await client.get("/v1/attempts", headers=bearer(other))).json()["items"] == []


async def test_one_attempt_per_authorization(rows: Rows, record: Record) -> None:
    form = await rows.form()
    authorization = await rows.authorization(form_id=form.id)
    assert (await record(authorization, responses=responses(FORM, first(50)))).status_code == 201
    again = await record(authorization, responses=responses(FORM, first(120)))
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "TRANSITION_NOT_ALLOWED"
    assert "already recorded" in again.json()["error"]["message"]
    assert len(await rows.all(ExamAttempt)) == 1


@pytest.mark.parametrize(
    "status",
    [
        AuthorizationStatus.VOIDED,
        AuthorizationStatus.NO_SHOW,
        AuthorizationStatus.EXPIRED_UNUSED,
        AuthorizationStatus.VENDOR_FAULT,
    ],
)
async def test_only_an_open_authorization(
    rows: Rows, record: Record, status: AuthorizationStatus
) -> None:
    form = await rows.form()
    authorization = await rows.authorization(form_id=form.id, status=status)
    refused = await record(authorization, responses=responses(FORM, first(100)))
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "TRANSITION_NOT_ALLOWED"
    assert status.value.replace("_", " ") in refused.json()["error"]["message"]
    assert await rows.all(ExamAttempt) == []


async def test_the_window_at_its_edges(rows: Rows, record: Record, clock: TestClock) -> None:
    form = await rows.form()
    # Granted yesterday, good through day 90; the clock moves past the window's end.
    authorization = await rows.authorization(
        form_id=form.id, granted_on=T0.date() - timedelta(days=1)
    )
    clock.set(T0 + timedelta(days=100))
    before = await record(
        authorization, taken_at=(T0 - timedelta(days=2)).isoformat(), responses={}
    )
    assert before.status_code == 409
    assert before.json()["error"] == {
        "code": "ATTEMPT_OUTSIDE_WINDOW",
        "message": "the attempt's day 2026-03-08 is outside the authorization's window "
        "(2026-03-09 through 2026-06-07)",
        "field": "taken_at",
        "request_id": before.json()["error"]["request_id"],
    }
    after = await record(
        authorization, taken_at=(T0 + timedelta(days=90)).isoformat(), responses={}
    )
    assert after.json()["error"]["code"] == "ATTEMPT_OUTSIDE_WINDOW"  # 2026-06-08
    last_day = await record(
        authorization, taken_at=(T0 + timedelta(days=89)).isoformat(), responses={}
    )
    assert last_day.status_code == 201, last_day.text
    assert last_day.json()["correct"] == 0  # nothing answered


async def test_refusals_change_nothing(rows: Rows, record: Record, mint: Minter) -> None:
    form = await rows.form()
    authorization = await rows.authorization(form_id=form.id)
    future = await record(
        authorization, taken_at=(T0 + timedelta(hours=1)).isoformat(), responses={}
    )
    assert (future.status_code, future.json()["error"]["field"]) == (422, "taken_at")
    unknown = await record(authorization, responses={"1": "A", "121": "B"})
    assert unknown.json()["error"]["code"] == "EXAM_ITEM_UNKNOWN"
    assert "121" in unknown.json()["error"]["message"]
    both = await record(
        authorization,
        responses={},
        vendor_score={
            "correct": 1,
            "total": 1,
            "domains": [{"domain": "x", "correct": 1, "total": 1}],
            "reference": "v",
        },
    )
    assert both.json()["error"]["code"] == "VALIDATION_ERROR"
    letter = await record(authorization, responses={"1": "AB"})
    assert (letter.json()["error"]["code"], letter.json()["error"]["field"]) == (
        "VALIDATION_ERROR",
        "responses.1",
    )
    applicant = await record(authorization, responses={}, as_=mint("applicant", "alice"))
    assert applicant.status_code == 403
    assert await rows.all(ExamAttempt) == []
    assert (
        await rows.get(ExamAuthorization, authorization.id)
    ).status is AuthorizationStatus.GRANTED


async def test_the_form_must_be_usable(rows: Rows, record: Record) -> None:
    draft = await rows.form(status=FormStatus.DRAFT)
    live = await rows.form()
    no_form = await rows.authorization()
    missing = await record(no_form, responses={})
    assert (missing.json()["error"]["code"], missing.json()["error"]["field"]) == (
        "FORM_NOT_USABLE",
        "form_id",
    )
    assert (await record(no_form, form_id=str(draft.id), responses={})).json()["error"][
        "code"
    ] == "FORM_NOT_USABLE"
    other = await rows.authorization(form_id=draft.id)
    mismatch = await record(other, form_id=str(live.id), responses={})
    assert "another form" in mismatch.json()["error"]["message"]
    named = await record(no_form, form_id=str(live.id), responses=responses(FORM, first(96)))
    assert named.status_code == 201
    assert named.json()["form_id"] == str(live.id)


def vendor(correct: int, per_domain: list[int], reference: str = "PV-1") -> dict[str, object]:
    return {
        "correct": correct,
        "total": 120,
        "domains": [
            {"domain": d, "correct": c, "total": t}
            for (d, t), c in zip(SIZES.items(), per_domain, strict=True)
        ],
        "reference": reference,
    }


async def test_a_vendor_score(rows: Rows, record: Record, mint: Minter) -> None:
    form = await rows.form()
    authorization = await rows.authorization(form_id=form.id)
    bad = await record(
        authorization, vendor_score=vendor(97, [30, 30, 10, 26]), as_=mint("service", "vendor-pv")
    )
    assert bad.status_code == 422
    assert (bad.json()["error"]["code"], bad.json()["error"]["field"]) == (
        "VENDOR_SCORE_INCONSISTENT",
        "domains",
    )
    good = await record(
        authorization, vendor_score=vendor(96, [30, 30, 10, 26]), as_=mint("service", "vendor-pv")
    )
    assert good.status_code == 201, good.text
    body = good.json()
    assert (body["source"], body["passed"], body["vendor_reference"]) == ("vendor", True, "PV-1")
    assert body["domains"][2] == {
        "domain": "advocacy",
        "correct": 10,
        "total": 20,
        "percent": "50.00",
    }
    assert len(await rows.events("exam.passed")) == 1
