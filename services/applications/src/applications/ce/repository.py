"""All SQL of the CE ledger: courses, records, and who may read which."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, false, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from applications.ce.models import CeCourse, CeRecord, CeRecordStatus
from applications.certification.models import Certification
from applications.provider.repository import acting_provider
from certboard_core.auth import Principal, Role
from certboard_core.db import add_unique
from certboard_core.pagination import Keyset, Page

R = CeRecord

BY_RECEIVED = Keyset[CeRecord](
    cast(ColumnElement[Any], col(R.received_at)),
    cast(ColumnElement[Any], col(R.id)),
    lambda r: (r.received_at, r.id),
)


@dataclass(frozen=True)
class Holder:
    """The certification a certificate number names, and whose it is."""

    certification_id: uuid.UUID
    applicant_id: str
    issued_on: date


@dataclass(frozen=True)
class Counts:
    """What staff's CE summary counts."""

    pending_verification: int
    oldest_received_at: datetime | None


def _holder_of(principal: Principal) -> tuple[bool, str | None]:
    """Whether ``principal`` reads every ledger (staff), else whose (an applicant their own;
    None: nobody's)."""
    if principal.has(Role.STAFF):
        return True, None
    if principal.has(Role.APPLICANT):
        return False, principal.subject
    return False, None


def _by_certification(rows: Sequence[CeRecord]) -> dict[uuid.UUID, list[CeRecord]]:
    found: dict[uuid.UUID, list[CeRecord]] = {}
    for record in rows:
        found.setdefault(record.certification_id, []).append(record)
    return found


class CeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- who reads what --------------------------------------------------------------------

    def readable(self, principal: Principal) -> SelectOfScalar[CeRecord]:
        """The records ``principal`` may read: staff all, a holder their own, a provider
        those it reported, others none."""
        reads_all, holder = _holder_of(principal)
        statement = select(R)
        if reads_all:
            return statement
        if holder is not None:
            return statement.where(col(R.applicant_id) == holder)
        provider = acting_provider(principal)
        if provider is not None:
            return statement.where(col(R.provider_id) == provider)
        return statement.where(false())

    async def readable_one(self, principal: Principal, record_id: uuid.UUID) -> CeRecord | None:
        """The record, if ``principal`` may read it (to show it or to change it)."""
        statement = self.readable(principal).where(col(R.id) == record_id)
        return (await self.session.exec(statement)).first()

    async def readable_certification(
        self, principal: Principal, certification_id: uuid.UUID
    ) -> Certification | None:
        """The certification, if ``principal`` may read its ledger (its holder, or staff)."""
        reads_all, holder = _holder_of(principal)
        if not reads_all and holder is None:
            return None
        statement = select(Certification).where(col(Certification.id) == certification_id)
        if not reads_all:
            statement = statement.where(col(Certification.applicant_id) == holder)
        return (await self.session.exec(statement)).first()

    async def readable_records(
        self, principal: Principal, certification_ids: Collection[uuid.UUID]
    ) -> list[CeRecord]:
        """The records ``principal`` may read of those certifications, by certification and
        completion day."""
        statement = (
            self.readable(principal)
            .where(col(R.certification_id).in_(certification_ids))
            .order_by(col(R.certification_id), col(R.completed_on), col(R.id))
        )
        return list((await self.session.exec(statement)).all())

    # -- the service's own reads (renewal, progress) -----------------------------------------

    async def records(
        self, certification_ids: Collection[uuid.UUID], *, counted_only: bool = False
    ) -> dict[uuid.UUID, list[CeRecord]]:
        """Per certification, its records by completion day (``counted_only``: the accepted
        ones, which alone count toward a requirement), for a service caller (no scoping)."""
        if not certification_ids:
            return {}
        statement = select(R).where(col(R.certification_id).in_(certification_ids))
        if counted_only:
            statement = statement.where(col(R.status) == CeRecordStatus.ACCEPTED)
        statement = statement.order_by(col(R.certification_id), col(R.completed_on), col(R.id))
        return _by_certification((await self.session.exec(statement)).all())

    # -- staff's verification queue --------------------------------------------------------

    async def verification_queue(
        self, principal: Principal, *, after: str | None, limit: int
    ) -> Page[CeRecord]:
        """Self-reports waiting for staff, oldest first."""
        return await self._page(
            self.readable(principal).where(_pending()), after=after, limit=limit
        )

    async def _page(
        self, statement: SelectOfScalar[CeRecord], *, after: str | None, limit: int
    ) -> Page[CeRecord]:
        query = cast(
            SelectOfScalar[CeRecord], BY_RECEIVED.query(statement, after=after, limit=limit)
        )
        return BY_RECEIVED.page((await self.session.exec(query)).all(), limit=limit)

    async def reported_by(
        self, principal: Principal, provider_id: uuid.UUID, *, after: str | None, limit: int
    ) -> Page[CeRecord]:
        """What a provider reported, in the order received."""
        statement = self.readable(principal).where(col(R.provider_id) == provider_id)
        return await self._page(statement, after=after, limit=limit)

    async def counts(self, principal: Principal) -> Counts:
        """How many self-reports wait, and since when the oldest."""
        waiting = self.readable(principal).where(_pending())

        async def scalar(column: ColumnElement[Any]) -> Any:
            statement = waiting.with_only_columns(column, maintain_column_froms=True)
            return await self.session.scalar(statement)

        return Counts(
            int(await scalar(func.count()) or 0), await scalar(func.min(col(R.received_at)))
        )

    # -- courses -----------------------------------------------------------------------------

    async def courses_of(self, provider_id: uuid.UUID) -> list[CeCourse]:
        """A provider's CE courses, by name (the provider read through its own scoping)."""
        statement = (
            select(CeCourse)
            .where(col(CeCourse.provider_id) == provider_id)
            .order_by(col(CeCourse.name))
        )
        return list((await self.session.exec(statement)).all())

    async def course(self, provider_id: uuid.UUID, course_id: uuid.UUID) -> CeCourse | None:
        """The provider's course ``course_id``; None if it is another provider's."""
        statement = (
            select(CeCourse)
            .where(col(CeCourse.provider_id) == provider_id)
            .where(col(CeCourse.id) == course_id)
        )
        return (await self.session.exec(statement)).first()

    async def add(self, course: CeCourse) -> bool:
        """Store a new course; False if the provider has one of that name."""
        return await add_unique(self.session, course)

    async def insert(self, record: CeRecord) -> None:
        """Store a self-reported record (it has no provider's id to collide on)."""
        self.session.add(record)
        await self.session.flush()

    # -- providers' batches ------------------------------------------------------------------

    async def holders(self, numbers: Collection[str]) -> dict[str, Holder]:
        """The certifications under those (stored-form) numbers, in one indexed lookup."""
        if not numbers:
            return {}
        rows = await self.session.exec(
            select(
                col(Certification.number),
                col(Certification.id),
                col(Certification.applicant_id),
                col(Certification.issued_on),
            ).where(col(Certification.number).in_(numbers))
        )
        return {number: Holder(ident, who, issued) for number, ident, who, issued in rows.all()}

    async def existing(self, provider_id: uuid.UUID, ids: Sequence[str]) -> dict[str, uuid.UUID]:
        """The provider's completion ids already stored, with the stored rows' ids."""
        if not ids:
            return {}
        rows = await self.session.exec(
            select(col(R.provider_completion_id), col(R.id))
            .where(col(R.provider_id) == provider_id)
            .where(col(R.provider_completion_id).in_(ids))
        )
        return {str(completion): ident for completion, ident in rows.all()}

    async def insert_new(self, rows: list[dict[str, Any]]) -> dict[str, uuid.UUID]:
        """Insert, skipping any completion id stored before (or by a concurrent batch)."""
        if not rows:
            return {}
        connection = await self.session.connection()
        module = postgresql if connection.dialect.name == "postgresql" else sqlite
        table = R.__table__  # type: ignore[attr-defined]
        statement = (
            module.insert(table)
            .on_conflict_do_nothing(index_elements=["provider_id", "provider_completion_id"])
            .returning(table.c.provider_completion_id, table.c.id)
        )
        result = await connection.execute(statement, rows)
        return {str(completion): ident for completion, ident in result.all()}


def _pending() -> ColumnElement[bool]:
    return col(R.status) == CeRecordStatus.PENDING_VERIFICATION
