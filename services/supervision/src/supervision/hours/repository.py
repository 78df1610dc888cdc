"""All SQL of the hours-worked aggregate."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.pagination import Keyset, Page
from supervision.hours.models import HoursPeriod, HoursWorked

H = HoursWorked
KEYSET: Keyset[HoursWorked] = Keyset(
    sort=col(H.starts_on),
    tiebreak=col(H.id),
    key=lambda row: (row.starts_on, row.id),
    kinds=(date, uuid.UUID),
)


class HoursRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def covering(
        self, agreement_id: uuid.UUID, monday: date, first: date, last: date
    ) -> bool:
        """Whether a current report of the agreement covers a day of ``first``..``last``
        (a day report in it, or the report of its week, which starts on ``monday``)."""
        query = select(H.id).where(
            H.agreement_id == agreement_id,
            col(H.superseded_at).is_(None),
            or_(
                and_(col(H.period) == HoursPeriod.DAY, col(H.starts_on).between(first, last)),
                and_(col(H.period) == HoursPeriod.WEEK, col(H.starts_on) == monday),
            ),
        )
        return (await self.session.exec(query.limit(1))).first() is not None

    async def page(
        self,
        scope: ColumnElement[bool],
        *,
        agreement_id: uuid.UUID | None,
        peer_applicant_id: str | None,
        starts_from: date | None,
        starts_to: date | None,
        include_superseded: bool,
        after: str | None,
        limit: int,
    ) -> Page[HoursWorked]:
        """One page of the reports ``scope`` lets the caller see, by day."""
        query = select(H).where(scope)
        if agreement_id is not None:
            query = query.where(H.agreement_id == agreement_id)
        if peer_applicant_id is not None:
            query = query.where(H.peer_applicant_id == peer_applicant_id)
        if starts_from is not None:
            query = query.where(col(H.starts_on) >= starts_from)
        if starts_to is not None:
            query = query.where(col(H.starts_on) <= starts_to)
        if not include_superseded:
            query = query.where(col(H.superseded_at).is_(None))
        rows = (await self.session.exec(KEYSET.query(query, after=after, limit=limit))).all()
        return KEYSET.page(rows, limit=limit)
