"""All SQL of complaints and decisions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.discipline.models import Complaint, ComplaintAttachment
from applications.discipline.rules import PUBLIC, ComplaintStatus
from certboard_core.pagination import Keyset, Page

C = Complaint
BY_RECEIVED: Keyset[Complaint] = Keyset(
    col(C.received_at), col(C.id), lambda c: (c.received_at, c.id)
)


class ComplaintRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, complaint: Complaint, attachments: Sequence[ComplaintAttachment]) -> None:
        self.session.add(complaint)
        await self.session.flush()
        self.session.add_all(attachments)
        await self.session.flush()

    async def get(self, complaint_id: uuid.UUID) -> Complaint | None:
        return (await self.session.exec(select(C).where(C.id == complaint_id))).first()

    async def attachments(self, complaint_id: uuid.UUID) -> list[ComplaintAttachment]:
        query = select(ComplaintAttachment).where(ComplaintAttachment.complaint_id == complaint_id)
        return list((await self.session.exec(query)).all())

    async def attachment(
        self, complaint_id: uuid.UUID, attachment_id: uuid.UUID
    ) -> ComplaintAttachment | None:
        query = select(ComplaintAttachment).where(
            ComplaintAttachment.complaint_id == complaint_id,
            ComplaintAttachment.id == attachment_id,
        )
        return (await self.session.exec(query)).first()

    async def queue(
        self, statuses: Sequence[ComplaintStatus], *, after: str | None, limit: int
    ) -> Page[Complaint]:
        """Complaints in ``statuses``, oldest received first."""
        query = select(C).where(col(C.status).in_(statuses))
        rows = (await self.session.exec(BY_RECEIVED.query(query, after=after, limit=limit))).all()
        return BY_RECEIVED.page(rows, limit=limit)

    async def decisions(
        self, certification_ids: Sequence[uuid.UUID], *, public_only: bool
    ) -> list[Complaint]:
        """The decided complaints of some certifications, oldest decision first."""
        query = select(C).where(
            col(C.certification_id).in_(certification_ids), C.status == ComplaintStatus.DECIDED
        )
        if public_only:
            query = query.where(col(C.outcome).in_(PUBLIC))
        query = query.order_by(col(C.decided_at), col(C.id))
        return list((await self.session.exec(query)).all())

    async def open_counts(self) -> dict[ComplaintStatus, int]:
        """How many complaints wait in each open step."""
        query = (
            select(C.status, func.count())
            .where(C.status != ComplaintStatus.DECIDED)
            .group_by(C.status)
        )
        found = {status: 0 for status in (ComplaintStatus.RECEIVED, ComplaintStatus.INVESTIGATING)}
        found.update(
            {
                ComplaintStatus(status): int(n)
                for status, n in (await self.session.exec(query)).all()
            }
        )
        return found
