"""The staff work queues as SQL: each a condition as of today and the deadline it is sorted by."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications import rules
from applications.application.lifecycle import WAITING_ON_STAFF, ApplicationStatus
from applications.application.models import Application
from applications.application.repository import status_condition
from applications.policy import ApplicationPolicy
from certboard_core.db import aggregate_date
from certboard_core.pagination import Keyset, Page

A = Application


class QueueName(StrEnum):
    FIRST_NOTIFICATION = "first-notification"
    BREACHES = "breaches"
    INCOMPLETE = "incomplete"
    EXPIRING = "expiring"


@dataclass(frozen=True)
class Queue:
    """Which applications a queue holds, and the deadline that orders it."""

    condition: ColumnElement[bool]
    order: Keyset[Application]
    # Disjoint conditions whose union is ``condition``, counted one at a time: each has an
    # index of its own (application.models), which their disjunction would not use.
    parts: tuple[ColumnElement[bool], ...] = ()


def _by(deadline: Any, deadline_of: Callable[[Application], date | None]) -> Keyset[Application]:
    """Earliest ``deadline`` first, then by id."""
    return Keyset(
        deadline,
        col(A.id),
        lambda a: (deadline_of(a), a.id),
        kinds=(date, uuid.UUID),
    )


def queue(name: QueueName, today: date, policy: ApplicationPolicy) -> Queue:
    """What belongs in ``name`` as of ``today``, and the deadline that orders it."""
    due = col(A.first_notification_due_on)
    if name is QueueName.FIRST_NOTIFICATION:
        return Queue(
            and_(col(A.first_notified_on).is_(None), col(A.status).in_(WAITING_ON_STAFF)),
            _by(due, lambda a: a.first_notification_due_on),
        )
    if name is QueueName.BREACHES:
        # Not notified by the end of the due day: still waiting, or notified too late.
        parts = (
            and_(col(A.first_notified_on).is_(None), due < today),
            col(A.first_notified_on) > due,
        )
        return Queue(or_(*parts), _by(due, lambda a: a.first_notification_due_on), parts)
    if name is QueueName.INCOMPLETE:
        return Queue(
            status_condition(ApplicationStatus.INCOMPLETE, today),
            _by(col(A.last_day_to_complete), lambda a: a.last_day_to_complete),
        )
    return Queue(
        and_(
            status_condition(ApplicationStatus.APPROVED, today),
            col(A.valid_through) <= rules.expiring_through(today, policy),
        ),
        _by(col(A.valid_through), lambda a: a.valid_through),
    )


@dataclass(frozen=True)
class Filters:
    """What staff narrowed a queue to."""

    status: ApplicationStatus | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    name: str | None = None


def _filtered(condition: ColumnElement[bool], filters: Filters, today: date) -> list[Any]:
    where: list[Any] = [condition]
    if filters.status is not None:
        where.append(status_condition(filters.status, today))
    if filters.submitted_from is not None:
        where.append(col(A.submitted_on) >= filters.submitted_from)
    if filters.submitted_to is not None:
        where.append(col(A.submitted_on) <= filters.submitted_to)
    if filters.name:
        pattern = filters.name.strip().lower().replace("%", r"\%").replace("_", r"\_") + "%"
        where.append(
            or_(
                func.lower(col(A.last_name)).like(pattern, escape="\\"),
                func.lower(col(A.first_name)).like(pattern, escape="\\"),
            )
        )
    return where


class QueueRepository:
    """The work queues' queries."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self, q: Queue, filters: Filters, *, today: date, after: str | None, limit: int
    ) -> Page[Application]:
        """Earliest deadline first, a page at a time."""
        query = select(A).where(*_filtered(q.condition, filters, today))
        rows = await self.session.exec(q.order.query(query, after=after, limit=limit))
        return q.order.page(rows.all(), limit=limit)

    async def count(self, q: Queue, filters: Filters, *, today: date) -> tuple[int, date | None]:
        """How many applications ``q`` holds under ``filters``, and its earliest deadline."""
        counted: list[tuple[int, date | None]] = []
        for condition in q.parts or (q.condition,):
            total = await self.session.exec(
                select(func.count(), func.min(q.order.sort))
                .select_from(A)
                .where(*_filtered(condition, filters, today))
            )
            n, earliest = total.one()
            counted.append((int(n), aggregate_date(earliest)))
        days = [day for _, day in counted if day is not None]
        return sum(n for n, _ in counted), min(days, default=None)
