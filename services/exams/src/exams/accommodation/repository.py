"""All SQL of the accommodation aggregate."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import false, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from certboard_core.auth import Principal, Role
from certboard_core.pagination import Keyset, Page
from exams.accommodation.models import AccommodationRequest, AccommodationStatus

R = AccommodationRequest
BY_REVIEW_DUE: Keyset[AccommodationRequest] = Keyset(
    col(R.review_due_on), col(R.id), lambda r: (r.review_due_on, r.id), kinds=(date, uuid.UUID)
)
PENDING = R.status == AccommodationStatus.PENDING


class AccommodationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> SelectOfScalar[AccommodationRequest]:
        """The requests ``principal`` may read: staff all, an applicant their own."""
        query = select(R)
        if principal.has(Role.STAFF):
            return query
        if principal.has(Role.APPLICANT):
            return query.where(R.applicant_id == principal.subject)
        return query.where(false())

    async def get_readable(
        self, principal: Principal, accommodation_id: uuid.UUID
    ) -> AccommodationRequest | None:
        """The request, if ``principal`` may read it."""
        query = self.readable(principal).where(R.id == accommodation_id)
        return (await self.session.exec(query)).first()

    async def of_applications(
        self, principal: Principal, application_ids: Sequence[uuid.UUID]
    ) -> list[AccommodationRequest]:
        """The readable requests of ``application_ids``, oldest first (for exam summaries)."""
        query = (
            self.readable(principal)
            .where(col(R.application_id).in_(application_ids))
            .order_by(col(R.submitted_at), col(R.id))
        )
        return list((await self.session.exec(query)).all())

    async def of_authorization(self, authorization_id: uuid.UUID) -> list[AccommodationRequest]:
        """Every request made for one authorization, oldest first."""
        query = (
            select(R)
            .where(R.authorization_id == authorization_id)
            .order_by(col(R.submitted_at), col(R.id))
        )
        return list((await self.session.exec(query)).all())

    async def pending(self, *, after: str | None, limit: int) -> Page[AccommodationRequest]:
        """Requests awaiting review, earliest review day first."""
        query = BY_REVIEW_DUE.query(select(R).where(PENDING), after=after, limit=limit)
        return BY_REVIEW_DUE.page((await self.session.exec(query)).all(), limit=limit)

    async def breaches(self, today: date) -> int:
        """Pending requests past their review day."""
        query = select(func.count()).where(PENDING, col(R.review_due_on) < today)
        return int((await self.session.exec(query)).one())
