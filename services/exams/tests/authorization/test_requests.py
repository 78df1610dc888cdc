"""Exam requests: who may ask, every refusal named, nothing stored when applications is down."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlmodel import func, select

from certboard_core.audit import AuditRecord
from certboard_core.testing.plugin import Minter, bearer
from exams.authorization.models import ExamAuthorization

from .fakes import TODAY, FakeApplications
from .helpers import request_exam


async def count_authorizations(app: FastAPI) -> int:
    async with app.state.sessions() as session:
        return int((await session.exec(select(func.count()).select_from(ExamAuthorization))).one())


class TestGranted:
    async def test_the_applicant_s_own_request_is_granted(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, app: FastAPI
    ) -> None:
        standing = applications.add("ann")
        granted = await request_exam(client, mint("applicant", "ann"), standing["application_id"])
        assert granted["status"] == "granted"
        assert granted["kind"] == "first"
        assert granted["fee_reference"] == "EXAM-1"
        assert granted["granted_on"] == TODAY.isoformat()
        assert granted["valid_through"] == (TODAY + timedelta(days=90)).isoformat()
        assert granted["review_due_on"] == (TODAY + timedelta(days=14)).isoformat()
        assert granted["applicant_id"] == "ann"
        assert granted["counts_as_attempt"] is True
        # Asked with this service's own identity, not the applicant's token.
        assert applications.calls[-1].headers["Authorization"] != bearer(mint("applicant", "ann"))
        async with app.state.sessions() as session:
            audits = (
                await session.exec(
                    select(AuditRecord).where(AuditRecord.entity_id == granted["id"])
                )
            ).all()
        assert [a.action for a in audits] == ["exam_authorization.granted"]
        assert audits[0].actor == "applicant:ann"

    async def test_staff_request_for_the_applicant(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
    ) -> None:
        standing = applications.add("ann")
        granted = await request_exam(client, mint("staff", "s1"), standing["application_id"])
        assert granted["applicant_id"] == "ann"
        assert granted["status"] == "granted"

    async def test_the_window_stops_at_the_approval_s_last_day(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
    ) -> None:
        last = (TODAY + timedelta(days=40)).isoformat()
        standing = applications.add("ann", valid_through=last)
        granted = await request_exam(client, mint("applicant", "ann"), standing["application_id"])
        assert granted["valid_through"] == last

    async def test_a_retried_key_replays_the_first_answer(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, app: FastAPI
    ) -> None:
        standing = applications.add("ann")
        token = mint("applicant", "ann")
        key = {"Idempotency-Key": "req-1"}
        first = await request_exam(client, token, standing["application_id"], headers=key)
        again = await request_exam(client, token, standing["application_id"], headers=key)
        assert again == first
        assert await count_authorizations(app) == 1


class TestWho:
    async def test_another_applicant_s_application_is_not_found(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, app: FastAPI
    ) -> None:
        standing = applications.add("ann")
        response = await client.post(
            "/v1/exam-authorizations",
            json={
                "application_id": standing["application_id"],
                "language": "en",
                "delivery_mode": "online_proctored",
            },
            headers=bearer(mint("applicant", "bob")),
        )
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "NOT_FOUND"
        assert "ann" not in response.text
        assert await count_authorizations(app) == 0

    async def test_an_unknown_application_is_not_found(
        self, client: httpx.AsyncClient, mint: Minter
    ) -> None:
        body = await request_exam(
            client, mint("staff", "s1"), "00000000-0000-4000-8000-000000000000", expect=404
        )
        assert body["error"]["field"] == "application_id"

    async def test_other_roles_are_forbidden(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
    ) -> None:
        standing = applications.add("ann")
        for role in ("supervisor", "provider", "service"):
            body = await request_exam(
                client, mint(role, "x"), standing["application_id"], expect=403
            )
            assert body["error"]["code"] == "FORBIDDEN"
        assert applications.calls == []


async def test_applications_down_is_retryable_and_stores_nothing(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, app: FastAPI
) -> None:
    standing = applications.add("ann")
    applications.down = True
    body = await request_exam(
        client,
        mint("applicant", "ann"),
        standing["application_id"],
        expect=503,
        headers={"Idempotency-Key": "k"},
    )
    assert body["error"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert await count_authorizations(app) == 0
    applications.down = False  # the same key works once applications is back
    granted = await request_exam(
        client,
        mint("applicant", "ann"),
        standing["application_id"],
        headers={"Idempotency-Key": "k"},
    )
    assert granted["status"] == "granted"


def reasons(body: dict[str, Any]) -> list[str]:
    assert body["error"]["code"] == "EXAM_NOT_ELIGIBLE"
    return [r["code"] for r in body["error"]["reasons"]]


class TestRefusals:
    async def test_each_applications_condition_alone(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
    ) -> None:
        for code in (
            "APPLICATION_NOT_APPROVED",
            "APPLICATION_EXPIRED",
            "TRAINING_CERTIFICATE_MISSING",
            "EXAM_REQUEST_TOO_LATE",
        ):
            unmet = [{"code": code, "message": f"{code} message", "field": None}]
            standing = applications.add("ann", unmet=unmet)
            body = await request_exam(
                client, mint("applicant", "ann"), standing["application_id"], expect=409
            )
            assert reasons(body) == [code]
            assert body["error"]["reasons"][0]["message"] == f"{code} message"

    async def test_no_exam_fee(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
    ) -> None:
        retake_only = [{"reference": "R-1", "kind": "retake", "paid_on": TODAY.isoformat()}]
        standing = applications.add("ann", exam_fees=retake_only)
        body = await request_exam(
            client, mint("applicant", "ann"), standing["application_id"], expect=409
        )
        assert reasons(body) == ["EXAM_FEE_MISSING"]
        assert body["error"]["field"] == "fee"

    async def test_an_open_authorization(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
    ) -> None:
        fees = [
            {"reference": "EXAM-1", "kind": "exam", "paid_on": TODAY.isoformat()},
            {"reference": "RETAKE-1", "kind": "retake", "paid_on": TODAY.isoformat()},
        ]
        standing = applications.add("ann", exam_fees=fees)
        token = mint("applicant", "ann")
        await request_exam(client, token, standing["application_id"])
        body = await request_exam(client, token, standing["application_id"], expect=409)
        assert reasons(body) == ["AUTHORIZATION_OPEN"]

    async def test_several_at_once_are_all_listed(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, app: FastAPI
    ) -> None:
        unmet = [
            {"code": "TRAINING_CERTIFICATE_MISSING", "message": "no training", "field": "t"},
            {"code": "EXAM_REQUEST_TOO_LATE", "message": "too late", "field": "valid_through"},
        ]
        standing = applications.add("ann", unmet=unmet, exam_fees=[])
        body = await request_exam(
            client, mint("applicant", "ann"), standing["application_id"], expect=409
        )
        assert reasons(body) == [
            "TRAINING_CERTIFICATE_MISSING",
            "EXAM_REQUEST_TOO_LATE",
            "EXAM_FEE_MISSING",
        ]
        assert "no training" in body["error"]["message"]
        assert await count_authorizations(app) == 0

    async def test_an_ordinary_error_keeps_its_shape(
        self, client: httpx.AsyncClient, mint: Minter
    ) -> None:
        response = await client.post(
            "/v1/exam-authorizations", json={}, headers=bearer(mint("applicant", "ann"))
        )
        assert response.status_code == 422
        assert set(response.json()["error"]) == {"code", "message", "field", "request_id"}
