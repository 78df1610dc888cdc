"""The SQL of staff's queue counts: each queue's own filter, counted in one statement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, case, func, or_
from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from certboard_core.db import aggregate_date
from exams.accommodation.repository import PENDING, R
from exams.attempt.models import ExamAttempt
from exams.authorization.repository import A, AuthorizationRepository
from exams.queue.schemas import QueueCount


async def _count(
    session: AsyncSession, rows: Select[Any] | SelectOfScalar[Any], due: str, today: date
) -> QueueCount:
    inner = rows.subquery()
    due_on = inner.c[due]
    query = select(
        func.count(),
        func.coalesce(func.sum(case((due_on < today, 1), else_=0)), 0),
        func.min(due_on),
    ).select_from(inner)
    waiting, breaches, next_due = (await session.exec(query)).one()
    return QueueCount(waiting=waiting, breaches=breaches, next_due_on=aggregate_date(next_due))


async def result_notices(session: AsyncSession, today: date) -> QueueCount:
    """Results whose formal notice is unsent."""
    unsent = select(col(ExamAttempt.result_notice_due_on)).where(
        col(ExamAttempt.result_notice_sent_at).is_(None)
    )
    return await _count(session, unsent, "result_notice_due_on", today)


async def accommodations(session: AsyncSession, today: date) -> QueueCount:
    """Accommodation requests awaiting review."""
    pending = select(col(R.review_due_on)).where(PENDING)
    return await _count(session, pending, "review_due_on", today)


async def scheduling(session: AsyncSession, today: date) -> QueueCount:
    """Authorizations awaiting scheduling."""
    rows = AuthorizationRepository.awaiting_scheduling_query(today).with_only_columns(
        col(A.review_due_on)
    )
    return await _count(session, rows, "review_due_on", today)


async def result_notice_spans(
    session: AsyncSession, since: datetime
) -> Sequence[tuple[date, datetime | None, date]]:
    """Each result whose notice is unsent or was sent since ``since``: when it was taken, when
    its notice went out, its due day."""
    rows = await session.exec(
        select(
            col(ExamAttempt.taken_on),
            col(ExamAttempt.result_notice_sent_at),
            col(ExamAttempt.result_notice_due_on),
        ).where(
            or_(
                col(ExamAttempt.result_notice_sent_at).is_(None),
                col(ExamAttempt.result_notice_sent_at) >= since,
            )
        )
    )
    return rows.all()


async def accommodation_spans(
    session: AsyncSession, since: datetime
) -> Sequence[tuple[date, datetime | None, date]]:
    """Each accommodation request pending or decided since ``since``: when it was submitted,
    when decided, its review day."""
    rows = await session.exec(
        select(col(R.submitted_on), col(R.decided_at), col(R.review_due_on)).where(
            or_(col(R.decided_at).is_(None), col(R.decided_at) >= since)
        )
    )
    return rows.all()


async def scheduling_spans(
    session: AsyncSession, first_day: date
) -> Sequence[tuple[date, datetime | None, datetime | None, date | None, date, date]]:
    """Each authorization whose window reaches ``first_day``: when granted; when its schedule
    was recorded and its attempt was, when it ended (each None: not yet); its last valid day
    and review day. One whose schedule was cancelled waits again from its grant."""
    attempt = ExamAttempt
    query = (
        select_columns(
            col(A.granted_on),
            col(A.schedule_recorded_at),
            col(attempt.recorded_at),
            col(A.ended_on),
            col(A.valid_through),
            col(A.review_due_on),
        )
        .outerjoin(attempt, col(attempt.authorization_id) == col(A.id))
        .where(col(A.valid_through) >= first_day)
    )
    connection = await session.connection()
    return (await connection.execute(query)).all()
