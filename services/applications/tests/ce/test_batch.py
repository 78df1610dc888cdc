"""Providers' CE batches: per-row outcomes, every rejection reason, duplicates, safe retries."""

from __future__ import annotations

import pytest
from sqlmodel import select

from certboard_core.audit import AuditRecord
from certboard_core.testing.plugin import bearer

from .conftest import (
    completion,
    make_ce_provider,
    recorded_events,
    records,
    report,
    stored,
)


async def test_a_batch_reports_each_row_and_counts_the_accepted_at_once(
    client, app, holder, ce_provider
) -> None:
    rows = [
        completion(ce_provider, holder, completion_id="A"),
        completion(
            ce_provider,
            holder,
            completion_id="B",
            course_id=ce_provider.courses["Wellness 1.5"],
            # Grouped, upper case, as printed: the same number however it is typed.
            certificate_number=holder.number,
        ),
        completion(ce_provider, holder, completion_id="C", completed_on="2026-05-11"),
    ]
    response = await report(client, ce_provider, rows)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["batch"] == {"accepted": 2, "duplicate": 0, "rejected": 1}
    assert [(r["index"], r["completion_id"], r["outcome"]) for r in body["results"]] == [
        (0, "A", "accepted"),
        (1, "B", "accepted"),
        (2, "C", "rejected"),
    ]
    listed = (await records(client, holder.token, holder.certification_id)).json()["items"]
    ledger = sorted(listed, key=lambda r: r["provider_completion_id"])
    # The hours and the category are the course's, and the records count on arrival.
    assert [
        (r["provider_completion_id"], r["hours"], r["hours_hundredths"], r["category"], r["status"])
        for r in ledger
    ] == [
        ("A", "6.00", 600, "law_and_ethics", "accepted"),
        ("B", "1.50", 150, "general", "accepted"),
    ]
    assert {r["source"] for r in ledger} == {"provider"}
    assert ledger[0]["course_title"] == "Ethics 6"
    assert ledger[0]["provider_name"] == "Ethics Institute"
    assert ledger[0]["has_document"] is False
    events = await recorded_events(app)
    assert sorted((e["hours_hundredths"], e["category"]) for e in events) == [
        (150, "general"),
        (600, "law_and_ethics"),
    ]
    assert {e["certification_id"] for e in events} == {holder.certification_id}
    async with app.state.sessions() as session:
        audits = (
            await session.exec(
                select(AuditRecord).where(AuditRecord.action == "ce.completion_recorded")
            )
        ).all()
    assert sorted(a.entity_id for a in audits) == sorted(r["id"] for r in ledger)
    assert all(a.actor.startswith("provider:") for a in audits)


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"course_id": "5b1a2c3d-0000-4000-8000-000000000000"}, "course_id", "unknown course"),
        ({"completed_on": "2026-05-11"}, "completed_on", "in the future"),
        ({"completed_on": "2026-03-09"}, "completed_on", "before the certification was issued"),
        ({"completed_on": "2026-02-30"}, "completed_on", "malformed date"),
        ({"certificate_number": "not a number"}, "certificate_number", "not a certificate number"),
        ({"certificate_number": "0000-0000-0000"}, "certificate_number", "no certification has"),
        ({"certificate_number": None}, "certificate_number", "valid string"),
        ({"completion_id": "   "}, "completion_id", "at least 1 character"),
        ({"hours": "40"}, "hours", "Extra inputs"),
    ],
)
async def test_every_rejection_reason(
    client, app, holder, ce_provider, overrides, field, reason
) -> None:
    response = await report(client, ce_provider, [completion(ce_provider, holder, **overrides)])
    [result] = response.json()["results"]
    assert (result["outcome"], result["field"]) == ("rejected", field)
    assert reason in result["reason"]
    assert await stored(app) == 0
    assert await recorded_events(app) == []


async def test_a_valid_number_of_nobody_is_told_apart_from_a_mistyped_one(
    client, holder, ce_provider
) -> None:
    # "0000-0000-0000" is well formed (its check symbol is right) but issued to no one; one
    # symbol changed in the holder's own number fails the check before any lookup.
    typo = ("1" if holder.number[0] != "1" else "2") + holder.number[1:]
    response = await report(
        client, ce_provider, [completion(ce_provider, holder, certificate_number=typo)]
    )
    assert "not a certificate number" in response.json()["results"][0]["reason"]


async def test_only_its_own_active_courses(client, mint, app, holder, ce_provider) -> None:
    other = await make_ce_provider(client, mint, "Other Academy")
    theirs = completion(ce_provider, holder, course_id=other.courses["Ethics 6"])
    [result] = (await report(client, ce_provider, [theirs])).json()["results"]
    assert (result["outcome"], result["field"]) == ("rejected", "course_id")

    staff = bearer(mint("staff", "sam"))
    course = ce_provider.courses["Ethics 6"]
    path = f"/v1/providers/{ce_provider.id}/ce-courses"
    withdrawn = await client.patch(
        f"{path}/{course}", json={"expected_version": 1, "active": False}, headers=staff
    )
    assert withdrawn.json()["active"] is False
    [result] = (await report(client, ce_provider, [completion(ce_provider, holder)])).json()[
        "results"
    ]
    assert (result["outcome"], result["field"]) == ("rejected", "course_id")
    assert await stored(app) == 0


async def test_a_completion_id_is_stored_once(client, app, holder, ce_provider) -> None:
    first = (await report(client, ce_provider, [completion(ce_provider, holder)])).json()
    again = completion(ce_provider, holder, completed_on="2026-04-02")
    twice = [again, completion(ce_provider, holder, completion_id="CE-2")]
    second = (await report(client, ce_provider, [*twice, twice[1]])).json()
    assert second["batch"] == {"accepted": 1, "duplicate": 2, "rejected": 0}
    assert [(r["outcome"], r["id"]) for r in second["results"]] == [
        ("duplicate", first["results"][0]["id"]),
        ("accepted", second["results"][1]["id"]),
        ("duplicate", second["results"][1]["id"]),
    ]
    assert second["results"][0]["reason"] == "already received from this provider"
    assert await stored(app) == 2
    assert len(await recorded_events(app)) == 2


async def test_the_same_completion_id_from_another_provider_is_its_own(
    client, mint, app, holder, ce_provider
) -> None:
    other = await make_ce_provider(client, mint, "Other Academy")
    await report(client, ce_provider, [completion(ce_provider, holder)])
    answer = await report(client, other, [completion(other, holder)])
    assert answer.json()["batch"]["accepted"] == 1
    assert await stored(app) == 2


async def test_a_retried_batch_with_the_same_key_stores_once(
    client, app, holder, ce_provider
) -> None:
    rows = [completion(ce_provider, holder), completion(ce_provider, holder, completion_id="X")]
    first = await report(client, ce_provider, rows, key="batch-7")
    retried = await report(client, ce_provider, rows, key="batch-7")
    assert retried.status_code == 200
    assert retried.headers.get("Idempotent-Replayed") == "true"
    # The first answer again (both accepted), not "duplicate": the retry did nothing.
    assert retried.json() == first.json()
    assert first.json()["batch"]["accepted"] == 2
    assert await stored(app) == 2
    assert len(await recorded_events(app)) == 2

    changed = await report(client, ce_provider, rows[:1], key="batch-7")
    assert changed.status_code == 422
    assert changed.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_a_suspended_provider_reports_nothing(client, mint, app, holder, ce_provider) -> None:
    staff = bearer(mint("staff", "sam"))
    suspended = await client.patch(
        f"/v1/providers/{ce_provider.id}",
        json={"expected_version": ce_provider.version, "status": "suspended"},
        headers=staff,
    )
    assert suspended.status_code == 200, suspended.text
    answer = (await report(client, ce_provider, [completion(ce_provider, holder)])).json()
    assert answer["batch"] == {"accepted": 0, "duplicate": 0, "rejected": 1}
    assert answer["results"][0]["field"] == "provider"
    assert answer["results"][0]["reason"] == "the provider is suspended"
    assert await stored(app) == 0


async def test_a_provider_reports_only_as_itself(client, mint, app, holder, ce_provider) -> None:
    other = await make_ce_provider(client, mint, "Other Academy")
    answer = await client.post(
        f"/v1/providers/{ce_provider.id}/ce-completions",
        json={"completions": [completion(ce_provider, holder)]},
        headers=bearer(other.token),
    )
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "NOT_FOUND"
    assert await stored(app) == 0


async def test_a_provider_reads_back_what_it_reported(client, mint, holder, ce_provider) -> None:
    other = await make_ce_provider(client, mint, "Other Academy")
    rows = [completion(ce_provider, holder, completion_id=f"R-{n}") for n in range(3)]
    await report(client, ce_provider, rows)
    await report(client, other, [completion(other, holder)])
    path = f"/v1/providers/{ce_provider.id}/ce-completions"
    first = (await client.get(path, params={"limit": 2}, headers=bearer(ce_provider.token))).json()
    rest = (
        await client.get(
            path,
            params={"limit": 2, "after": first["next_cursor"]},
            headers=bearer(ce_provider.token),
        )
    ).json()
    listed = [r["provider_completion_id"] for r in first["items"] + rest["items"]]
    assert sorted(listed) == ["R-0", "R-1", "R-2"]
    assert rest["next_cursor"] is None
    hidden = await client.get(path, headers=bearer(other.token))
    assert (hidden.status_code, hidden.json()["error"]["code"]) == (404, "NOT_FOUND")
    # A provider reaches a person's ledger only through its own reports, never the whole of it.
    ledger = await records(client, other.token, holder.certification_id)
    assert ledger.status_code == 403
