"""All SQL of attempts and results (and the form and authorization reads they need)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, false, func, true
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from certboard_core.auth import Principal, Role
from certboard_core.db import add_unique
from certboard_core.pagination import Keyset, Page
from exams.attempt.models import ExamAttempt, ResultChange, ScoreSource
from exams.authorization.models import ExamAuthorization
from exams.form.models import ExamForm, ExamItem

BY_TAKEN: Keyset[ExamAttempt] = Keyset(
    sort=col(ExamAttempt.taken_at), tiebreak=col(ExamAttempt.id), key=lambda a: (a.taken_at, a.id)
)
BY_NOTICE_DUE: Keyset[ExamAttempt] = Keyset(
    sort=col(ExamAttempt.result_notice_due_on),
    tiebreak=col(ExamAttempt.id),
    key=lambda a: (a.result_notice_due_on, a.id),
    kinds=(date, uuid.UUID),
)


def readable_attempts(principal: Principal) -> ColumnElement[bool]:
    """Which attempts ``principal`` may read: staff all, a candidate their own, others none.
    Every read of results applies it, the authorization summaries' join too."""
    if principal.has(Role.STAFF):
        return true()
    if principal.has(Role.APPLICANT):
        return col(ExamAttempt.applicant_id) == principal.subject
    return false()


class AttemptRepository:
    """Every query of attempts, their result changes, and the rows scoring reads."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> SelectOfScalar[ExamAttempt]:
        """The attempts ``principal`` may read."""
        return select(ExamAttempt).where(readable_attempts(principal))

    async def get_readable(self, principal: Principal, attempt_id: uuid.UUID) -> ExamAttempt | None:
        """The attempt, if ``principal`` may read it."""
        query = self.readable(principal).where(ExamAttempt.id == attempt_id)
        return (await self.session.exec(query)).first()

    async def page(
        self,
        principal: Principal,
        *,
        application_id: uuid.UUID | None,
        after: str | None,
        limit: int,
    ) -> Page[ExamAttempt]:
        """The attempts ``principal`` may read, oldest first, optionally of one application."""
        query = self.readable(principal)
        if application_id is not None:
            query = query.where(ExamAttempt.application_id == application_id)
        rows = (await self.session.exec(BY_TAKEN.query(query, after=after, limit=limit))).all()
        return BY_TAKEN.page(rows, limit=limit)

    async def add(self, attempt: ExamAttempt) -> bool:
        """Insert ``attempt``; False if its authorization already has one."""
        return await add_unique(self.session, attempt)

    async def notice_queue(self, *, after: str | None, limit: int) -> Page[ExamAttempt]:
        """Attempts whose formal result notice is unsent, earliest due first."""
        query = select(ExamAttempt).where(col(ExamAttempt.result_notice_sent_at).is_(None))
        rows = (await self.session.exec(BY_NOTICE_DUE.query(query, after=after, limit=limit))).all()
        return BY_NOTICE_DUE.page(rows, limit=limit)

    async def notice_counts(self, today: date) -> tuple[int, int]:
        """Unsent notices, and those of them past their due day."""
        unsent = col(ExamAttempt.result_notice_sent_at).is_(None)
        late = col(ExamAttempt.result_notice_due_on) < today
        count = func.count(col(ExamAttempt.id))
        total = (await self.session.exec(select(count).where(unsent))).one()
        breaches = (await self.session.exec(select(count).where(unsent, late))).one()
        return int(total), int(breaches)

    async def scored_from_responses(self, form_id: uuid.UUID) -> Sequence[ExamAttempt]:
        """Every attempt on the form scored from its responses, in a stable order."""
        query = (
            select(ExamAttempt)
            .where(ExamAttempt.form_id == form_id, ExamAttempt.source == ScoreSource.RESPONSES)
            .order_by(col(ExamAttempt.taken_at), col(ExamAttempt.id))
        )
        return (await self.session.exec(query)).all()

    async def responses_of(self, form_id: uuid.UUID) -> list[dict[str, str]]:
        """Only the responses of the form's attempts scored here (item analysis reads these)."""
        query = select(ExamAttempt.responses).where(
            ExamAttempt.form_id == form_id, ExamAttempt.source == ScoreSource.RESPONSES
        )
        return [dict(r) for r in (await self.session.exec(query)).all() if r is not None]

    async def add_change(self, change: ResultChange) -> None:
        """Record a result change (the table is append-only)."""
        self.session.add(change)
        await self.session.flush()

    # -- rows of other aggregates this one reads and touches ------------------------------

    async def authorization(self, authorization_id: uuid.UUID) -> ExamAuthorization | None:
        """The authorization an attempt is recorded against."""
        return await self.session.get(ExamAuthorization, authorization_id)

    async def form(self, form_id: uuid.UUID) -> ExamForm | None:
        """A form, whatever its status."""
        return await self.session.get(ExamForm, form_id)

    async def items(self, form_id: uuid.UUID) -> Sequence[ExamItem]:
        """The form's items, by number."""
        query = select(ExamItem).where(ExamItem.form_id == form_id).order_by(col(ExamItem.number))
        return (await self.session.exec(query)).all()

    async def set_key(self, form_id: uuid.UUID, number: int, key: str) -> None:
        """Change one item's key (the form's version, bumped by the caller, covers it)."""
        await self.session.exec(
            update(ExamItem)
            .where(col(ExamItem.form_id) == form_id, col(ExamItem.number) == number)
            .values(key=key)
        )
        await self.session.flush()
