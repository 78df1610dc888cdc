"""All SQL of CE audits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import case, func
from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from applications.application.models import Application
from applications.ce_audit.models import AuditDraw, CeAudit
from applications.ce_audit.rules import OPEN, WAITING_ON_HOLDER, AuditStatus
from applications.certification.models import Certification
from applications.renewal.models import Renewal
from certboard_core.auth import Principal, Role
from certboard_core.pagination import Keyset, Page

A = CeAudit
BY_DUE: Keyset[CeAudit] = Keyset(
    col(A.due_on), col(A.id), lambda a: (a.due_on, a.id), kinds=(date, uuid.UUID)
)


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> SelectOfScalar[CeAudit]:
        """The audits ``principal`` may read: staff all, a holder their own."""
        query = select(A)
        return (
            query if principal.has(Role.STAFF) else query.where(A.applicant_id == principal.subject)
        )

    async def get_readable(self, principal: Principal, audit_id: uuid.UUID) -> CeAudit | None:
        query = self.readable(principal).where(A.id == audit_id)
        return (await self.session.exec(query)).first()

    async def unaudited_renewals(self, first: date, last: date) -> list[uuid.UUID]:
        """Renewals of the periods that ended from ``first`` to ``last``, not audited yet."""
        audited = select(A.renewal_id)
        query = (
            select(Renewal.id)
            .where(col(Renewal.previous_valid_through) >= first)
            .where(col(Renewal.previous_valid_through) <= last)
            .where(col(Renewal.id).not_in(audited))
        )
        return list((await self.session.exec(query)).all())

    async def addressees(
        self, renewal_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, tuple[Certification, Application]]:
        """Each renewal's certification and application (whose email the notice goes to)."""
        query = (
            select(Renewal.id, Certification, Application)
            .join(Certification, col(Certification.id) == Renewal.certification_id)
            .join(Application, col(Application.id) == Certification.application_id)
            .where(col(Renewal.id).in_(renewal_ids))
        )
        return {rid: (c, a) for rid, c, a in (await self.session.exec(query)).all()}

    async def add(self, *rows: AuditDraw | CeAudit) -> None:
        self.session.add_all(rows)
        await self.session.flush()

    async def page(
        self, principal: Principal, *, open_only: bool, after: str | None, limit: int
    ) -> Page[CeAudit]:
        """Audits by due day: the open ones (staff's queue), or all the caller may read."""
        query = self.readable(principal)
        if open_only:
            query = query.where(col(A.status).in_(OPEN))
        rows = (await self.session.exec(BY_DUE.query(query, after=after, limit=limit))).all()
        return BY_DUE.page(rows, limit=limit)

    async def counts(self, today: date) -> dict[str, Any]:
        """How many audits wait in each step, how many the holder let pass, the next due."""
        late = (col(A.status).in_(WAITING_ON_HOLDER)) & (col(A.due_on) < today)

        def count(condition: Any) -> Any:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        # Six aggregates in one statement (sqlmodel's select types at most four columns).
        query = select_columns(
            count(A.status == AuditStatus.AWAITING_PROOF),
            count(A.status == AuditStatus.PROOF_SUBMITTED),
            count(A.status == AuditStatus.DEFICIENT),
            count(A.status == AuditStatus.REFERRED),
            count(late),
            func.min(case((col(A.status).in_(OPEN), A.due_on), else_=None)),
        )
        connection = await self.session.connection()
        row = (await connection.execute(query)).one()
        names = ("awaiting_proof", "to_review", "in_cure", "referred", "overdue", "next_due_on")
        return dict(zip(names, row, strict=True))
