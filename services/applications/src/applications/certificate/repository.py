"""All SQL of training certificates."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.models import Application
from applications.certificate.models import CertificateStatus, TrainingCertificate

C = TrainingCertificate


@dataclass(frozen=True)
class Match:
    """The application a certificate joins, and whose it is."""

    application_id: uuid.UUID
    applicant_id: str


class CertificateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, certificate_id: uuid.UUID) -> TrainingCertificate | None:
        return await self.session.get(C, certificate_id)

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

    async def for_application(self, application_id: uuid.UUID) -> list[TrainingCertificate]:
        rows = await self.session.exec(
            select(C).where(C.application_id == application_id).order_by(col(C.received_at))
        )
        return list(rows.all())

    async def page(
        self,
        *,
        where: list[Any],
        order: Any,
        after: tuple[Any, uuid.UUID] | None,
        limit: int,
    ) -> list[TrainingCertificate]:
        """Keyset pages on (order, id)."""
        query = select(C).where(*where)
        if after is not None:
            value, ident = after
            query = query.where(or_(order > value, and_(order == value, col(C.id) > ident)))
        query = query.order_by(order, col(C.id)).limit(limit)
        return list((await self.session.exec(query)).all())


def pending_review() -> list[Any]:
    return [col(C.status) == CertificateStatus.PENDING_REVIEW]


def review_breaches(today: date) -> list[Any]:
    """Not reviewed by the end of the review day: still waiting, or decided too late."""
    return [
        or_(
            and_(col(C.status) == CertificateStatus.PENDING_REVIEW, col(C.review_due_on) < today),
            col(C.reviewed_on) > col(C.review_due_on),
        )
    ]
