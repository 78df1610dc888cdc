"""Rows as the service would have written them, built as plain dicts for bulk inserts."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from applications import rules
from applications.application.lifecycle import ApplicationStatus
from applications.application.models import BackgroundCheck, DocumentKind, LivedExperience
from applications.notification.models import NotificationReason
from applications.payment.models import FeeKind
from applications.policy import ApplicationPolicy

S = ApplicationStatus
Row = dict[str, Any]

STAFF = "staff:bench-staff"
# Seeded: each run of a script fills the same data (and uuid4's urandom costs more).
_random = random.Random(20260310)  # noqa: S311 - test data, not secrets


def new_id() -> uuid.UUID:
    return uuid.UUID(int=_random.getrandbits(128))


FIRST_NAMES = ("Maria", "James", "Aisha", "Wei", "Olga", "Tomas", "Priya", "Kofi")
LAST_NAMES = ("Lopez", "Smith", "Okafor", "Chen", "Ivanova", "Garcia", "Patel", "Mensah")
# How many staff actions a status took to reach (submitted is version 1).
VERSIONS = {
    S.SUBMITTED: 1,
    S.UNDER_REVIEW: 2,
    S.INCOMPLETE: 3,
    S.RESUBMITTED: 4,
    S.APPROVED: 3,
    S.DENIED: 3,
    S.WITHDRAWN: 2,
    S.VOID: 4,
    S.EXPIRED: 4,
}


def application(
    i: int,
    *,
    status: ApplicationStatus,
    submitted_at: datetime,
    policy: ApplicationPolicy,
    applicant_id: str | None = None,
    **values: Any,
) -> Row:
    """Application number ``i``; deadlines derived from ``submitted_at`` as the service does."""
    submitted_on = policy.local_date(submitted_at)
    row: Row = {
        "id": new_id(),
        "applicant_id": applicant_id or f"applicant-{i}",
        "first_name": FIRST_NAMES[i % len(FIRST_NAMES)],
        "last_name": LAST_NAMES[(i // len(FIRST_NAMES)) % len(LAST_NAMES)],
        "date_of_birth": date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
        "email": f"applicant{i}@example.org",
        "code_of_ethics_agreed": True,
        "lived_experience": LivedExperience.CONSUMER if i % 3 else LivedExperience.FAMILY_MEMBER,
        "willing_to_share_experience": True,
        "recovery_two_years_attested": None,
        "diagnosis_treatment_attested": None,
        "status": status,
        "submitted_at": submitted_at,
        "submitted_on": submitted_on,
        "first_notification_due_on": rules.first_notification_due(submitted_at, policy),
        "last_day_to_complete": rules.last_day_to_complete(submitted_at, policy),
        # Staff asked for something (or decided) within the first week.
        "first_notified_on": None if status is S.SUBMITTED else submitted_on + timedelta(days=5),
        "approved_at": None,
        "valid_through": None,
        "decided_at": None,
        "decision_reason": None,
        "closed_at": None,
        "background_check": BackgroundCheck.NOT_VERIFIED,
        "background_check_by": None,
        "background_check_at": None,
        "background_check_note": None,
        "version": VERSIONS[status],
    }
    if status in (S.APPROVED, S.EXPIRED):
        approved_at = submitted_at + timedelta(days=10)
        row["approved_at"] = row["decided_at"] = approved_at
        row["valid_through"] = policy.local_date(approved_at) + relativedelta(
            months=policy.approval_valid_months
        )
    if status in (S.DENIED, S.WITHDRAWN):
        row["decided_at"] = submitted_at + timedelta(days=10)
    if status in (S.VOID, S.EXPIRED, S.WITHDRAWN):
        row["closed_at"] = submitted_at + timedelta(days=120)
    row.update(values)
    return row


def due_to_void(i: int, *, now: datetime, policy: ApplicationPolicy) -> Row:
    """Incomplete, its last day to complete already past (92 to 271 days since submission)."""
    submitted_at = now - timedelta(days=92 + i % 180, minutes=i % 600)
    return application(i, status=S.INCOMPLETE, submitted_at=submitted_at, policy=policy)


def not_due(i: int, *, now: datetime, policy: ApplicationPolicy, **values: Any) -> Row:
    """An application the sweep must leave alone (a few get reminders, as in real life)."""
    kind = i % 20
    if kind < 6:  # 30% waiting on staff, submitted in the last 90 days
        status, days = (S.SUBMITTED if kind < 3 else S.UNDER_REVIEW), i % 90
    elif kind < 11:  # 25% incomplete, the last day still ahead; ~1 in 6 in a reminder window
        status, days = S.INCOMPLETE, i % 89
    elif kind < 15:  # 20% approved and valid; ~1 in 12 in the expiry reminder window
        status, days = S.APPROVED, 10 + i % 355
    else:  # 25% final long ago: denied, withdrawn, void, expired
        status, days = (S.DENIED, S.WITHDRAWN, S.VOID, S.EXPIRED)[kind % 4], 400
    submitted_at = now - timedelta(days=days)
    return application(i, status=status, submitted_at=submitted_at, policy=policy, **values)


def document(
    application_id: uuid.UUID, kind: DocumentKind, *, at: datetime, version: int = 1
) -> Row:
    pdf = kind is not DocumentKind.GOVERNMENT_ID
    return {
        "id": new_id(),
        "application_id": application_id,
        "kind": kind,
        "version": version,
        "content_type": "application/pdf" if pdf else "image/jpeg",
        "size_bytes": 48_213,
        "sha256": "9f2c" * 16,
        "storage_key": new_id().hex,
        "original_filename": f"{kind.value}.{'pdf' if pdf else 'jpg'}",
        "uploaded_at": at,
        "uploaded_by": "applicant",
    }


def notification(
    application_id: uuid.UUID,
    email: str,
    reason: NotificationReason,
    *,
    at: datetime,
    policy: ApplicationPolicy,
) -> Row:
    on = policy.local_date(at)
    return {
        "id": new_id(),
        "application_id": application_id,
        "reason": reason,
        "dedupe_key": f"{reason.value}:{on.isoformat()}:",
        "recipient": email,
        "subject": f"Your application: {reason.value.replace('_', ' ')}",
        "body": "Please sign in to the certification board's portal to see the details.",
        "created_at": at,
        "created_on": on,
        "created_by": STAFF,
    }


def payment(application_id: uuid.UUID, *, at: datetime, cents: int = 12_500) -> Row:
    return {
        "id": new_id(),
        "application_id": application_id,
        "kind": FeeKind.APPLICATION,
        "amount_cents": cents,
        "currency": "USD",
        "reference": f"bench-{new_id().hex}",
        "paid_at": at,
        "recorded_by": STAFF,
        "recorded_at": at,
        "forfeited_at": None,
    }


def revision_request(application_id: uuid.UUID, *, at: datetime, items: list[str]) -> Row:
    return {
        "id": new_id(),
        "application_id": application_id,
        "items": items,
        "note": "The diploma scan is unreadable; please upload it again.",
        "requested_by": STAFF,
        "requested_at": at,
        "resolved_at": None,
    }


def documents_of(app: Row) -> Iterator[Row]:
    """The two documents every submission has."""
    at = app["submitted_at"]
    yield document(app["id"], DocumentKind.GOVERNMENT_ID, at=at)
    yield document(app["id"], DocumentKind.DIPLOMA, at=at)


def notices_of(app: Row, policy: ApplicationPolicy) -> Iterator[Row]:
    """A status message once staff acted on the application."""
    if app["first_notified_on"] is not None:
        at = app["submitted_at"] + timedelta(days=5)
        reason = NotificationReason.STATUS_MESSAGE
        yield notification(app["id"], app["email"], reason, at=at, policy=policy)
