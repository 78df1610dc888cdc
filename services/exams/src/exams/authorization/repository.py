"""All SQL of the authorization aggregate."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, false, func, text, true
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from certboard_core.auth import Principal, Role
from certboard_core.pagination import Keyset, Page
from exams.accommodation.models import AccommodationRequest, AccommodationStatus
from exams.attempt.models import ExamAttempt
from exams.attempt.repository import readable_attempts
from exams.authorization.models import AuthorizationStatus, ExamAuthorization
from exams.authorization.rules import OPEN
from exams.form.models import ExamForm, FormStatus, Language

A = ExamAuthorization
BY_REVIEW_DUE: Keyset[ExamAuthorization] = Keyset(
    col(A.review_due_on), col(A.id), lambda a: (a.review_due_on, a.id), kinds=(date, uuid.UUID)
)


# An attempt as authorizations read it: its result, never the candidate's responses (loading
# them would raise, not query).
# (SQLModel types the column as its value; at runtime it is the mapped attribute.)
WITHOUT_RESPONSES = defer(cast(QueryableAttribute[Any], ExamAttempt.responses), raiseload=True)


def _readable_by(principal: Principal) -> ColumnElement[bool]:
    # Staff all, an applicant their own, anyone else none.
    if principal.has(Role.STAFF):
        return true()
    if principal.has(Role.APPLICANT):
        return col(A.applicant_id) == principal.subject
    return false()


@dataclass(frozen=True)
class WithAttempts:
    """Authorizations, oldest first, and the attempt recorded against each that has one."""

    authorizations: list[ExamAuthorization]
    attempts: dict[uuid.UUID, ExamAttempt]


class AuthorizationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> SelectOfScalar[ExamAuthorization]:
        """The authorizations ``principal`` may read: staff all, an applicant their own."""
        return select(A).where(_readable_by(principal))

    async def get_readable(
        self, principal: Principal, authorization_id: uuid.UUID
    ) -> ExamAuthorization | None:
        """The authorization, if ``principal`` may read it."""
        query = self.readable(principal).where(A.id == authorization_id)
        return (await self.session.exec(query)).first()

    async def with_attempts(
        self, principal: Principal, application_ids: Sequence[uuid.UUID]
    ) -> WithAttempts:
        """The readable authorizations of ``application_ids`` with their readable attempts,
        in one query (summaries show each result)."""
        attempt_of = and_(col(ExamAttempt.authorization_id) == A.id, readable_attempts(principal))
        query = (
            select(A, ExamAttempt)
            .outerjoin(ExamAttempt, attempt_of)
            .where(_readable_by(principal), col(A.application_id).in_(application_ids))
            .options(WITHOUT_RESPONSES)
            .order_by(col(A.granted_at), col(A.id))
        )
        rows = (await self.session.exec(query)).all()
        return WithAttempts(
            authorizations=[authorization for authorization, _ in rows],
            attempts={a.id: attempt for a, attempt in rows if attempt is not None},
        )

    async def of_application(self, application_id: uuid.UUID) -> list[ExamAuthorization]:
        """Every authorization of one application, oldest first."""
        query = select(A).where(A.application_id == application_id)
        return list((await self.session.exec(query.order_by(col(A.granted_at), col(A.id)))).all())

    async def attempts(
        self, authorization_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, ExamAttempt]:
        """The attempt recorded against each of ``authorization_ids`` that has one."""
        if not authorization_ids:
            return {}
        query = (
            select(ExamAttempt)
            .where(col(ExamAttempt.authorization_id).in_(authorization_ids))
            .options(WITHOUT_RESPONSES)
        )
        rows = (await self.session.exec(query)).all()
        return {a.authorization_id: a for a in rows}

    async def live_form(self, language: Language) -> ExamForm | None:
        """The newest live form in ``language``, if there is one."""
        query = (
            select(ExamForm)
            .where(ExamForm.language == language, ExamForm.status == FormStatus.LIVE)
            .order_by(col(ExamForm.published_at).desc(), col(ExamForm.id))
        )
        return (await self.session.exec(query)).first()

    async def has_pending_accommodation(self, authorization_id: uuid.UUID) -> bool:
        """Whether an accommodation request for the authorization awaits review."""
        query = select(func.count()).where(
            AccommodationRequest.authorization_id == authorization_id,
            AccommodationRequest.status == AccommodationStatus.PENDING,
        )
        return bool((await self.session.exec(query)).one())

    async def lock(self, application_id: uuid.UUID) -> None:
        """Serialise requests for one application: the second sees the first's authorization.

        SQLite write transactions already hold the database's one write lock; PostgreSQL takes
        a transaction advisory lock on the application.
        """
        connection = await self.session.connection()
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                {"key": f"exam-request:{application_id}"},
            )

    @staticmethod
    def awaiting_scheduling_query(today: date) -> SelectOfScalar[ExamAuthorization]:
        """Granted, still usable today, and no attempt recorded yet."""
        attempted = select(ExamAttempt.authorization_id)
        return select(A).where(
            A.status == AuthorizationStatus.GRANTED,
            col(A.valid_through) >= today,
            col(A.id).not_in(attempted),
        )

    async def awaiting_scheduling(
        self, today: date, *, after: str | None, limit: int
    ) -> Page[ExamAuthorization]:
        """Authorizations waiting for scheduling details, earliest review day first."""
        query = BY_REVIEW_DUE.query(self.awaiting_scheduling_query(today), after=after, limit=limit)
        return BY_REVIEW_DUE.page((await self.session.exec(query)).all(), limit=limit)

    async def scheduling_breaches(self, today: date) -> int:
        """How many of those are past their review day."""
        inner = self.awaiting_scheduling_query(today).where(col(A.review_due_on) < today).subquery()
        return int((await self.session.exec(select(func.count()).select_from(inner))).one())

    async def expired_unused_due(self, today: date, *, limit: int) -> list[ExamAuthorization]:
        """Open authorizations past their last day with no attempt: what the sweep writes."""
        attempted = select(ExamAttempt.authorization_id)
        query = (
            select(A)
            .where(col(A.status).in_(OPEN), col(A.valid_through) < today)
            .where(col(A.id).not_in(attempted))
            .order_by(col(A.valid_through), col(A.id))
            .limit(limit)
        )
        return list((await self.session.exec(query)).all())
