"""All SQL of the application aggregate."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, false, func, or_, text, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from applications.application.lifecycle import FINAL, ApplicationStatus
from applications.application.models import (
    Application,
    ApplicationDocument,
    DocumentKind,
    RevisionRequest,
)
from applications.application.status_query import STATUS_QUERY, StatusRows, collect
from certboard_core.auth import Principal, Role
from certboard_core.pagination import Keyset, Page

S = ApplicationStatus

# The namespace of the PostgreSQL advisory locks taken per applicant (any fixed number, apart
# from the keys other locks use).
_APPLICANT_LOCKS = 7_101

# The listing's order: oldest submission first.
BY_SUBMISSION: Keyset[Application] = Keyset(
    col(Application.submitted_at),
    col(Application.id),
    lambda a: (a.submitted_at, a.id),
)


def status_condition(status: ApplicationStatus, today: date) -> ColumnElement[bool]:
    """Rows whose status *as of today* is ``status``: deadlines apply before the sweep runs."""
    stored = col(Application.status)
    if status is S.VOID:
        return or_(
            stored == S.VOID,
            and_(stored == S.INCOMPLETE, col(Application.last_day_to_complete) < today),
        )
    if status is S.INCOMPLETE:
        return and_(stored == S.INCOMPLETE, col(Application.last_day_to_complete) >= today)
    if status is S.EXPIRED:
        return or_(
            stored == S.EXPIRED, and_(stored == S.APPROVED, col(Application.valid_through) < today)
        )
    if status is S.APPROVED:
        return and_(stored == S.APPROVED, col(Application.valid_through) >= today)
    return stored == status


class ApplicationRepository:
    """Every query of applications, their documents and revision requests."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def reads(principal: Principal) -> tuple[bool, str | None]:
        """Who sees what: whether ``principal`` reads every application (staff), else whose
        (an applicant their own; None: nobody's). Every read and action goes by this."""
        if principal.has(Role.STAFF):
            return True, None
        if principal.has(Role.APPLICANT):
            return False, principal.subject
        return False, None

    def readable(self, principal: Principal) -> SelectOfScalar[Application]:
        """The applications ``principal`` may read (``reads``); every read and every action
        starts from this statement."""
        query = select(Application)
        reads_all, reader = self.reads(principal)
        if reads_all:
            return query
        if reader is not None:
            return query.where(Application.applicant_id == reader)
        return query.where(false())

    async def readable_among(
        self, principal: Principal, application_ids: Sequence[uuid.UUID]
    ) -> list[Application]:
        """Those of ``application_ids`` that ``principal`` may read, in no particular order."""
        query = self.readable(principal).where(col(Application.id).in_(application_ids))
        return list((await self.session.exec(query)).all())

    async def status_rows(
        self, principal: Principal, application_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, StatusRows]:
        """The rows of the status views of those of ``application_ids`` that ``principal`` may
        read, by application, in one statement."""
        reads_all, reader = self.reads(principal)
        parameters = {"ids": list(application_ids), "reads_all": reads_all, "reader": reader}
        # Plain rows straight from the connection: the ORM has nothing to add to them.
        connection = await self.session.connection()
        return collect((await connection.execute(STATUS_QUERY, parameters)).all())

    async def get_readable(
        self, principal: Principal, application_id: uuid.UUID
    ) -> Application | None:
        """The application, if ``principal`` may read it."""
        query = self.readable(principal).where(Application.id == application_id)
        return (await self.session.exec(query)).first()

    async def lock_applicant(self, applicant_id: str) -> None:
        """Hold the applicant's lock until the transaction ends: two submissions by one person
        run one after the other, so the second sees the first.

        SQLite needs nothing more: every write transaction begins holding its write lock.
        PostgreSQL takes an advisory lock on the applicant (a hash of the id: a collision only
        makes two applicants wait for each other). Not a unique index: "open" is the status as
        of today, and an incomplete application past its hold (or an approval past its last
        day) is stored open until the sweep writes its void (or expiry), yet is no longer open.
        """
        connection = await self.session.connection()
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:space, hashtext(:applicant))"),
                {"space": _APPLICANT_LOCKS, "applicant": applicant_id},
            )

    async def open_of(self, applicant_id: str, today: date) -> Application | None:
        """The applicant's application that is not final as of ``today``, if any (the oldest)."""
        final = or_(*(status_condition(status, today) for status in FINAL))
        query = (
            select(Application)
            .where(Application.applicant_id == applicant_id)
            .where(~final)
            .order_by(col(Application.submitted_at), col(Application.id))
            .limit(1)
        )
        return (await self.session.exec(query)).first()

    async def next_document_version(self, application_id: uuid.UUID, kind: DocumentKind) -> int:
        """The version the next upload of ``kind`` gets (1 for the first)."""
        current = await self.session.exec(
            select(func.max(ApplicationDocument.version))
            .where(ApplicationDocument.application_id == application_id)
            .where(ApplicationDocument.kind == kind)
        )
        return int(current.one() or 0) + 1

    async def get_document(
        self, application_id: uuid.UUID, document_id: uuid.UUID
    ) -> ApplicationDocument | None:
        """The document, if it belongs to the application."""
        document = await self.session.get(ApplicationDocument, document_id)
        if document is None or document.application_id != application_id:
            return None
        return document

    async def resolve_open_revisions(self, application_id: uuid.UUID, at: datetime) -> None:
        """Mark the application's open revision request answered at ``at``."""
        await self.session.exec(
            update(RevisionRequest)
            .where(col(RevisionRequest.application_id) == application_id)
            .where(col(RevisionRequest.resolved_at).is_(None))
            .values(resolved_at=at)
        )

    async def page(
        self,
        principal: Principal,
        *,
        status: ApplicationStatus | None,
        ids: Sequence[uuid.UUID] | None,
        after: str | None,
        limit: int,
        today: date,
    ) -> Page[Application]:
        """The applications ``principal`` may read, oldest submission first, a page at a time."""
        query = self.readable(principal)
        if status is not None:
            query = query.where(status_condition(status, today))
        if ids:
            query = query.where(col(Application.id).in_(ids))
        rows = await self.session.exec(BY_SUBMISSION.query(query, after=after, limit=limit))
        return BY_SUBMISSION.page(rows.all(), limit=limit)

    def add(self, row: Application | ApplicationDocument | RevisionRequest) -> None:
        """Stage a new row (the session flushes it)."""
        self.session.add(row)
