"""All SQL of certifications, and of the exam standing read across the application's rows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from applications.application.models import Application
from applications.certificate.models import CertificateStatus, TrainingCertificate
from applications.certification.models import Certification
from applications.certification.rules import DISCIPLINE
from applications.payment.models import FeeKind, Payment
from certboard_core.auth import Principal, Role
from certboard_core.db import add_unique
from certboard_core.pagination import Keyset, Page


class CertificationRepository:
    """Every query of certifications; who may read one is decided by its application's read."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, certification: Certification) -> bool:
        """Insert ``certification``; False if its number or its application is taken."""
        return await add_unique(self.session, certification)

    async def get(self, certification_id: uuid.UUID) -> Certification | None:
        """The certification, whoever holds it (callers decide who may see it)."""
        query = select(Certification).where(Certification.id == certification_id)
        return (await self.session.exec(query)).first()

    async def of_application(self, application_id: uuid.UUID) -> Certification | None:
        """The application's certification, if it has one."""
        query = select(Certification).where(Certification.application_id == application_id)
        return (await self.session.exec(query)).first()

    async def readable(
        self, principal: Principal, certification_id: uuid.UUID
    ) -> Certification | None:
        """The certification, if ``principal`` may read it: its holder, or staff."""
        query = select(Certification).where(Certification.id == certification_id)
        if not principal.has(Role.STAFF):
            if not principal.has(Role.APPLICANT):
                return None
            query = query.where(Certification.applicant_id == principal.subject)
        return (await self.session.exec(query)).first()

    async def by_number(self, number: str) -> Certification | None:
        """The certification under ``number`` (in its stored, grouped form)."""
        query = select(Certification).where(Certification.number == number)
        return (await self.session.exec(query)).first()

    async def named(
        self, last_key: str, first_prefix: str, *, after: str | None, limit: int
    ) -> Page[Certification]:
        """Certifications whose last name's key is ``last_key`` and whose first name's key
        starts with ``first_prefix``, by first name then number (an index range scan)."""
        query = select(Certification).where(
            Certification.last_name_key == last_key,
            col(Certification.first_name_key).startswith(first_prefix, autoescape=True),
        )
        query = BY_FIRST_NAME.query(query, after=after, limit=limit)
        return BY_FIRST_NAME.page((await self.session.exec(query)).all(), limit=limit)


BY_FIRST_NAME: Keyset[Certification] = Keyset(
    col(Certification.first_name_key),
    col(Certification.number),
    lambda c: (c.first_name_key, c.number),
    kinds=(str, str),
)
BY_EXPIRY: Keyset[Certification] = Keyset(
    col(Certification.valid_through),
    col(Certification.id),
    lambda c: (c.valid_through, c.id),
    kinds=(date, uuid.UUID),
)


class ExpiringRepository:
    """Staff's list of certifications by their valid-through day."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _between(self, first: date, last: date) -> SelectOfScalar[Certification]:
        return (
            select(Certification)
            .where(col(Certification.valid_through) >= first)
            .where(col(Certification.valid_through) <= last)
            .where(col(Certification.status).not_in(DISCIPLINE))
        )

    async def page(
        self, first: date, last: date, *, after: str | None, limit: int
    ) -> Page[Certification]:
        """Certifications whose period ends from ``first`` to ``last``, soonest first."""
        query = BY_EXPIRY.query(self._between(first, last), after=after, limit=limit)
        return BY_EXPIRY.page((await self.session.exec(query)).all(), limit=limit)

    async def count(self, first: date, last: date) -> int:
        inner = self._between(first, last).subquery()
        return int((await self.session.exec(select(func.count()).select_from(inner))).one())


class StandingRepository:
    """The rows an exam standing is made of, read for a service caller (no owner scoping)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def application(self, application_id: uuid.UUID) -> Application | None:
        """The application, whoever it belongs to."""
        query = select(Application).where(Application.id == application_id)
        return (await self.session.exec(query)).first()

    async def applications(self, application_ids: Sequence[uuid.UUID]) -> list[Application]:
        """Those of ``application_ids`` that exist, whoever they belong to."""
        query = select(Application).where(col(Application.id).in_(application_ids))
        return list((await self.session.exec(query)).all())

    async def disciplined(self, applicant_ids: Sequence[str]) -> dict[str, list[Certification]]:
        """Per applicant, their certifications that discipline set (suspended, revoked or
        surrendered), whether or not a suspension is over by now."""
        query = (
            select(Certification)
            .where(col(Certification.applicant_id).in_(applicant_ids))
            .where(col(Certification.status).in_(DISCIPLINE))
        )
        found: dict[str, list[Certification]] = {}
        for certification in (await self.session.exec(query)).all():
            found.setdefault(certification.applicant_id, []).append(certification)
        return found

    async def valid_certificates(
        self, application_ids: Sequence[uuid.UUID], today: date
    ) -> dict[uuid.UUID, list[TrainingCertificate]]:
        """Per application, accepted training certificates linked to it and still valid on
        ``today``, the most recently completed first."""
        C = TrainingCertificate  # noqa: N806
        rows = await self.session.exec(
            select(C)
            .where(col(C.application_id).in_(application_ids))
            .where(C.status == CertificateStatus.ACCEPTED)
            .where(col(C.valid_through) >= today)
            .order_by(col(C.completed_on).desc(), col(C.id))
        )
        found: dict[uuid.UUID, list[TrainingCertificate]] = {}
        for certificate in rows.all():
            if certificate.application_id is not None:
                found.setdefault(certificate.application_id, []).append(certificate)
        return found

    async def exam_fees(
        self, application_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[Payment]]:
        """Per application, exam and retake fees recorded and not forfeited, in the order
        paid."""
        rows = await self.session.exec(
            select(Payment)
            .where(col(Payment.application_id).in_(application_ids))
            .where(col(Payment.kind).in_((FeeKind.EXAM, FeeKind.RETAKE)))
            .where(col(Payment.forfeited_at).is_(None))
            .order_by(col(Payment.paid_at), col(Payment.id))
        )
        found: dict[uuid.UUID, list[Payment]] = {}
        for payment in rows.all():
            found.setdefault(payment.application_id, []).append(payment)
        return found
