"""Staff verify self-reports: the queue, accept and reject, versions, and what then counts."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import select

from applications.ce.repository import CeRepository
from applications.ce.sums import LedgerSums
from certboard_core.audit import AuditRecord
from certboard_core.testing.plugin import bearer

from .conftest import (
    TODAY,
    certify,
    completion,
    recorded_events,
    records,
    report,
    self_report,
)


async def _decide(client, record: dict, action: str, staff: str, **body) -> dict:
    body.setdefault("expected_version", record["version"])
    response = await client.post(
        f"/v1/ce-records/{record['id']}/{action}", json=body, headers=bearer(staff)
    )
    return {**response.json(), "http": response.status_code}


async def test_the_queue_is_oldest_first_with_counts(client, mint, clock, holder) -> None:
    staff = bearer(mint("staff", "sam"))
    bob = await certify(client, mint, "bob")
    made = []
    for n, who in enumerate((holder, bob, holder)):
        clock.set(TODAY + timedelta(minutes=n))
        made.append((await self_report(client, who.token, who.certification_id)).json()["id"])
    summary = (await client.get("/v1/ce-records/summary", headers=staff)).json()
    assert summary == {"pending_verification": 3, "oldest_received_at": "2026-05-10T17:00:00Z"}
    first = (
        await client.get("/v1/ce-records/verification-queue", params={"limit": 2}, headers=staff)
    ).json()
    rest = (
        await client.get(
            "/v1/ce-records/verification-queue",
            params={"limit": 2, "after": first["next_cursor"]},
            headers=staff,
        )
    ).json()
    assert [r["id"] for r in first["items"] + rest["items"]] == made
    assert rest["next_cursor"] is None


async def test_accepted_counts_and_is_announced(client, app, mint, holder) -> None:
    staff = mint("staff", "sam")
    record = (await self_report(client, holder.token, holder.certification_id)).json()
    async with app.state.sessions() as session:
        counted = await CeRepository(session).records(
            [uuid.UUID(record["certification_id"])], counted_only=True
        )
    assert counted == {}
    assert await recorded_events(app) == []

    accepted = await _decide(client, record, "accept", staff)
    assert (accepted["http"], accepted["status"], accepted["version"]) == (200, "accepted", 2)
    [event] = await recorded_events(app)
    assert event["record_id"] == record["id"]
    assert (event["source"], event["hours_hundredths"]) == ("self_reported", 225)
    async with app.state.sessions() as session:
        counted = await CeRepository(session).records(
            [uuid.UUID(record["certification_id"])], counted_only=True
        )
    [(certification, [row])] = [(str(k), v) for k, v in counted.items()]
    assert (certification, str(row.id)) == (holder.certification_id, record["id"])
    summary = (await client.get("/v1/ce-records/summary", headers=bearer(staff))).json()
    assert summary == {"pending_verification": 0, "oldest_received_at": None}


async def test_rejected_says_why_and_never_counts(client, app, mint, holder) -> None:
    staff = mint("staff", "sam")
    record = (await self_report(client, holder.token, holder.certification_id)).json()
    unexplained = await _decide(client, record, "reject", staff, reason="  ")
    assert (unexplained["http"], unexplained["error"]["field"]) == (422, "reason")
    rejected = await _decide(client, record, "reject", staff, reason="Not an approved topic.")
    assert (rejected["status"], rejected["review_reason"]) == ("rejected", "Not an approved topic.")
    listed = (await records(client, holder.token, holder.certification_id)).json()["items"]
    assert [(r["status"], r["review_reason"]) for r in listed] == [
        ("rejected", "Not an approved topic.")
    ]
    assert await recorded_events(app) == []
    async with app.state.sessions() as session:
        query = select(AuditRecord).where(AuditRecord.entity_id == record["id"])
        trail = [(a.action, a.actor) for a in (await session.exec(query)).all()]
    assert sorted(trail) == [
        ("ce.record_rejected", "staff:sam"),
        ("ce.self_reported", "applicant:alice"),
    ]


async def test_a_stale_or_second_decision_is_refused(client, app, mint, holder) -> None:
    staff = mint("staff", "sam")
    record = (await self_report(client, holder.token, holder.certification_id)).json()
    stale = await _decide(client, record, "accept", staff, expected_version=2)
    assert (stale["http"], stale["error"]["code"]) == (409, "VERSION_CONFLICT")
    await _decide(client, record, "accept", staff)
    again = await _decide(client, {**record, "version": 2}, "reject", staff, reason="Oops.")
    assert (again["http"], again["error"]["code"]) == (409, "TRANSITION_NOT_ALLOWED")
    assert len(await recorded_events(app)) == 1


async def test_provider_records_are_not_for_staff_to_decide(
    client, mint, holder, ce_provider
) -> None:
    stored = (await report(client, ce_provider, [completion(ce_provider, holder)])).json()
    [record] = (await records(client, holder.token, holder.certification_id)).json()["items"]
    assert record["id"] == stored["results"][0]["id"]
    refused = await _decide(client, record, "reject", mint("staff", "sam"), reason="No.")
    assert (refused["http"], refused["error"]["code"]) == (409, "TRANSITION_NOT_ALLOWED")
    queue = (
        await client.get("/v1/ce-records/verification-queue", headers=bearer(mint("staff", "s")))
    ).json()
    assert queue["items"] == []


async def test_several_ledgers_in_one_read(client, app, mint, holder, ce_provider) -> None:
    bob = await certify(client, mint, "bob")
    await report(
        client,
        ce_provider,
        [
            completion(ce_provider, holder),
            completion(ce_provider, bob, completion_id="CE-2", completed_on="2026-04-03"),
            completion(ce_provider, holder, completion_id="CE-3", completed_on="2026-03-20"),
        ],
    )
    mine = (await self_report(client, holder.token, holder.certification_id)).json()
    ids = [holder.certification_id, bob.certification_id]
    read = await client.get(
        "/v1/ce-records",
        params={"certification_id": ids},
        headers=bearer(mint("staff", "sam")),
    )
    by = [(r["certification_id"], r["completed_on"], r["status"]) for r in read.json()["items"]]
    expected_holder = [
        (holder.certification_id, "2026-03-20", "accepted"),
        (holder.certification_id, "2026-04-01", "accepted"),
        (holder.certification_id, "2026-04-15", "pending_verification"),
    ]
    assert sorted(by) == sorted(
        [*expected_holder, (bob.certification_id, "2026-04-03", "accepted")]
    )
    own = await client.get(
        "/v1/ce-records", params={"certification_id": ids}, headers=bearer(holder.token)
    )
    assert [
        (r["certification_id"], r["completed_on"], r["status"]) for r in own.json()["items"]
    ] == expected_holder
    async with app.state.sessions() as session:
        ledgers = await CeRepository(session).records([uuid.UUID(i) for i in ids])
    # The service's own read (renewal, progress): every record, by completion day.
    assert {str(k): [r.completed_on.isoformat() for r in v] for k, v in ledgers.items()} == {
        holder.certification_id: ["2026-03-20", "2026-04-01", "2026-04-15"],
        bob.certification_id: ["2026-04-03"],
    }
    assert str(ledgers[uuid.UUID(holder.certification_id)][-1].id) == mine["id"]
    async with app.state.sessions() as session:
        counted = await LedgerSums(session).counted_hours([uuid.UUID(i) for i in ids])
    # The lean read progress uses: accepted records only (the self-report still waits).
    assert {
        str(k): [(r.completed_on.isoformat(), r.category.value, r.hours) for r in v]
        for k, v in counted.items()
    } == {
        holder.certification_id: [
            ("2026-03-20", "law_and_ethics", 600),
            ("2026-04-01", "law_and_ethics", 600),
        ],
        bob.certification_id: [("2026-04-03", "law_and_ethics", 600)],
    }
