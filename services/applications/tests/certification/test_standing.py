"""The exam standing exams asks for: each condition alone, several at once, the cut-off at
its boundary, expiry before the sweep, forfeited fees and unusable certificates left out."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import col, update

from applications.certificate.models import CertificateStatus
from applications.payment.models import Payment
from certboard_core.testing.plugin import bearer

from ..factories import pay, submit
from .conftest import VALID_THROUGH, add_certificate, approved


async def standing(client, mint, application_id: str) -> dict:
    answer = await client.get(
        f"/internal/applications/{application_id}/exam-standing",
        headers=bearer(mint("service", "exams")),
    )
    assert answer.status_code == 200, answer.text
    body: dict = answer.json()
    return body


def codes(body: dict) -> list[str]:
    return [u["code"] for u in body["unmet"]]


async def pay_exam(client, application, staff, reference: str, kind: str = "exam") -> None:
    answer = await client.post(
        f"/v1/applications/{application['id']}/payments",
        json={
            "kind": kind,
            "amount_cents": 15000,
            "reference": reference,
            "paid_at": "2026-03-11T06:30:00Z",  # 23:30 on the 10th in Los Angeles
        },
        headers=bearer(staff),
    )
    assert answer.status_code == 201, answer.text


def at_day(day: date) -> datetime:
    """Noon in Los Angeles on ``day``."""
    return datetime(day.year, day.month, day.day, 20, tzinfo=UTC)


async def test_an_approved_application_with_a_certificate_meets_every_condition(
    client, app, mint
) -> None:
    application = await approved(client, mint)
    certificate = await add_certificate(app, application)
    await pay_exam(client, application, mint("staff", "sam"), "exam-1")
    body = await standing(client, mint, application["id"])
    assert body == {
        "application_id": application["id"],
        "applicant_id": "alice",
        "status": "approved",
        "approved_on": "2026-03-10",
        "valid_through": "2027-03-09",
        "training_certificates": [
            {"id": str(certificate), "completed_on": "2026-02-20", "valid_through": "2028-02-19"}
        ],
        "exam_fees": [{"reference": "exam-1", "kind": "exam", "paid_on": "2026-03-10"}],
        "unmet": [],
    }


async def test_not_approved_alone(client, app, mint) -> None:
    application = await submit(client, mint("applicant", "alice"))
    await add_certificate(app, application)
    body = await standing(client, mint, application["id"])
    assert body["status"] == "submitted"
    assert (body["approved_on"], body["valid_through"]) == (None, None)
    assert body["unmet"] == [
        {
            "code": "APPLICATION_NOT_APPROVED",
            "message": "the application is submitted, not approved",
            "field": "application_id",
        }
    ]


async def test_certificate_missing_alone(client, mint) -> None:
    application = await approved(client, mint)
    body = await standing(client, mint, application["id"])
    assert body["unmet"] == [
        {
            "code": "TRAINING_CERTIFICATE_MISSING",
            "message": "no accepted training certificate is valid today",
            "field": "training_certificates",
        }
    ]


@pytest.mark.parametrize(
    ("days_before", "too_late"), [(15, False), (14, False), (13, True), (0, True)]
)
async def test_the_cut_off_at_its_boundary(
    client, app, mint, clock, days_before: int, too_late: bool
) -> None:
    application = await approved(client, mint)
    await add_certificate(app, application, valid_through=date(2029, 1, 1))
    clock.set(at_day(VALID_THROUGH - timedelta(days=days_before)))
    body = await standing(client, mint, application["id"])
    assert body["status"] == "approved"
    assert codes(body) == (["EXAM_REQUEST_TOO_LATE"] if too_late else [])
    if too_late:
        assert body["unmet"][0]["message"] == (
            "exam requests close 14 days before the approval ends on 2027-03-09 "
            "(last day: 2027-02-23)"
        )
        assert body["unmet"][0]["field"] == "valid_through"


async def test_expired_when_read_before_any_sweep(client, app, mint, clock) -> None:
    application = await approved(client, mint)
    await add_certificate(app, application, valid_through=date(2029, 1, 1))
    clock.set(at_day(VALID_THROUGH + timedelta(days=1)))
    body = await standing(client, mint, application["id"])
    assert body["status"] == "expired"
    assert body["unmet"] == [
        {
            "code": "APPLICATION_EXPIRED",
            "message": "the approval ended on 2027-03-09",
            "field": "application_id",
        }
    ]


async def test_several_unmet_are_all_listed(client, app, mint, clock) -> None:
    submitted = await submit(client, mint("applicant", "bob"), email="bob@example.org")
    assert codes(await standing(client, mint, submitted["id"])) == [
        "APPLICATION_NOT_APPROVED",
        "TRAINING_CERTIFICATE_MISSING",
    ]
    application = await approved(client, mint)
    clock.set(at_day(VALID_THROUGH + timedelta(days=1)))
    assert codes(await standing(client, mint, application["id"])) == [
        "APPLICATION_EXPIRED",
        "TRAINING_CERTIFICATE_MISSING",
    ]
    clock.set(at_day(VALID_THROUGH - timedelta(days=3)))
    assert codes(await standing(client, mint, application["id"])) == [
        "TRAINING_CERTIFICATE_MISSING",
        "EXAM_REQUEST_TOO_LATE",
    ]


async def test_rejected_pending_and_expired_certificates_are_not_listed(client, app, mint) -> None:
    application = await approved(client, mint)
    await add_certificate(app, application, status=CertificateStatus.REJECTED)
    await add_certificate(app, application, status=CertificateStatus.PENDING_REVIEW)
    # Valid through the day before today (2026-03-10): no longer usable.
    await add_certificate(
        app, application, completed_on=date(2024, 3, 10), valid_through=date(2026, 3, 9)
    )
    body = await standing(client, mint, application["id"])
    assert body["training_certificates"] == []
    assert codes(body) == ["TRAINING_CERTIFICATE_MISSING"]
    # Valid through today itself still counts.
    kept = await add_certificate(
        app, application, completed_on=date(2024, 3, 11), valid_through=date(2026, 3, 10)
    )
    body = await standing(client, mint, application["id"])
    assert [c["id"] for c in body["training_certificates"]] == [str(kept)]
    assert body["unmet"] == []


async def test_forfeited_and_application_fees_are_not_listed(client, app, mint) -> None:
    staff = mint("staff", "sam")
    application = await approved(client, mint)
    await pay_exam(client, application, staff, "exam-1")
    await pay_exam(client, application, staff, "retake-1", kind="retake")
    async with app.state.sessions() as session, session.begin():
        await session.exec(
            update(Payment)
            .where(col(Payment.reference) == "exam-1")
            .values(forfeited_at=datetime(2026, 3, 10, 18, tzinfo=UTC))
        )
    body = await standing(client, mint, application["id"])
    assert body["exam_fees"] == [
        {"reference": "retake-1", "kind": "retake", "paid_on": "2026-03-10"}
    ]


async def test_unknown_application_is_not_found(client, mint) -> None:
    answer = await client.get(
        f"/internal/applications/{uuid.uuid4()}/exam-standing",
        headers=bearer(mint("service", "exams")),
    )
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("role", ["staff", "applicant", "provider", "supervisor"])
async def test_only_a_service_may_ask(client, mint, role: str) -> None:
    application = await approved(client, mint)
    answer = await client.get(
        f"/internal/applications/{application['id']}/exam-standing",
        headers=bearer(mint(role, "alice")),
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "FORBIDDEN"
    anonymous = await client.get(f"/internal/applications/{application['id']}/exam-standing")
    assert anonymous.status_code == 401


async def test_application_fee_alone_is_no_exam_fee(client, mint) -> None:
    application = await submit(client, mint("applicant", "alice"))
    assert (await pay(client, application, mint("staff", "sam"))).status_code == 201
    assert (await standing(client, mint, application["id"]))["exam_fees"] == []


async def test_several_at_once_answer_as_one_each_and_leave_unknown_ids_out(
    client, app, mint
) -> None:
    approved_one = await approved(client, mint)
    await add_certificate(app, approved_one)
    await pay_exam(client, approved_one, mint("staff", "sam"), "exam-1")
    submitted = await submit(client, mint("applicant", "bob"), email="bob@example.org")
    asked = [approved_one["id"], str(uuid.uuid4()), submitted["id"], approved_one["id"]]
    answer = await client.get(
        "/internal/applications/exam-standings",
        params={"application_id": asked},
        headers=bearer(mint("service", "exams")),
    )
    assert answer.status_code == 200, answer.text
    found = {s["application_id"]: s for s in answer.json()["items"]}
    assert found == {
        approved_one["id"]: await standing(client, mint, approved_one["id"]),
        submitted["id"]: await standing(client, mint, submitted["id"]),
    }
    assert found[approved_one["id"]]["training_certificates"]
    assert found[approved_one["id"]]["exam_fees"]
    too_many = await client.get(
        "/internal/applications/exam-standings",
        params={"application_id": [str(uuid.uuid4()) for _ in range(101)]},
        headers=bearer(mint("service", "exams")),
    )
    assert (too_many.status_code, too_many.json()["error"]["code"]) == (422, "VALIDATION_ERROR")
    staff = await client.get(
        "/internal/applications/exam-standings",
        params={"application_id": approved_one["id"]},
        headers=bearer(mint("staff", "sam")),
    )
    assert staff.status_code == 403
