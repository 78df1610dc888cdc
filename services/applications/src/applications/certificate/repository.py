"""All SQL of training certificates, and who may read which."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, false, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from applications.application.models import Application
from applications.certificate.models import CertificateStatus, TrainingCertificate
from applications.provider.repository import acting_provider
from certboard_core.auth import Principal, Role
from certboard_core.db import aggregate_date
from certboard_core.pagination import Keyset, Page

C = TrainingCertificate


def _column(attribute: Any) -> ColumnElement[Any]:
    # What ``col`` returns is typed as an ORM attribute; Keyset takes the column it stands for.
    return cast(ColumnElement[Any], col(attribute))


BY_REVIEW_DAY = Keyset[TrainingCertificate](
    _column(C.review_due_on),
    _column(C.id),
    lambda c: (c.review_due_on, c.id),
    (date, uuid.UUID),
)
BY_RECEIVED = Keyset[TrainingCertificate](
    _column(C.received_at), _column(C.id), lambda c: (c.received_at, c.id)
)


@dataclass(frozen=True)
class Match:
    """The application a certificate joins, and whose it is."""

    application_id: uuid.UUID
    applicant_id: str


@dataclass(frozen=True)
class UploadFilters:
    """Which of a provider's uploads to list: by status, received in ``[since, before)``."""

    status: CertificateStatus | None = None
    received_since: datetime | None = None
    received_before: datetime | None = None


@dataclass(frozen=True)
class Counts:
    """What staff's certificate summary counts."""

    pending_review: int
    breaches: int
    unmatched: int
    next_review_due_on: date | None


def _pending_review() -> ColumnElement[bool]:
    return col(C.status) == CertificateStatus.PENDING_REVIEW


def _review_breach(today: date) -> ColumnElement[bool]:
    """Not reviewed by the end of the review day: still waiting, or decided too late."""
    return or_(
        and_(_pending_review(), col(C.review_due_on) < today),
        col(C.reviewed_on) > col(C.review_due_on),
    )


def _unmatched() -> ColumnElement[bool]:
    return col(C.application_id).is_(None)


class CertificateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> SelectOfScalar[TrainingCertificate]:
        """The certificates ``principal`` may read: staff all, a provider its own uploads,
        others none."""
        statement = select(C)
        if principal.has(Role.STAFF):
            return statement
        own = acting_provider(principal)
        if own is None:
            return statement.where(false())
        return statement.where(col(C.provider_id) == own)

    async def readable_one(
        self, principal: Principal, certificate_id: uuid.UUID
    ) -> TrainingCertificate | None:
        """The certificate, if ``principal`` may read it (to show it or to change it)."""
        statement = self.readable(principal).where(col(C.id) == certificate_id)
        return (await self.session.exec(statement)).first()

    async def review_queue(
        self,
        principal: Principal,
        *,
        today: date,
        breaches_only: bool,
        after: str | None,
        limit: int,
    ) -> Page[TrainingCertificate]:
        """Certificates waiting for review, earliest review day first; with ``breaches_only``
        only those whose review day has passed."""
        statement = self.readable(principal).where(_pending_review())
        if breaches_only:
            statement = statement.where(col(C.review_due_on) < today)
        return await self._page(BY_REVIEW_DAY, statement, after=after, limit=limit)

    async def unmatched(
        self, principal: Principal, *, after: str | None, limit: int
    ) -> Page[TrainingCertificate]:
        """Certificates linked to no application yet, oldest first."""
        statement = self.readable(principal).where(_unmatched())
        return await self._page(BY_RECEIVED, statement, after=after, limit=limit)

    async def uploads_of(
        self,
        principal: Principal,
        provider_id: uuid.UUID,
        filters: UploadFilters,
        *,
        after: str | None,
        limit: int,
    ) -> Page[TrainingCertificate]:
        """A provider's uploads that match ``filters``, oldest first."""
        statement = self.readable(principal).where(col(C.provider_id) == provider_id)
        if filters.status is not None:
            statement = statement.where(col(C.status) == filters.status)
        if filters.received_since is not None:
            statement = statement.where(col(C.received_at) >= filters.received_since)
        if filters.received_before is not None:
            statement = statement.where(col(C.received_at) < filters.received_before)
        return await self._page(BY_RECEIVED, statement, after=after, limit=limit)

    async def counts(self, principal: Principal, *, today: date) -> Counts:
        """How many wait for review, missed their review day, are linked to no application."""

        async def count(condition: ColumnElement[bool]) -> int:
            statement = (
                self.readable(principal)
                .where(condition)
                .with_only_columns(func.count(), maintain_column_froms=True)
            )
            return int(await self.session.scalar(statement) or 0)

        earliest = (
            self.readable(principal)
            .where(_pending_review())
            .with_only_columns(func.min(col(C.review_due_on)), maintain_column_froms=True)
        )
        next_due = await self.session.scalar(earliest)
        return Counts(
            pending_review=await count(_pending_review()),
            breaches=await count(_review_breach(today)),
            unmatched=await count(_unmatched()),
            next_review_due_on=aggregate_date(next_due),
        )

    async def _page(
        self,
        keyset: Keyset[TrainingCertificate],
        statement: SelectOfScalar[TrainingCertificate],
        *,
        after: str | None,
        limit: int,
    ) -> Page[TrainingCertificate]:
        query = cast(
            SelectOfScalar[TrainingCertificate], keyset.query(statement, after=after, limit=limit)
        )
        return keyset.page((await self.session.exec(query)).all(), limit=limit)

    async def application(self, application_id: uuid.UUID) -> Match | None:
        """The application a certificate can be linked to by hand, and whose it is."""
        row = (
            await self.session.exec(
                select(Application.id, Application.applicant_id).where(
                    col(Application.id) == application_id
                )
            )
        ).first()
        return Match(*row) if row is not None else None

    async def existing(self, provider_id: uuid.UUID, ids: Sequence[str]) -> dict[str, uuid.UUID]:
        """The provider's certificate ids already stored, with the stored rows' ids."""
        if not ids:
            return {}
        rows = await self.session.exec(
            select(C.provider_certificate_id, C.id)
            .where(C.provider_id == provider_id)
            .where(col(C.provider_certificate_id).in_(ids))
        )
        return dict(rows.all())

    async def insert_new(self, rows: list[dict[str, Any]]) -> dict[str, uuid.UUID]:
        """Insert, skipping any certificate id a concurrent batch stored first."""
        if not rows:
            return {}
        connection = await self.session.connection()
        module = postgresql if connection.dialect.name == "postgresql" else sqlite
        table = C.__table__  # type: ignore[attr-defined]
        statement = (
            module.insert(table)
            .on_conflict_do_nothing(index_elements=["provider_id", "provider_certificate_id"])
            .returning(table.c.provider_certificate_id, table.c.id)
        )
        result = await connection.execute(statement, rows)
        return {str(certificate_id): ident for certificate_id, ident in result.all()}

    async def applications_for(
        self, applicant_ids: set[str], emails: set[str]
    ) -> tuple[dict[str, Match], dict[tuple[str, date], Match]]:
        """The latest application of each applicant id, and of each (email, date of birth),
        among those named: two indexed lookups for a whole batch."""
        by_applicant: dict[str, Match] = {}
        by_person: dict[tuple[str, date], Match] = {}
        if applicant_ids:
            rows = await self.session.exec(
                select(Application.id, Application.applicant_id)
                .where(col(Application.applicant_id).in_(applicant_ids))
                .order_by(col(Application.submitted_at))
            )
            for ident, applicant in rows.all():
                by_applicant[applicant] = Match(ident, applicant)
        if emails:
            rows_by_email = await self.session.exec(
                select(
                    col(Application.id),
                    col(Application.applicant_id),
                    col(Application.email),
                    col(Application.date_of_birth),
                )
                .where(col(Application.email).in_(emails))
                .order_by(col(Application.submitted_at))
            )
            for ident, applicant, email, born in rows_by_email.all():
                by_person[(email, born)] = Match(ident, applicant)
        return by_applicant, by_person

    async def match_new_application(self, application: Application, at: datetime) -> None:
        """Certificates that arrived before the person applied join the new application."""
        await self.session.exec(
            update(C)
            .where(col(C.application_id).is_(None))
            .where(
                or_(
                    col(C.applicant_id) == application.applicant_id,
                    and_(
                        col(C.applicant_id).is_(None),
                        col(C.email) == application.email,
                        col(C.date_of_birth) == application.date_of_birth,
                    ),
                )
            )
            .values(
                application_id=application.id, applicant_id=application.applicant_id, matched_at=at
            )
        )
