"""Providers' uploads: per-row outcomes, every rejection reason, duplicates, safe retries."""

from __future__ import annotations

import asyncio
import base64

import pytest
from sqlmodel import func, select

from applications.certificate.models import TrainingCertificate
from certboard_core.idempotency import IdempotencyRecord
from certboard_core.testing.plugin import bearer

from ..factories import PDF, PNG
from .conftest import make_provider, row, upload


async def _stored(app) -> int:
    async with app.state.sessions() as session:
        return (await session.exec(select(func.count()).select_from(TrainingCertificate))).one()


async def test_a_batch_reports_each_row(client, app, provider) -> None:
    rows = [
        row(provider, certificate_id="A"),
        row(provider, certificate_id="B", file_base64=base64.b64encode(PDF).decode()),
        row(provider, certificate_id="C", hours=79),
    ]
    response = await upload(client, provider, rows)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["batch"] == {"accepted": 2, "duplicate": 0, "rejected": 1}
    assert [(r["index"], r["certificate_id"], r["outcome"]) for r in body["results"]] == [
        (0, "A", "accepted"),
        (1, "B", "accepted"),
        (2, "C", "rejected"),
    ]
    assert body["results"][2]["field"] == "hours"
    assert await _stored(app) == 2
    listed = (
        await client.get(
            f"/v1/providers/{provider.id}/certificates", headers=bearer(provider.token)
        )
    ).json()
    items = sorted(listed["items"], key=lambda c: c["provider_certificate_id"])
    assert [(c["provider_certificate_id"], c["status"], c["has_file"]) for c in items] == [
        ("A", "pending_review", False),
        ("B", "pending_review", True),
    ]
    # Received 10 March 2026 (local): review due 24 March; valid two years from completion.
    assert items[0]["review_due_on"] == "2026-03-24"
    assert items[0]["valid_through"] == "2028-02-19"
    assert items[0]["email"] == "maria.lopez@example.org"


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"program_id": "5b1a2c3d-0000-4000-8000-000000000000"}, "program_id", "unknown program"),
        ({"hours": 40}, "hours", "below the policy minimum of 80"),
        ({"completion_date": "2026-03-11"}, "completion_date", "in the future"),
        ({"completion_date": "2024-03-09"}, "completion_date", "older than the 2-year validity"),
        ({"completion_date": "2026-02-30"}, "completion_date", "malformed date"),
        ({"date_of_birth": "17/05/1990"}, "date_of_birth", "malformed date"),
        ({"email": "not-an-email"}, "email", "email"),
        ({"legal_name": None}, "legal_name", "valid string"),
        ({"file_base64": "%%%"}, "file_base64", "not valid base64"),
        ({"file_base64": base64.b64encode(PNG).decode()}, "file_base64", "JPEG image or a PDF"),
    ],
)
async def test_every_rejection_reason(client, app, provider, overrides, field, reason) -> None:
    response = await upload(client, provider, [row(provider, **overrides)])
    [result] = response.json()["results"]
    assert result["outcome"] == "rejected"
    assert result["field"] == field
    assert reason in result["reason"]
    assert await _stored(app) == 0
    assert list(app.state.store.root.rglob("*.*")) == []


async def test_completed_exactly_two_years_ago_is_still_valid(client, provider) -> None:
    # Completed 10 March 2024: valid through 9 March 2026... which is yesterday.
    expired = await upload(client, provider, [row(provider, completion_date="2024-03-10")])
    assert expired.json()["results"][0]["outcome"] == "rejected"
    fresh = await upload(client, provider, [row(provider, completion_date="2024-03-11")])
    assert fresh.json()["results"][0]["outcome"] == "accepted"


async def test_a_program_below_the_minimum_hours_rejects_its_rows(client, mint) -> None:
    short = await make_provider(client, mint, "Short Course Co", hours=40)
    [result] = (await upload(client, short, [row(short)])).json()["results"]
    assert (result["outcome"], result["field"]) == ("rejected", "hours")


async def test_a_suspended_provider_has_every_row_rejected(client, app, provider, mint) -> None:
    suspended = await client.patch(
        f"/v1/providers/{provider.id}",
        json={"expected_version": provider.version, "status": "suspended"},
        headers=bearer(mint("staff", "sam")),
    )
    assert suspended.json()["status"] == "suspended"
    body = (
        await upload(client, provider, [row(provider), row(provider, certificate_id="Z")])
    ).json()
    assert body["batch"] == {"accepted": 0, "duplicate": 0, "rejected": 2}
    assert {r["field"] for r in body["results"]} == {"provider"}
    assert await _stored(app) == 0


async def test_duplicates_within_and_across_batches(client, app, provider) -> None:
    first = (await upload(client, provider, [row(provider), row(provider)])).json()
    assert [r["outcome"] for r in first["results"]] == ["accepted", "duplicate"]
    again = (await upload(client, provider, [row(provider)])).json()
    assert again["results"][0]["outcome"] == "duplicate"
    assert again["results"][0]["id"] == first["results"][0]["id"]
    assert await _stored(app) == 1


async def test_the_same_key_and_body_replays_the_first_answer(client, app, provider) -> None:
    rows = [row(provider, certificate_id="K1")]
    first = await upload(client, provider, rows, key="batch-0001")
    again = await upload(client, provider, rows, key="batch-0001")
    assert again.status_code == first.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await _stored(app) == 1


async def test_the_same_key_with_another_body_is_refused(client, app, provider) -> None:
    await upload(client, provider, [row(provider, certificate_id="K1")], key="batch-0001")
    other = await upload(client, provider, [row(provider, certificate_id="K2")], key="batch-0001")
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await _stored(app) == 1


async def test_a_retry_while_the_first_is_running_is_409(client, app, clock, provider) -> None:
    from datetime import timedelta

    from certboard_core.idempotency import IN_PROGRESS, request_hash

    rows = [row(provider, certificate_id="K1")]
    async with app.state.sessions() as session, session.begin():
        session.add(
            IdempotencyRecord(
                owner=f"provider:{provider.id}",
                key="batch-9",
                request_hash=request_hash({"certificates": rows}),
                state=IN_PROGRESS,
                created_at=clock.now(),
                expires_at=clock.now() + timedelta(hours=24),
            )
        )
    busy = await upload(client, provider, rows, key="batch-9")
    assert busy.status_code == 409
    assert busy.json()["error"]["code"] == "IDEMPOTENCY_IN_PROGRESS"
    clock.advance(timedelta(minutes=6))  # the first attempt died: its claim lapses
    assert (await upload(client, provider, rows, key="batch-9")).status_code == 200


async def test_ten_concurrent_retries_create_one_record(client, app, provider) -> None:
    rows = [row(provider, certificate_id="ONCE")]
    responses = await asyncio.gather(
        *(upload(client, provider, rows, key="same-key") for _ in range(10))
    )
    assert {r.status_code for r in responses} <= {200, 409}
    assert any(r.status_code == 200 for r in responses)
    assert await _stored(app) == 1


async def test_providers_act_only_for_themselves(client, provider, mint) -> None:
    other = await make_provider(client, mint, "Other Academy")
    foreign = await client.post(
        f"/v1/providers/{provider.id}/certificates",
        json={"certificates": [row(provider)]},
        headers=bearer(other.token),
    )
    assert foreign.status_code == 404
    assert foreign.json()["error"]["code"] == "NOT_FOUND"
    peek = await client.get(
        f"/v1/providers/{provider.id}/certificates", headers=bearer(other.token)
    )
    assert peek.status_code == 404
    missing = await client.get(
        "/v1/providers/5b1a2c3d-0000-4000-8000-000000000000/certificates",
        headers=bearer(other.token),
    )
    # The same answer whether the provider exists or not: nothing leaks.
    assert missing.json()["error"]["message"] == peek.json()["error"]["message"]
    # Another role is refused outright, as through the gateway.
    applicant = await client.get(
        f"/v1/providers/{provider.id}", headers=bearer(mint("applicant", "a"))
    )
    assert (applicant.status_code, applicant.json()["error"]["code"]) == (403, "FORBIDDEN")


async def test_a_batch_over_1000_rows_is_refused_whole(client, provider) -> None:
    response = await upload(
        client, provider, [row(provider, certificate_id=str(i)) for i in range(1001)]
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "certificates"


async def test_keys_are_kept_a_day_then_forgotten(client, app, clock, provider, mint) -> None:
    from datetime import timedelta

    rows = [row(provider, certificate_id="K1")]
    await upload(client, provider, rows, key="batch-1")
    clock.advance(timedelta(hours=23))
    replay = await upload(client, provider, [row(provider, certificate_id="K2")], key="batch-1")
    assert replay.status_code == 422  # still remembered: another body is refused
    clock.advance(timedelta(hours=2))
    swept = await client.post("/internal/sweep", headers=bearer(mint("staff", "sam")))
    assert swept.status_code == 200
    async with app.state.sessions() as session:
        left = (await session.exec(select(func.count()).select_from(IdempotencyRecord))).one()
    assert left == 0
    fresh = await upload(client, provider, [row(provider, certificate_id="K2")], key="batch-1")
    assert fresh.json()["batch"]["accepted"] == 1
