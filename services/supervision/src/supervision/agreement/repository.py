"""All SQL of the supervision agreement aggregate."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import cast

from sqlalchemy import ColumnElement, and_, false, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from certboard_core.auth import Principal, Role
from certboard_core.pagination import Keyset, Page
from supervision.agreement.models import AgreementAmendment, SupervisionAgreement

A = SupervisionAgreement
BY_CREATED: Keyset[SupervisionAgreement] = Keyset(
    col(A.created_at), col(A.id), lambda a: (a.created_at, a.id)
)


def _signed_by_both() -> ColumnElement[bool]:
    return and_(col(A.signed_by_peer_at).is_not(None), col(A.signed_by_supervisor_at).is_not(None))


def signed_in_force(first: date, last: date) -> ColumnElement[bool]:
    """Signed by both and in force on a day from ``first`` to ``last``: started by ``last``,
    neither ended nor terminated before ``first`` (bounds inclusive)."""
    return and_(
        _signed_by_both(),
        col(A.starts_on) <= last,
        or_(col(A.ends_on).is_(None), col(A.ends_on) >= first),
        or_(col(A.terminated_on).is_(None), col(A.terminated_on) >= first),
    )


class AgreementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> SelectOfScalar[SupervisionAgreement]:
        """The agreements ``principal`` may read: staff all, a peer or a supervisor their own."""
        statement = select(A)
        if principal.has(Role.STAFF):
            return statement
        own = []
        if principal.has(Role.APPLICANT):
            own.append(col(A.peer_applicant_id) == principal.subject)
        if principal.has(Role.SUPERVISOR):
            own.append(col(A.supervisor_id) == principal.subject)
        return statement.where(or_(*own)) if own else statement.where(false())

    async def readable_one(
        self, principal: Principal, agreement_id: uuid.UUID
    ) -> SupervisionAgreement | None:
        """The agreement, if ``principal`` may read it (to show it or to change it)."""
        statement = self.readable(principal).where(col(A.id) == agreement_id)
        return (await self.session.exec(statement)).first()

    async def of_peers(
        self, principal: Principal, peer_ids: Sequence[str]
    ) -> Sequence[SupervisionAgreement]:
        """Every readable agreement of these peers, oldest first."""
        statement = (
            self.readable(principal)
            .where(col(A.peer_applicant_id).in_(peer_ids))
            .order_by(BY_CREATED.sort, BY_CREATED.tiebreak)
        )
        return (await self.session.exec(statement)).all()

    async def page(
        self, principal: Principal, *, after: str | None, limit: int
    ) -> Page[SupervisionAgreement]:
        """Readable agreements, oldest first."""
        query = cast(
            SelectOfScalar[SupervisionAgreement],
            BY_CREATED.query(self.readable(principal), after=after, limit=limit),
        )
        return BY_CREATED.page((await self.session.exec(query)).all(), limit=limit)

    async def in_force(self, applicant_id: str, on: date) -> Sequence[SupervisionAgreement]:
        """The peer's agreements signed by both sides and in force on ``on`` (bounds inclusive),
        the one that started last (then was made last) first, so answers are stable."""
        query = (
            select(A)
            .where(col(A.peer_applicant_id) == applicant_id, signed_in_force(on, on))
            .order_by(col(A.starts_on).desc(), col(A.created_at).desc(), col(A.id).desc())
        )
        return (await self.session.exec(query)).all()

    async def lock_peer(self, peer_applicant_id: str) -> None:
        """Hold the peer's agreements until commit (PostgreSQL; SQLite has one writer anyway),
        so two agreements with one employer cannot both become active at the same moment."""
        query = select(col(A.id)).where(col(A.peer_applicant_id) == peer_applicant_id)
        await self.session.exec(query.with_for_update())

    async def overlapping(
        self, agreement: SupervisionAgreement, last_day: date | None
    ) -> SupervisionAgreement | None:
        """Another agreement of the same peer and employer, signed by both, whose days meet
        ``agreement``'s (``starts_on`` to ``last_day``; None: open-ended)."""
        other_last = func.coalesce(col(A.terminated_on), col(A.ends_on))
        query = select(A).where(
            col(A.id) != agreement.id,
            col(A.peer_applicant_id) == agreement.peer_applicant_id,
            func.lower(col(A.employer)) == agreement.employer.lower(),
            _signed_by_both(),
            or_(other_last.is_(None), other_last >= agreement.starts_on),
        )
        if last_day is not None:
            query = query.where(col(A.starts_on) <= last_day)
        return (await self.session.exec(query.order_by(col(A.starts_on)).limit(1))).first()

    async def amendments(self, agreement_id: uuid.UUID) -> Sequence[AgreementAmendment]:
        """The agreement's amendments, earliest first."""
        query = (
            select(AgreementAmendment)
            .where(col(AgreementAmendment.agreement_id) == agreement_id)
            .order_by(col(AgreementAmendment.number))
        )
        return (await self.session.exec(query)).all()

    async def amendment_count(self, agreement_id: uuid.UUID) -> int:
        """How many amendments the agreement has (the next one's number is one more)."""
        query = select(func.count()).where(col(AgreementAmendment.agreement_id) == agreement_id)
        return int((await self.session.exec(query)).one())

    def add(self, row: SupervisionAgreement | AgreementAmendment) -> None:
        """Stage a new agreement or amendment in the request's transaction."""
        self.session.add(row)
