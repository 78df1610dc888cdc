"""All SQL of employers, their enrolments and their alerts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import String, and_, cast, delete, exists, literal, or_
from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.certification.models import Certification
from applications.certification.rules import DISCIPLINE, CertificationStatus
from applications.employer.models import Employer, EmployerAlert, Enrolment
from applications.employer.rules import ExpirySpan
from certboard_core.db import add_unique
from certboard_core.pagination import Keyset, Page, decode_cursor, encode_cursor

BY_ENROLMENT: Keyset[Enrolment] = Keyset(
    col(Enrolment.enrolled_at), col(Enrolment.id), lambda e: (e.enrolled_at, e.id)
)
# No expiry alert for a certification discipline holds, or one already over.
NOT_EXPIRING = [*(s.value for s in DISCIPLINE), CertificationStatus.TERMINATED.value]


class Holder(NamedTuple):
    """A certification as enrolment checks it: its id and the holder's last name's key."""

    certification_id: uuid.UUID
    last_name_key: str


class Follower(NamedTuple):
    organisation: str
    since: datetime


class Target(NamedTuple):
    """An enrolment an alert goes to, and the employer's email."""

    enrolment_id: uuid.UUID
    employer_id: uuid.UUID
    alert_email: str


class Expiring(NamedTuple):
    """An enrolment due a coming-expiry alert."""

    enrolment_id: uuid.UUID
    employer_id: uuid.UUID
    alert_email: str
    certification_id: uuid.UUID
    number: str
    valid_through: date


class EmployerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_subject(self, subject: str) -> Employer | None:
        query = select(Employer).where(Employer.subject == subject)
        return (await self.session.exec(query)).first()

    async def get(self, employer_id: uuid.UUID) -> Employer | None:
        """An employer by id: the service's own read (a delivery), on behalf of no caller."""
        return await self.session.get(Employer, employer_id)

    async def add(self, row: Employer | Enrolment) -> bool:
        """Store a new profile or enrolment; False if it exists already."""
        return await add_unique(self.session, row)

    async def holder(self, number: str) -> Holder | None:
        """The certification under ``number`` and its holder's last name's key."""
        query = select(Certification.id, Certification.last_name_key).where(
            Certification.number == number
        )
        row = (await self.session.exec(query)).first()
        return Holder(*row) if row is not None else None

    async def enrolment(self, employer_id: uuid.UUID, enrolment_id: uuid.UUID) -> Enrolment | None:
        query = select(Enrolment).where(
            Enrolment.id == enrolment_id, Enrolment.employer_id == employer_id
        )
        return (await self.session.exec(query)).first()

    async def enrolment_of(
        self, employer_id: uuid.UUID, certification_id: uuid.UUID
    ) -> Enrolment | None:
        query = select(Enrolment).where(
            Enrolment.employer_id == employer_id, Enrolment.certification_id == certification_id
        )
        return (await self.session.exec(query)).first()

    async def remove(self, enrolment: Enrolment) -> None:
        await self.session.exec(delete(Enrolment).where(col(Enrolment.id) == enrolment.id))

    async def enrolments(
        self, employer_id: uuid.UUID, *, after: str | None, limit: int
    ) -> Page[Enrolment]:
        """The employer's enrolments, oldest first."""
        query = select(Enrolment).where(Enrolment.employer_id == employer_id)
        rows = (await self.session.exec(BY_ENROLMENT.query(query, after=after, limit=limit))).all()
        return BY_ENROLMENT.page(rows, limit=limit)

    async def certifications(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Certification]:
        """The certifications of a page of enrolments, by id (one query per page)."""
        if not ids:
            return {}
        query = select(Certification).where(col(Certification.id).in_(ids))
        return {c.id: c for c in (await self.session.exec(query)).all()}

    async def alerts(
        self, employer_id: uuid.UUID, *, after: str | None, limit: int
    ) -> Page[EmployerAlert]:
        """The employer's alerts, newest first (``Keyset`` pages ascending only)."""
        a = EmployerAlert
        query = select(a).where(a.employer_id == employer_id)
        if after is not None:
            at, ident = decode_cursor(after, datetime, uuid.UUID)
            query = query.where(
                or_(col(a.created_at) < at, and_(col(a.created_at) == at, col(a.id) < ident))
            )
        query = query.order_by(col(a.created_at).desc(), col(a.id).desc()).limit(limit + 1)
        rows = list((await self.session.exec(query)).all())
        items = rows[:limit]
        more = len(rows) > limit
        return Page(items, encode_cursor(items[-1].created_at, items[-1].id) if more else None)

    async def followers(self, certification_id: uuid.UUID) -> list[Follower]:
        """Who follows a certification, and since when: earliest first."""
        query = (
            select(Employer.organisation, Enrolment.enrolled_at)
            .join(Employer, col(Employer.id) == col(Enrolment.employer_id))
            .where(Enrolment.certification_id == certification_id)
            .order_by(col(Enrolment.enrolled_at), col(Enrolment.id))
        )
        return [Follower(*row) for row in (await self.session.exec(query)).all()]

    async def targets(
        self, certification_id: uuid.UUID, dedupe_key: str, occurred_at: datetime
    ) -> list[Target]:
        """The enrolments of a certification, made by ``occurred_at``, not yet alerted under
        ``dedupe_key``."""
        sent = exists().where(
            col(EmployerAlert.enrolment_id) == col(Enrolment.id),
            col(EmployerAlert.dedupe_key) == dedupe_key,
        )
        query = (
            select(Enrolment.id, Enrolment.employer_id, Employer.alert_email)
            .join(Employer, col(Employer.id) == col(Enrolment.employer_id))
            .where(Enrolment.certification_id == certification_id, ~sent)
            # A change from before an enrolment, delivered late, is no news to that employer.
            .where(col(Enrolment.enrolled_at) <= occurred_at)
            .order_by(col(Enrolment.id))
        )
        return [Target(*row) for row in (await self.session.exec(query)).all()]

    async def expiring(self, span: ExpirySpan, limit: int) -> list[Expiring]:
        """Up to ``limit`` enrolments whose certification's latest coming-expiry alert due is
        ``span``'s and not yet sent."""
        c = Certification
        key = (
            literal("expiring:", String)
            .concat(cast(col(c.valid_through), String))
            .concat(literal(f":{span.days_before}d", String))
        )
        sent = exists().where(
            col(EmployerAlert.enrolment_id) == col(Enrolment.id),
            col(EmployerAlert.dedupe_key) == key,
        )
        query = (
            # More columns than sqlmodel's ``select`` is typed for.
            select_columns(
                col(Enrolment.id),
                col(Enrolment.employer_id),
                col(Employer.alert_email),
                col(c.id),
                col(c.number),
                col(c.valid_through),
            )
            .join(Employer, col(Employer.id) == col(Enrolment.employer_id))
            .join(c, col(c.id) == col(Enrolment.certification_id))
            .where(col(c.valid_through) >= span.earliest, col(c.valid_through) <= span.latest)
            .where(col(c.status).not_in(NOT_EXPIRING), ~sent)
            .order_by(col(Enrolment.id))
            .limit(limit)
        )
        connection = await self.session.connection()
        return [Expiring(*row) for row in (await connection.execute(query)).all()]

    def add_alerts(self, alerts: Sequence[EmployerAlert]) -> None:
        self.session.add_all(alerts)
