"""The status view's one statement: the applications asked for and every row they show.

A status view is an application and its documents, revision requests, notices, fees,
training certificates and certification. They are read as one ``SELECT ... UNION ALL ...``
instead of one statement per kind of row: each branch reads one table into its own columns
of a shared row shape, the other kinds' columns being NULLs cast to those columns' types
(PostgreSQL matches each column's type across the branches), so
SQLAlchemy converts every value as the models store it (UTC instants, UUIDs, enums, JSON)
and no ORM object is built. Only the columns the view shows are read.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    CompoundSelect,
    Row,
    String,
    Table,
    bindparam,
    cast,
    literal_column,
    null,
    or_,
    select,
    union_all,
)

from applications.application.models import Application, ApplicationDocument, RevisionRequest
from applications.certificate.models import TrainingCertificate
from applications.certification.models import Certification
from applications.notification.models import Notification
from applications.payment.models import Payment

Values = dict[str, Any]


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


@dataclass(frozen=True)
class Part:
    """One kind of row: its table, the columns the view shows, the column naming its
    application, and how a view orders its rows."""

    kind: str
    table: Table
    columns: tuple[str, ...]
    owner: str
    order: tuple[str, ...] = ()


APPLICATION = Part(
    "application",
    _table(Application),
    (
        "id",
        "applicant_id",
        "status",
        "first_name",
        "last_name",
        "date_of_birth",
        "email",
        "lived_experience",
        "submitted_at",
        "submitted_on",
        "approved_at",
        "decision_reason",
        "background_check",
        "version",
        "first_notification_due_on",
        "first_notified_on",
        "last_day_to_complete",
        "valid_through",
        "code_of_ethics_agreed",
        "willing_to_share_experience",
        "recovery_two_years_attested",
        "diagnosis_treatment_attested",
    ),
    "id",
)
DOCUMENTS = Part(
    "documents",
    _table(ApplicationDocument),
    (
        "id",
        "kind",
        "version",
        "content_type",
        "size_bytes",
        "sha256",
        "original_filename",
        "uploaded_at",
    ),
    "application_id",
)
REVISIONS = Part(
    "revision_requests",
    _table(RevisionRequest),
    ("id", "items", "note", "requested_at", "resolved_at"),
    "application_id",
    ("requested_at", "id"),
)
NOTIFICATIONS = Part(
    "notifications",
    _table(Notification),
    ("id", "reason", "subject", "body", "created_at"),
    "application_id",
    ("created_at", "id"),
)
PAYMENTS = Part(
    "payments",
    _table(Payment),
    ("id", "kind", "amount_cents", "currency", "reference", "paid_at", "forfeited_at"),
    "application_id",
    ("paid_at", "id"),
)
CERTIFICATES = Part(
    "training_certificates",
    _table(TrainingCertificate),
    (
        "id",
        "provider_id",
        "program_id",
        "provider_certificate_id",
        "legal_name",
        "date_of_birth",
        "email",
        "completed_on",
        "hours",
        "valid_through",
        "applicant_id",
        "received_at",
        "review_due_on",
        "status",
        "reviewed_at",
        "review_reason",
        "file_storage_key",
        "version",
    ),
    "application_id",
    ("received_at", "id"),
)
CERTIFICATION = Part(
    "certification",
    _table(Certification),
    (
        "id",
        "number",
        "applicant_id",
        "holder_name",
        "status",
        "issued_on",
        "valid_through",
        "suspended_through",
        "issued_at",
        "version",
    ),
    "application_id",
)
PARTS = (APPLICATION, DOCUMENTS, REVISIONS, NOTIFICATIONS, PAYMENTS, CERTIFICATES, CERTIFICATION)


def _spans() -> list[tuple[int, int]]:
    """Where each part's owner and columns sit in the shared row (column 0 is the part)."""
    spans, start = [], 1
    for part in PARTS:
        end = start + 1 + len(part.columns)
        spans.append((start, end))
        start = end
    return spans


_SPANS = _spans()


@dataclass
class StatusRows:
    """One application's row and the rows of each kind its status view shows."""

    application: Values
    children: dict[str, list[Values]] = field(default_factory=dict)

    def of(self, part: Part) -> list[Values]:
        """The part's rows, in the view's order."""
        found = self.children.get(part.kind, [])
        if part.order:
            found.sort(key=lambda values: tuple(values[c] for c in part.order))
        return found


def _columns(number: int) -> list[ColumnElement[Any]]:
    """The shared row shape as branch ``number`` fills it: its part's columns (and owner)
    read, every other part's columns NULL of the column's type."""
    shape: list[ColumnElement[Any]] = [literal_column(str(number)).label("part")]
    for index, part in enumerate(PARTS):
        labelled = [("of", part.owner), *((name, name) for name in part.columns)]
        for label, name in labelled:
            column = part.table.c[name]
            value = column if index == number else cast(null(), column.type)
            shape.append(value.label(f"{part.kind}__{label}"))
    return shape


def _status_query() -> CompoundSelect[Any]:
    """The statement, built once: its ~500 columns cost milliseconds to build and to key for
    SQLAlchemy's compiled cache, so every read runs this one object with its parameters.

    Parameters: ``ids`` (the applications asked for), ``reads_all`` and ``reader``
    (``ApplicationRepository.reads``: who may read which applications).
    """
    application = APPLICATION.table
    access = or_(
        bindparam("reads_all", type_=Boolean),
        application.c.applicant_id == bindparam("reader", type_=String),
    )
    chosen = (
        select(application.c.id)
        .where(application.c.id.in_(bindparam("ids", expanding=True)), access)
        .cte("chosen")
    )
    branches = [select(*_columns(0)).where(application.c.id.in_(select(chosen.c.id)))]
    for number, part in enumerate(PARTS[1:], start=1):
        owner = part.table.c[part.owner]
        branches.append(select(*_columns(number)).where(owner.in_(select(chosen.c.id))))
    return union_all(*branches)


STATUS_QUERY = _status_query()


def collect(rows: Sequence[Row[Any]]) -> dict[uuid.UUID, StatusRows]:
    """The statement's rows, by application."""
    views: dict[uuid.UUID, StatusRows] = {}
    children: list[tuple[uuid.UUID, Part, Values]] = []
    for row in rows:
        part = PARTS[row[0]]
        start, end = _SPANS[row[0]]
        owner, *values = row[start:end]
        named = dict(zip(part.columns, values, strict=True))
        if part is APPLICATION:
            views[owner] = StatusRows(named)
        else:
            children.append((owner, part, named))
    for owner, part, named in children:
        views[owner].children.setdefault(part.kind, []).append(named)
    return views
