"""The renewal sweep benchmarks' data: certified applications and their certifications.

``due`` certifications are all stored active with valid-through days spread over the 850 days
up to 90 days after today, so one sweep finds every one of them moved by time (renewal window,
lapsed, expired or terminated, under ``MT``) and almost all owed a reminder: a board's
backlog after its sweep stood still, the heaviest day the sweep can have. ``others`` are
active and far from their window: rows it must read past and leave alone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from applications.application.lifecycle import ApplicationStatus
from applications.certification.names import name_key
from applications.certification.rules import CertificationStatus
from applications.policy import ApplicationPolicy
from bench import rows
from bench.fill import bulk_insert

Row = dict[str, Any]
SPREAD_DAYS = 850


def certified(i: int, *, now: datetime, policy: ApplicationPolicy) -> Row:
    """Application ``i``, approved long ago and since certified."""
    row = rows.application(
        i, status=ApplicationStatus.APPROVED, submitted_at=now - timedelta(days=900), policy=policy
    )
    row["status"], row["version"] = ApplicationStatus.CERTIFIED, 4
    return row


def certification(i: int, application: Row, valid_through: date) -> Row:
    """The certification of ``application``, stored active as issued."""
    issued_on = valid_through - timedelta(days=365)
    return {
        "id": rows.new_id(),
        "number": f"BNCH-{i:07d}",
        "application_id": application["id"],
        "applicant_id": application["applicant_id"],
        "holder_name": f"{application['first_name']} {application['last_name']}",
        "last_name_key": name_key(application["last_name"]),
        "first_name_key": name_key(application["first_name"]),
        "issued_on": issued_on,
        "valid_through": valid_through,
        "status": CertificationStatus.ACTIVE,
        "attempt_id": f"attempt-{i}",
        "issued_at": datetime(issued_on.year, issued_on.month, issued_on.day, 18, tzinfo=UTC),
        "version": 1,
    }


async def fill(
    engine: AsyncEngine, *, count: int, others: int, now: datetime, policy: ApplicationPolicy
) -> int:
    """``count`` certifications time has moved and ``others`` it has not; rows added."""
    today = policy.local_date(now)
    applications = [certified(i, now=now, policy=policy) for i in range(count + others)]
    days = [today + timedelta(days=90 - i % SPREAD_DAYS) for i in range(count)]
    days += [today + timedelta(days=200 + i % 100) for i in range(others)]
    certifications = (
        certification(i, a, d) for i, (a, d) in enumerate(zip(applications, days, strict=True))
    )
    added = await bulk_insert(engine, "application", applications)
    return added + await bulk_insert(engine, "certification", certifications)
