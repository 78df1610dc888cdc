from __future__ import annotations

import httpx
import pytest
from sqlmodel import func, select

from applications.application.models import Application
from certboard_core.audit import AuditRecord
from certboard_core.outbox import OutboxEvent
from certboard_core.testing.plugin import bearer

from ..factories import JPEG, PDF, PNG, application_form, documents


async def _count(app, model) -> int:
    async with app.state.sessions() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def test_applicant_submits_and_reads_dates(client: httpx.AsyncClient, app, mint) -> None:
    token = mint("applicant", "alice")
    response = await client.post(
        "/v1/applications", data=application_form(), files=documents(), headers=bearer(token)
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "submitted"
    assert body["applicant_id"] == "alice"
    # T0 is 2026-03-10 17:00 UTC = 10:00 in Los Angeles: day 0 is 10 March, due 9 April.
    assert body["submitted_on"] == "2026-03-10"
    assert body["deadlines"]["first_notification_due_on"] == "2026-04-09"
    assert body["deadlines"]["first_notification_days_left"] == 30
    assert body["deadlines"]["last_day_to_complete"] == "2026-06-08"
    assert body["deadlines"]["void_from"] == "2026-06-09"
    assert body["deadlines"]["first_notification_on_time"] is None
    assert body["version"] == 1
    assert sorted(d["kind"] for d in body["documents"]) == ["diploma", "government_id"]
    assert {d["content_type"] for d in body["documents"]} == {"image/jpeg", "application/pdf"}

    read = await client.get(f"/v1/applications/{body['id']}", headers=bearer(token))
    assert read.json()["deadlines"]["first_notification_due_on"] == "2026-04-09"

    async with app.state.sessions() as session:
        audit = (await session.exec(select(AuditRecord))).one()
        event = (await session.exec(select(OutboxEvent))).one()
    assert audit.action == "application.submitted"
    assert audit.actor == "applicant:alice"
    assert audit.before is None
    assert audit.after["id"] == body["id"]
    assert event.type == "application.submitted"
    assert event.payload["first_notification_due_on"] == "2026-04-09"


async def test_days_left_follow_the_clock(client: httpx.AsyncClient, clock, mint) -> None:
    from datetime import timedelta

    token = mint("applicant", "alice")
    created = await client.post(
        "/v1/applications", data=application_form(), files=documents(), headers=bearer(token)
    )
    clock.advance(timedelta(days=31))
    read = await client.get(f"/v1/applications/{created.json()['id']}", headers=bearer(token))
    assert read.json()["deadlines"]["first_notification_days_left"] == -1
    assert read.json()["deadlines"]["first_notification_on_time"] is False


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("code_of_ethics_agreed", "false", "ATTESTATION_REQUIRED"),
        ("willing_to_share_experience", "false", "ATTESTATION_REQUIRED"),
        ("code_of_ethics_agreed", None, "VALIDATION_ERROR"),
        ("lived_experience", "curious", "VALIDATION_ERROR"),
        ("email", "not-an-email", "VALIDATION_ERROR"),
        ("first_name", "   ", "VALIDATION_ERROR"),
        # 18th birthday is 11 March 2026, the day after T0's local date.
        ("date_of_birth", "2008-03-11", "APPLICANT_TOO_YOUNG"),
        ("date_of_birth", "2030-01-01", "APPLICANT_TOO_YOUNG"),
    ],
)
async def test_bad_form_is_refused_and_nothing_stored(
    client: httpx.AsyncClient, app, mint, field: str, value: str | None, code: str
) -> None:
    response = await client.post(
        "/v1/applications",
        data=application_form(**{field: value}),
        files=documents(),
        headers=bearer(mint("applicant", "alice")),
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == code
    assert error["field"] == field
    assert await _count(app, Application) == 0
    assert await _count(app, AuditRecord) == 0


async def test_eighteenth_birthday_today_is_old_enough(client: httpx.AsyncClient, mint) -> None:
    response = await client.post(
        "/v1/applications",
        data=application_form(date_of_birth="2008-03-10"),
        files=documents(),
        headers=bearer(mint("applicant", "alice")),
    )
    assert response.status_code == 201, response.text


async def test_document_type_is_judged_by_content_not_name(
    client: httpx.AsyncClient, app, mint
) -> None:
    response = await client.post(
        "/v1/applications",
        data=application_form(),
        files=documents(government_id=PNG, id_name="passport.jpg"),
        headers=bearer(mint("applicant", "alice")),
    )
    assert response.status_code == 415
    assert response.json()["error"] == {
        "code": "DOCUMENT_TYPE_NOT_ACCEPTED",
        "message": "the document must be a JPEG image or a PDF; its content is image/png",
        "field": "government_id",
        "request_id": response.headers["X-Request-ID"],
    }
    assert await _count(app, Application) == 0
    assert list(app.state.store.root.rglob("*")) == [] or not app.state.store.root.exists()


async def test_oversized_document_is_413(client: httpx.AsyncClient, app, mint, settings) -> None:
    big = PDF + b"0" * settings.max_document_bytes
    response = await client.post(
        "/v1/applications",
        data=application_form(),
        files=documents(diploma=big),
        headers=bearer(mint("applicant", "alice")),
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "DOCUMENT_TOO_LARGE"
    assert response.json()["error"]["field"] == "diploma"
    assert await _count(app, Application) == 0


async def test_request_body_over_the_process_limit_is_413(
    client: httpx.AsyncClient, app, mint, settings
) -> None:
    huge = JPEG + b"0" * settings.max_request_bytes
    response = await client.post(
        "/v1/applications",
        data=application_form(),
        files=documents(government_id=huge),
        headers=bearer(mint("applicant", "alice")),
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_staff_cannot_submit(client: httpx.AsyncClient, mint) -> None:
    response = await client.post(
        "/v1/applications",
        data=application_form(),
        files=documents(),
        headers=bearer(mint("staff", "sam")),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\fakepath\\id.jpg", "id.jpg"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("..", None),
        ("x" * 400 + ".jpg", "x" * 116 + ".jpg"),
    ],
)
async def test_the_client_file_name_is_kept_only_as_a_safe_display_name(
    client: httpx.AsyncClient, mint, given: str, shown: str | None
) -> None:
    token = mint("applicant", "alice")
    response = await client.post(
        "/v1/applications",
        data=application_form(),
        files=documents(id_name=given),
        headers=bearer(token),
    )
    assert response.status_code == 201, response.text
    kept = {d["kind"]: d["original_filename"] for d in response.json()["documents"]}
    assert kept == {"government_id": shown, "diploma": "diploma.pdf"}
