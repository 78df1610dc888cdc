"""The status benchmarks' data: background applicants, and one applicant whose view is read."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from applications.application.lifecycle import ApplicationStatus
from applications.application.models import DocumentKind
from applications.certification import numbers
from applications.certification.names import name_key
from applications.certification.rules import CertificationStatus
from applications.notification.models import NotificationReason
from applications.policy import ApplicationPolicy
from bench import rows
from bench.fill import Row, bulk_insert

S = ApplicationStatus
APPLICANT = "applicant-measured"
# The measured applicant's certificate number, for public verification by number.
NUMBER = numbers.formatted("BENCH000001" + numbers.check_symbol("BENCH000001"))


def certification_of(app: Row, now: datetime) -> Row:
    """A certification of ``app`` under ``NUMBER``, issued a year ago and active."""
    issued = (now - timedelta(days=365)).date()
    return {
        "id": uuid.uuid4(),
        "number": NUMBER,
        "application_id": app["id"],
        "applicant_id": app["applicant_id"],
        "holder_name": f"{app['first_name']} {app['last_name']}",
        "last_name_key": name_key(app["last_name"]),
        "first_name_key": name_key(app["first_name"]),
        "issued_on": issued,
        "valid_through": issued + timedelta(days=729),
        "status": CertificationStatus.ACTIVE.value,
        "attempt_id": "bench",
        "issued_at": now - timedelta(days=365),
        "version": 1,
    }


def measured_applicant(
    policy: ApplicationPolicy, now: datetime
) -> tuple[list[tuple[str, Row]], uuid.UUID]:
    """Three applications of the measured applicant: one approved, one long void, and the
    current one, incomplete, with a revision request and a replaced diploma."""
    made: list[tuple[str, Row]] = []
    specs = [
        (S.APPROVED, now - timedelta(days=200)),
        (S.VOID, now - timedelta(days=500)),
        (S.INCOMPLETE, now - timedelta(days=40)),
    ]
    current: uuid.UUID | None = None
    for n, (status, submitted_at) in enumerate(specs):
        app = rows.application(
            10_000_000 + n,
            status=status,
            submitted_at=submitted_at,
            policy=policy,
            applicant_id=APPLICANT,
        )
        made.append(("application", app))
        if status is S.APPROVED:
            made.append(("certification", certification_of(app, now)))
        made += [("application_document", d) for d in rows.documents_of(app)]
        made += [("notification", notice) for notice in rows.notices_of(app, policy)]
        made.append(("payment", rows.payment(app["id"], at=submitted_at)))
        made.append(
            (
                "notification",
                rows.notification(
                    app["id"],
                    app["email"],
                    NotificationReason.REVISION_REQUESTED,
                    at=submitted_at + timedelta(days=6),
                    policy=policy,
                ),
            )
        )
        current = app["id"]
    assert current is not None
    later = now - timedelta(days=30)
    made += [
        ("revision_request", rows.revision_request(current, at=later, items=["diploma"])),
        ("application_document", rows.document(current, DocumentKind.DIPLOMA, at=later, version=2)),
    ]
    return made, current


async def fill(
    engine: AsyncEngine, size: int, policy: ApplicationPolicy, now: datetime
) -> tuple[int, uuid.UUID]:
    """``size`` applications in all, two per background applicant, then their documents,
    notices and fees (a fee for every other one), one bulk insert per table; returns the rows
    added and the id of the measured applicant's current application."""
    kept = ("id", "email", "submitted_at", "first_notified_on")
    background: list[Row] = []

    def applications() -> Iterator[Row]:
        for i in range(size - 3):
            app = rows.not_due(i, now=now, policy=policy, applicant_id=f"applicant-{i // 2}")
            background.append({k: app[k] for k in kept})
            yield app

    added = await bulk_insert(engine, "application", applications())
    added += await bulk_insert(
        engine, "application_document", (d for a in background for d in rows.documents_of(a))
    )
    added += await bulk_insert(
        engine, "notification", (n for a in background for n in rows.notices_of(a, policy))
    )
    added += await bulk_insert(
        engine,
        "payment",
        (rows.payment(a["id"], at=a["submitted_at"]) for a in background[::2]),
    )
    own, current = measured_applicant(policy, now)
    tables = (
        "application",
        "certification",
        "application_document",
        "notification",
        "payment",
        "revision_request",
    )
    for name in tables:
        added += await bulk_insert(engine, name, [r for t, r in own if t == name])
    return added, current
