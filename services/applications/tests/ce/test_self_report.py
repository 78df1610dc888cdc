"""Self-reported CE: a document checked by its content, exact hours, the holder's own only."""

from __future__ import annotations

import pytest

from certboard_core.testing.plugin import bearer

from ..factories import JPEG, PNG
from .conftest import certify, records, self_report, stored


async def test_a_self_report_waits_for_staff(client, app, holder) -> None:
    answer = await self_report(client, holder.token, holder.certification_id, document=JPEG)
    assert answer.status_code == 201, answer.text
    record = answer.json()
    assert {
        k: record[k]
        for k in ("source", "status", "hours", "hours_hundredths", "category", "has_document")
    } == {
        "source": "self_reported",
        "status": "pending_verification",
        "hours": "2.25",
        "hours_hundredths": 225,
        "category": "general",
        "has_document": True,
    }
    assert record["course_title"] == "Trauma-informed peer support"
    assert record["provider_id"] is None
    listed = (await records(client, holder.token, holder.certification_id)).json()["items"]
    assert [r["id"] for r in listed] == [record["id"]]
    document = await client.get(
        f"/v1/ce-records/{record['id']}/document", headers=bearer(holder.token)
    )
    assert document.content == JPEG
    assert document.headers["content-type"] == "image/jpeg"


async def test_a_document_of_the_wrong_kind_stores_nothing(client, app, holder) -> None:
    files = set(app.state.store.root.rglob("*"))  # the application's own documents
    # Declared a PDF by its name and type; its bytes are a PNG.
    answer = await self_report(client, holder.token, holder.certification_id, document=PNG)
    assert answer.status_code == 415
    assert answer.json()["error"] == {
        "code": "DOCUMENT_TYPE_NOT_ACCEPTED",
        "message": "the document must be a JPEG image or a PDF; its content is image/png",
        "field": "document",
        "request_id": answer.json()["error"]["request_id"],
    }
    assert await stored(app) == 0
    assert set(app.state.store.root.rglob("*")) == files


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("1.255", "at most 2 decimal places"),
        ("1,5", "at most 2 decimal places"),
        ("-1", "at most 2 decimal places"),
        ("1e2", "at most 2 decimal places"),
        ("0", "more than 0"),
        ("0.00", "more than 0"),
        ("100.01", "at most 100"),
    ],
)
async def test_hours_must_be_exact_and_sane(client, app, holder, hours, message) -> None:
    answer = await self_report(client, holder.token, holder.certification_id, hours=hours)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert (error["code"], error["field"]) == ("VALIDATION_ERROR", "hours")
    assert message in error["message"]
    assert await stored(app) == 0


@pytest.mark.parametrize(
    ("completed_on", "code"),
    [
        ("2026-05-11", "CE_COMPLETION_IN_FUTURE"),
        ("2026-03-09", "CE_COMPLETED_BEFORE_CERTIFICATION"),
    ],
)
async def test_dates_outside_the_certification(client, app, holder, completed_on, code) -> None:
    files = set(app.state.store.root.rglob("*"))
    answer = await self_report(
        client, holder.token, holder.certification_id, completed_on=completed_on
    )
    assert answer.status_code == 422
    assert (answer.json()["error"]["code"], answer.json()["error"]["field"]) == (
        code,
        "completed_on",
    )
    assert await stored(app) == 0
    # The document was saved before the date was refused: the failure removed it again.
    assert set(app.state.store.root.rglob("*")) == files


async def test_the_last_hours_and_days_allowed(client, holder) -> None:
    on_the_day = await self_report(
        client, holder.token, holder.certification_id, hours="100", completed_on="2026-05-10"
    )
    assert on_the_day.status_code == 201, on_the_day.text
    issued_day = await self_report(
        client, holder.token, holder.certification_id, hours="0.01", completed_on="2026-03-10"
    )
    assert issued_day.json()["hours_hundredths"] == 1


async def test_only_the_holder_reports_and_reads(client, mint, app, holder) -> None:
    bob = await certify(client, mint, "bob")
    staff = mint("staff", "sam")
    mine = (await self_report(client, holder.token, holder.certification_id)).json()

    # Another certified person learns nothing of alice's certification or records.
    for answer in (
        await self_report(client, bob.token, holder.certification_id),
        await records(client, bob.token, holder.certification_id),
        await client.get(f"/v1/ce-records/{mine['id']}/document", headers=bearer(bob.token)),
    ):
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "NOT_FOUND"
    batch = await client.get(
        "/v1/ce-records",
        params={"certification_id": [holder.certification_id, bob.certification_id]},
        headers=bearer(bob.token),
    )
    assert batch.json() == {"items": []}
    # Staff read anyone's, but a report is the holder's own word: staff cannot file one.
    assert [
        r["id"] for r in (await records(client, staff, holder.certification_id)).json()["items"]
    ] == [mine["id"]]
    refused = await self_report(client, staff, holder.certification_id)
    assert refused.status_code == 403
    assert await stored(app) == 1
