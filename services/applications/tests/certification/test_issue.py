"""A pass certifies its application exactly once: number, dates, status, audit, event, notice."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlmodel import col, select

from applications.certification import numbers
from applications.certification.models import Certification
from applications.renewal.policy import CycleConvention
from certboard_core.audit import AuditRecord
from certboard_core.outbox import OutboxEvent
from certboard_core.testing.plugin import bearer

from .conftest import approved, deliver, passed, read


async def certifications(app) -> list[Certification]:
    async with app.state.sessions() as session:
        return list((await session.exec(select(Certification))).all())


async def events(app, event_type: str) -> list[OutboxEvent]:
    async with app.state.sessions() as session:
        query = select(OutboxEvent).where(OutboxEvent.type == event_type)
        return list((await session.exec(query)).all())


async def test_a_pass_certifies_the_application(client, app, mint) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sam")
    application = await approved(client, mint)
    answer = await deliver(client, mint, "exam.passed", passed(application, attempt_id="att-1"))
    assert answer.json()["outcome"] == "handled"

    view = await read(client, application, alice)
    assert view["status"] == "certified"
    certification = view["certification"]
    assert numbers.normalise(certification["number"]) == certification["number"]
    assert certification == {
        "id": certification["id"],
        "number": certification["number"],
        "application_id": application["id"],
        "applicant_id": "alice",
        "holder_name": "Maria Lopez",
        "status": "active",
        # Its dates and rule: from issue until the renewal window opens 90 days before.
        "status_since": "2026-05-04",
        "status_until": "2028-02-02",
        "status_rule": "active: until the renewal window opens 90 days before the "
        "valid-through day",
        "issued_on": "2026-05-04",
        "valid_through": "2028-05-03",
        "issued_at": "2026-03-10T17:00:00Z",
        "version": 1,
    }
    own = await client.get(
        f"/v1/applications/{application['id']}/certification", headers=bearer(alice)
    )
    assert own.json() == certification
    by_staff = await client.get(
        f"/v1/applications/{application['id']}/certification", headers=bearer(staff)
    )
    assert by_staff.json() == certification

    [issued] = await events(app, "certification.issued")
    assert issued.payload == {
        "certification_id": certification["id"],
        "number": certification["number"],
        "application_id": application["id"],
        "applicant_id": "alice",
        "attempt_id": "att-1",
        "issued_on": "2026-05-04",
        "valid_through": "2028-05-03",
    }
    [notice] = [n for n in view["notifications"] if n["reason"] == "certified"]
    assert certification["number"] in notice["body"]
    assert "May 3, 2028" in notice["body"]
    async with app.state.sessions() as session:
        audits = (
            await session.exec(
                select(AuditRecord).where(
                    col(AuditRecord.action).in_(["certification.issued", "application.certified"])
                )
            )
        ).all()
    assert {(a.action, a.actor) for a in audits} == {
        ("certification.issued", "service:exams"),
        ("application.certified", "service:exams"),
    }
    moved = next(a for a in audits if a.action == "application.certified")
    assert (moved.before or {})["status"] == "approved"
    assert (moved.after or {})["status"] == "certified"


async def test_the_same_event_twice_and_a_second_pass_issue_nothing_new(client, app, mint) -> None:
    application = await approved(client, mint)
    event_id = uuid.uuid4()
    first = await deliver(client, mint, "exam.passed", passed(application), event_id=event_id)
    again = await deliver(client, mint, "exam.passed", passed(application), event_id=event_id)
    other = await deliver(client, mint, "exam.passed", passed(application, "2026-06-01"))
    assert [r.json()["outcome"] for r in (first, again, other)] == [
        "handled",
        "duplicate",
        "handled",
    ]
    [stored] = await certifications(app)
    assert stored.issued_on.isoformat() == "2026-05-04"
    assert len(await events(app, "certification.issued")) == 1


async def test_a_number_collision_draws_again(client, app, mint, monkeypatch) -> None:
    first = await approved(client, mint)
    second = await approved(client, mint, "bob", email="bob@example.org", first_name="Bo")
    drawn = iter(["AAAA-AAAA-AAAB", "AAAA-AAAA-AAAB", "BBBB-BBBB-BBBC"])
    monkeypatch.setattr(numbers, "new_number", lambda: next(drawn))
    await deliver(client, mint, "exam.passed", passed(first))
    await deliver(client, mint, "exam.passed", passed(second))
    assert sorted(c.number for c in await certifications(app)) == [
        "AAAA-AAAA-AAAB",
        "BBBB-BBBB-BBBC",
    ]


async def test_a_pass_that_certifies_nothing(client, app, mint) -> None:
    application = await approved(client, mint)
    # Taken after the approval's last day, or for an application unknown here.
    late = passed(application, "2027-03-10")
    unknown = {**passed(application), "application_id": str(uuid.uuid4())}
    for payload in (late, unknown):
        answer = await deliver(client, mint, "exam.passed", payload)
        assert answer.json()["outcome"] == "handled"
    assert await certifications(app) == []
    assert (await read(client, application, mint("staff", "sam")))["status"] == "approved"


async def test_a_late_delivery_of_a_pass_in_time_still_certifies(client, app, mint, clock) -> None:
    application = await approved(client, mint)
    clock.set(datetime(2027, 4, 1, 20, tzinfo=UTC))  # after valid-through, before a sweep
    await deliver(client, mint, "exam.passed", passed(application, "2027-03-09"))
    view = await read(client, application, mint("staff", "sam"))
    assert view["status"] == "certified"
    assert view["certification"]["valid_through"] == "2029-03-08"


async def test_a_pass_in_time_certifies_even_after_the_sweep_wrote_expired(
    client, app, mint, clock
) -> None:
    staff = mint("staff", "sam")
    in_time, too_late = await approved(client, mint), await approved(client, mint, "bob")
    clock.set(datetime(2027, 3, 10, 20, tzinfo=UTC))  # the day after valid-through
    swept = await client.post("/internal/sweep", headers=bearer(staff))
    assert swept.json()["expired"] == 2
    assert (await read(client, in_time, staff))["status"] == "expired"
    # The vendor reports an exam taken on the last day, after the sweep: it still certifies.
    await deliver(client, mint, "exam.passed", passed(in_time, "2027-03-09"))
    view = await read(client, in_time, staff)
    assert (view["status"], view["certification"]["issued_on"]) == ("certified", "2027-03-09")
    # A pass a day after valid-through certifies nothing, expired or not.
    await deliver(client, mint, "exam.passed", passed(too_late, "2027-03-10"))
    assert (await read(client, too_late, staff))["status"] == "expired"
    assert [c.application_id for c in await certifications(app)] == [uuid.UUID(in_time["id"])]


async def test_certified_is_not_expired_by_a_read_or_the_sweep(client, app, mint, clock) -> None:
    staff = mint("staff", "sam")
    application = await approved(client, mint)
    await deliver(client, mint, "exam.passed", passed(application))
    clock.set(datetime(2027, 6, 1, 20, tzinfo=UTC))  # past the approval's valid-through
    assert (await read(client, application, staff))["status"] == "certified"
    swept = await client.post("/internal/sweep", headers=bearer(staff))
    assert swept.json()["expired"] == 0
    view = await read(client, application, staff)
    assert view["status"] == "certified"
    assert view["certification"]["status"] == "active"
    clock.set(datetime(2028, 5, 4, 20, tzinfo=UTC))  # the day after its last day
    view = await read(client, application, staff)
    assert (view["status"], view["certification"]["status"]) == ("certified", "expired")


async def test_only_its_applicant_and_staff_read_a_certification(client, app, mint) -> None:
    application = await approved(client, mint)
    path = f"/v1/applications/{application['id']}/certification"
    before = await client.get(path, headers=bearer(mint("applicant", "alice")))
    assert before.status_code == 404
    assert before.json()["error"] == {
        "code": "NOT_FOUND",
        "message": "the application has no certification",
        "field": "application_id",
        "request_id": before.json()["error"]["request_id"],
    }
    await deliver(client, mint, "exam.passed", passed(application))
    other = await client.get(path, headers=bearer(mint("applicant", "bob")))
    assert other.status_code == 404
    assert "certification" not in other.text.replace("no such application", "")
    for role in ("provider", "supervisor", "service"):
        refused = await client.get(path, headers=bearer(mint(role, "x")))
        assert refused.status_code == 403
    assert (await client.get(path)).status_code == 401


async def test_under_montana_a_certification_runs_to_the_end_of_its_year(client, app, mint) -> None:
    # Montana's calendar-year cycle on the CA windows this test's dates are built on.
    app.state.policy = app.state.policy.model_copy(
        update={"renewal_cycle": CycleConvention.CALENDAR_YEAR, "certification_valid_months": 12}
    )
    application = await approved(client, mint)
    await deliver(client, mint, "exam.passed", passed(application, "2026-05-04"))
    view = await read(client, application, mint("staff", "sam"))
    assert view["certification"]["valid_through"] == "2026-12-31"
