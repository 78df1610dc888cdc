"""The CE benchmark's data: N certified people with R accepted CE records each, stored as the
service would have stored them (an application row under each certification, as the foreign
key wants)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from applications.application.lifecycle import ApplicationStatus
from applications.ce.models import CeRecordStatus, CeSource
from applications.certification.names import name_key
from applications.certification.rules import CertificationStatus
from applications.policy import ApplicationPolicy
from applications.renewal.categories import CeCategory
from applications.renewal.rules import cycle_containing
from bench import rows
from bench.common import NOW, table
from bench.fill import Row, bulk_insert, settle

# Issued over the last four years: under CA in the first or second 2-year cycle, under MT in
# any of five calendar years (so the carry-over walk has up to four years behind it).
ISSUE_SPREAD_DAYS = 4 * 365
# Of every 10 records: 3 of law and ethics, 1 of suicide prevention, 6 general.
CATEGORIES = (
    (CeCategory.LAW_AND_ETHICS,) * 3 + (CeCategory.SUICIDE_PREVENTION,) + (CeCategory.GENERAL,) * 6
)


def issued_on(i: int, today: date) -> date:
    return today - timedelta(days=1 + (i * 7919) % ISSUE_SPREAD_DAYS)


def certification(i: int, app: Row, today: date, policy: ApplicationPolicy) -> Row:
    """Certified on a day of the last four years, valid through the end of today's period."""
    issued = issued_on(i, today)
    return {
        "id": rows.new_id(),
        "number": f"B-{i:08d}",
        "application_id": app["id"],
        "applicant_id": app["applicant_id"],
        "holder_name": f"{app['first_name']} {app['last_name']}",
        "last_name_key": name_key(app["last_name"]),
        "first_name_key": name_key(app["first_name"]),
        "issued_on": issued,
        "valid_through": cycle_containing(issued, today, policy).valid_through,
        "status": CertificationStatus.ACTIVE,
        "attempt_id": f"attempt-{i}",
        "issued_at": NOW,
        "version": 1,
    }


def ce_records(i: int, cert: Row, per_person: int, today: date) -> Iterator[Row]:
    """``per_person`` accepted completions spread from the day of issue through today, of
    0.5 to 4 hours in quarters, in mixed categories."""
    issued: date = cert["issued_on"]
    days = (today - issued).days + 1
    for j in range(per_person):
        yield {
            "id": rows.new_id(),
            "certification_id": cert["id"],
            "applicant_id": cert["applicant_id"],
            "source": CeSource.PROVIDER,
            "course_title": f"Course {j}",
            "provider_name": "Bench CE Provider",
            "hours": 25 * (2 + (i * 7 + j * 13) % 15),
            "category": CATEGORIES[(i + j) % len(CATEGORIES)],
            "completed_on": issued + timedelta(days=(i * 31 + j * 7919) % days),
            "received_at": NOW,
            "status": CeRecordStatus.ACCEPTED,
            "version": 1,
        }


async def fill(
    engine: AsyncEngine, *, count: int, per_person: int, policy: ApplicationPolicy
) -> dict[str, int]:
    """Applications, certifications and CE records; returns rows added by table."""
    today = policy.local_date(NOW)
    applications = [
        rows.application(
            i,
            status=ApplicationStatus.APPROVED,
            submitted_at=NOW - timedelta(days=1500),
            policy=policy,
        )
        for i in range(count)
    ]
    added = {"application": await bulk_insert(engine, "application", applications)}
    certifications = [certification(i, app, today, policy) for i, app in enumerate(applications)]
    del applications
    added["certification"] = await bulk_insert(engine, "certification", certifications)
    records = (
        record
        for i, cert in enumerate(certifications)
        for record in ce_records(i, cert, per_person, today)
    )
    added["ce_record"] = await bulk_insert(engine, "ce_record", records)
    return added


async def move_to(engine: AsyncEngine, policy: ApplicationPolicy) -> int:
    """Give every certification the valid-through day of today's period under ``policy``
    (another preset's data without filling again: same people, same ledger); returns how
    many issue days there were."""
    today = policy.local_date(NOW)
    certification = table("certification")
    async with engine.begin() as conn:
        days = (await conn.execute(select(certification.c.issued_on).distinct())).scalars()
        moves = [
            {"day": day, "through": cycle_containing(day, today, policy).valid_through}
            for day in days.all()
        ]
        await conn.execute(
            update(certification)
            .where(certification.c.issued_on == bindparam("day"))
            .values(valid_through=bindparam("through")),
            moves,
        )
    await settle(engine)
    return len(moves)
