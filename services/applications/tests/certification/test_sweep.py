"""The sweep writes the statuses time gives certifications, once, audited and announced, and
sends renewal reminders once per reason and period, at their boundaries under both presets."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import col, select

from applications.certification.models import Certification
from applications.certification.rules import CertificationStatus
from applications.notification.models import Notification
from applications.policy import ApplicationPolicy, build_policy
from applications.sweep.runner import sweep_once
from applications.sweep.service import SweepResult
from certboard_core.audit import AuditRecord
from certboard_core.outbox import OutboxEvent

from .conftest import approved, deliver, passed

CA, MT = build_policy("CA"), build_policy("MT")
S = CertificationStatus
WINDOW = S.IN_RENEWAL_WINDOW


async def certified(
    app, client, mint, who: str, valid_through: date, status: S = S.ACTIVE
) -> Certification:
    """``who``'s certification from a pass, its valid-through day (and status) set as asked."""
    application = await approved(client, mint, who)
    await deliver(client, mint, "exam.passed", passed(application))
    async with app.state.sessions() as session, session.begin():
        query = select(Certification).where(
            Certification.application_id == uuid.UUID(application["id"])
        )
        certification = (await session.exec(query)).one()
        certification.valid_through, certification.status = valid_through, status
        session.add(certification)
    return certification


async def sweep(app, clock, on: date, policy: ApplicationPolicy) -> SweepResult:
    """One sweep at noon of ``on`` in the board's zone (20:00 UTC is noon in Los Angeles)."""
    clock.set(datetime(on.year, on.month, on.day, 20, tzinfo=UTC))
    return await sweep_once(app.state.sessions, clock=clock, policy=policy, outbox=app.state.outbox)


async def stored(app, certification: Certification) -> Certification:
    async with app.state.sessions() as session:
        return await session.get_one(Certification, certification.id)


async def rows(app, model: Any, *where: Any) -> list[Any]:
    async with app.state.sessions() as session:
        return list((await session.exec(select(model).where(*where))).all())


async def reminders(app) -> list[Notification]:
    reasons = ("renewal_reminder", "certification_lapsed", "certification_expired")
    return await rows(app, Notification, col(Notification.reason).in_(reasons))


async def test_ca_window_then_expired_once_each_audited_and_announced(
    app, client, mint, clock
) -> None:
    certification = await certified(app, client, mint, "alice", date(2028, 5, 3))
    assert (await sweep(app, clock, date(2028, 2, 2), CA)).certification_statuses == 0
    assert (await sweep(app, clock, date(2028, 2, 3), CA)).certification_statuses == 1
    assert (await sweep(app, clock, date(2028, 2, 3), CA)).certification_statuses == 0
    assert (await stored(app, certification)).status is S.IN_RENEWAL_WINDOW
    assert (await sweep(app, clock, date(2028, 5, 3), CA)).certification_statuses == 0
    assert (await sweep(app, clock, date(2028, 5, 4), CA)).certification_statuses == 1
    after = await stored(app, certification)
    assert (after.status, after.version) == (S.EXPIRED, certification.version + 2)

    audits = await rows(app, AuditRecord, col(AuditRecord.entity_id) == str(certification.id))
    changes = [(a.actor, a.before, a.after) for a in audits if a.action.endswith("changed")]
    assert changes == [
        ("system:sweep", {"status": S.ACTIVE, "version": 1}, {"status": WINDOW, "version": 2}),
        ("system:sweep", {"status": WINDOW, "version": 2}, {"status": S.EXPIRED, "version": 3}),
    ]
    events = await rows(app, OutboxEvent, col(OutboxEvent.type) == "certification.status_changed")
    assert sorted((e.payload["from"], e.payload["to"], e.payload["on"]) for e in events) == [
        ("active", "in_renewal_window", "2028-02-03"),
        ("in_renewal_window", "expired", "2028-05-04"),
    ]
    assert events[0].payload["certification_id"] == str(certification.id)
    assert events[0].payload["number"] == certification.number
    assert events[0].payload["application_id"] == str(certification.application_id)


@pytest.mark.parametrize(
    ("on", "status"),
    [
        (date(2026, 10, 1), S.ACTIVE),  # 91 days before
        (date(2026, 10, 2), S.IN_RENEWAL_WINDOW),  # 90 days before
        (date(2026, 12, 31), S.IN_RENEWAL_WINDOW),
        (date(2027, 1, 1), S.LAPSED),  # day 1 after
        (date(2027, 2, 14), S.LAPSED),  # day 45
        (date(2027, 2, 15), S.EXPIRED),  # day 46
        (date(2028, 12, 31), S.EXPIRED),  # valid-through + 24 months
        (date(2029, 1, 1), S.TERMINATED),
    ],
)
async def test_mt_status_on_its_first_and_last_days(
    app, client, mint, clock, on: date, status: S
) -> None:
    certification = await certified(app, client, mint, "alice", date(2026, 12, 31))
    moved = (await sweep(app, clock, on, MT)).certification_statuses
    assert moved == (0 if status is S.ACTIVE else 1)
    assert (await stored(app, certification)).status is status
    assert (await sweep(app, clock, on, MT)).certification_statuses == 0


async def test_a_missed_sweep_moves_once_and_discipline_is_never_touched(
    app, client, mint, clock
) -> None:
    late = await certified(app, client, mint, "alice", date(2026, 12, 31))
    suspended = await certified(app, client, mint, "bob", date(2026, 12, 31), S.SUSPENDED)
    revoked = await certified(app, client, mint, "carol", date(2026, 12, 31), S.REVOKED)
    result = await sweep(app, clock, date(2027, 6, 1), MT)
    assert (result.certification_statuses, result.renewal_reminders) == (1, 1)
    events = await rows(app, OutboxEvent, col(OutboxEvent.type) == "certification.status_changed")
    assert [(e.payload["from"], e.payload["to"]) for e in events] == [("active", "expired")]
    assert (await stored(app, late)).status is S.EXPIRED
    assert (await stored(app, suspended)).status is S.SUSPENDED
    assert (await stored(app, revoked)).status is S.REVOKED
    # Only the active one is reminded, and only of the latest reminder due: its expiry.
    assert [(n.reason, n.dedupe_key) for n in await reminders(app)] == [
        ("certification_expired", "certification_expired:2026-12-31")
    ]


MT_DAYS = [
    (date(2026, 10, 1), []),  # 91 days before
    (date(2026, 10, 2), ["renewal_reminder:2026-12-31:90d"]),
    (date(2026, 10, 3), []),  # 89 days before
    (date(2026, 11, 1), ["renewal_reminder:2026-12-31:60d"]),
    (date(2026, 12, 1), ["renewal_reminder:2026-12-31:30d"]),
    (date(2027, 1, 1), ["certification_lapsed:2026-12-31"]),  # day 1 after
    (date(2027, 2, 14), []),  # day 45
    (date(2027, 2, 15), ["certification_expired:2026-12-31"]),  # day 46
    (date(2029, 1, 1), []),  # terminated: nothing more
]


async def test_mt_reminders_on_their_days_and_never_twice(app, client, mint, clock) -> None:
    await certified(app, client, mint, "alice", date(2026, 12, 31))
    seen: list[str] = []
    for on, expected in MT_DAYS:
        for _ in range(2):  # the second sweep of the day sends nothing
            await sweep(app, clock, on, MT)
        keys = [n.dedupe_key for n in await reminders(app)]
        assert keys[len(seen) :] == expected, on
        seen = keys
    notices = await reminders(app)
    assert {n.recipient for n in notices} == {"maria.lopez@example.org"}
    first = notices[0]
    assert first.subject == "Reminder: renew your certification within 90 days"
    assert "valid through December 31, 2026" in first.body
    assert "through February 14, 2027" in notices[3].body  # the last lapsed day
    assert "through December 31, 2028" in notices[4].body  # the last expired day


async def test_ca_reminders_at_90_days_and_at_expiry(app, client, mint, clock) -> None:
    await certified(app, client, mint, "alice", date(2028, 5, 3))
    for on, sent in [
        (date(2028, 2, 2), 0),  # 91 days before
        (date(2028, 2, 3), 1),  # 90
        (date(2028, 2, 4), 0),  # 89
        (date(2028, 5, 4), 1),  # day 1 after: expired at once
        (date(2028, 5, 4), 0),
        (date(2030, 1, 1), 0),
    ]:
        assert (await sweep(app, clock, on, CA)).renewal_reminders == sent, on
    assert [n.dedupe_key for n in await reminders(app)] == [
        "renewal_reminder:2028-05-03:90d",
        "certification_expired:2028-05-03",
    ]


async def test_a_missed_sweep_sends_only_the_latest_reminder_with_the_days_left(
    app, client, mint, clock
) -> None:
    await certified(app, client, mint, "alice", date(2026, 12, 31))
    assert (await sweep(app, clock, date(2026, 12, 15), MT)).renewal_reminders == 1
    [notice] = await reminders(app)
    assert notice.dedupe_key == "renewal_reminder:2026-12-31:30d"
    assert notice.subject == "Reminder: renew your certification within 16 days"
    events = await rows(app, OutboxEvent, col(OutboxEvent.type) == "notification.requested")
    assert str(notice.id) in {e.payload["notification_id"] for e in events}


async def test_a_suspension_past_its_last_day_is_written_as_time_says(
    app, client, mint, clock
) -> None:
    ending = await certified(app, client, mint, "dan", date(2027, 12, 31), S.SUSPENDED)
    async with app.state.sessions() as session, session.begin():
        row = await session.get_one(Certification, ending.id)
        row.suspended_through = date(2027, 6, 30)
        session.add(row)
    # The last suspended day: still suspended, read or swept.
    assert (await sweep(app, clock, date(2027, 6, 30), MT)).certification_statuses == 0
    assert (await stored(app, ending)).status is S.SUSPENDED
    # The day after: the sweep writes the status time gives, and forgets the last day.
    assert (await sweep(app, clock, date(2027, 7, 1), MT)).certification_statuses == 1
    after = await stored(app, ending)
    assert (after.status, after.suspended_through) == (S.ACTIVE, None)
    events = await rows(app, OutboxEvent, col(OutboxEvent.type) == "certification.status_changed")
    assert [(e.payload["from"], e.payload["to"]) for e in events] == [("suspended", "active")]
