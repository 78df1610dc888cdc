"""Small steps the authorization and accommodation tests share."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI

from certboard_core.testing.plugin import bearer
from exams.attempt.models import ExamAttempt, ScoreSource
from exams.authorization.models import ExamAuthorization
from exams.form.models import ExamForm, FormStatus, Language

from .fakes import T0

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def request_exam(
    client: httpx.AsyncClient,
    token: str,
    application_id: str,
    *,
    expect: int = 200,
    headers: dict[str, str] | None = None,
    **body: Any,
) -> dict[str, Any]:
    """POST an exam request; assert the status, return the body."""
    payload = {
        "application_id": application_id,
        "language": "en",
        "delivery_mode": "test_centre",
        **body,
    }
    response = await client.post(
        "/v1/exam-authorizations", json=payload, headers={**bearer(token), **(headers or {})}
    )
    assert response.status_code == expect, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def move(
    client: httpx.AsyncClient,
    token: str,
    authorization: dict[str, Any],
    action: str,
    *,
    expect: int = 200,
    **body: Any,
) -> dict[str, Any]:
    """POST a staff move with the version last read; assert the status, return the body."""
    body.setdefault("expected_version", authorization["version"])
    response = await client.post(
        f"/v1/exam-authorizations/{authorization['id']}/{action}", json=body, headers=bearer(token)
    )
    assert response.status_code == expect, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def record_attempt(app: FastAPI, authorization_id: str, *, passed: bool, on: date) -> None:
    """Write an attempt as the attempts aggregate would (it is built elsewhere)."""
    async with app.state.sessions() as session, session.begin():
        authorization = await session.get(ExamAuthorization, uuid.UUID(authorization_id))
        assert authorization is not None
        session.add(
            ExamAttempt(
                authorization_id=authorization.id,
                application_id=authorization.application_id,
                applicant_id=authorization.applicant_id,
                source=ScoreSource.VENDOR,
                taken_at=T0,
                taken_on=on,
                correct=96 if passed else 50,
                total=120,
                domain_results=[],
                passed=passed,
                recorded_by="staff:s",
                recorded_at=T0,
                result_notice_due_on=on,
            )
        )


async def live_form(app: FastAPI, language: Language = Language.ENGLISH) -> uuid.UUID:
    """A live form in ``language``, as the forms aggregate would publish it."""
    async with app.state.sessions() as session, session.begin():
        form = ExamForm(
            language=language,
            edition="2026-A",
            status=FormStatus.LIVE,
            item_count=120,
            created_by="staff:s",
            created_at=T0,
            published_at=T0,
        )
        session.add(form)
    return form.id
