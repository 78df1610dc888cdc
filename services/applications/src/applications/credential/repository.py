"""All SQL of credential status: the allocated indexes and which bits are on."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.certification.models import Certification
from applications.credential.models import CredentialStatus, StatusPurpose
from applications.credential.rules import DISCIPLINED_AS, bit_on
from certboard_core.db import add_unique


class StatusRepository:
    """Every query of the status lists."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def certification(self, certification_id: uuid.UUID) -> Certification | None:
        """The certification, whoever holds it (discipline's caller decides who may)."""
        query = select(Certification).where(Certification.id == certification_id)
        return (await self.session.exec(query)).first()

    async def entries(self, certification_id: uuid.UUID) -> dict[StatusPurpose, CredentialStatus]:
        """The certification's entries, by list (none before its first credential)."""
        query = select(CredentialStatus).where(
            CredentialStatus.certification_id == certification_id
        )
        return {row.purpose: row for row in (await self.session.exec(query)).all()}

    async def add(self, row: CredentialStatus) -> bool:
        """Insert ``row``; False if its index or its certification's place is taken."""
        return await add_unique(self.session, row)

    async def on_indexes(self, purpose: StatusPurpose, today: date) -> set[int]:
        """Every index whose bit is on in the list: flagged by discipline, or its
        certification's stored status is the list's (right before anyone flags it)."""
        # Two narrow reads: the flagged ones from their own index, the disciplined ones from
        # the few certifications in that status.
        flagged = (
            select(CredentialStatus.list_index)
            .where(CredentialStatus.purpose == purpose)
            .where(col(CredentialStatus.flagged))
        )
        c = Certification
        in_status = (
            select(c.id)
            .where(col(c.status).in_(DISCIPLINED_AS[purpose]))
            # A suspension is over after its last day, whether or not the sweep wrote it.
            .where(or_(col(c.suspended_through).is_(None), col(c.suspended_through) >= today))
        )
        disciplined = (
            select(CredentialStatus.list_index)
            .where(CredentialStatus.purpose == purpose)
            # IN, not a join: one pass over certifications, then a lookup for each found (a
            # join drove by every allocation, a lookup each: seconds on SQLite at 131,072).
            .where(col(CredentialStatus.certification_id).in_(in_status))
        )
        found = set((await self.session.exec(flagged)).all())
        return found | set((await self.session.exec(disciplined)).all())

    async def is_on(self, purpose: StatusPurpose, index: int, today: date) -> bool:
        """Whether the bit at ``index`` of the list is on (an unallocated index is off)."""
        query = (
            select(CredentialStatus, Certification)
            .join(Certification, col(Certification.id) == CredentialStatus.certification_id)
            .where(CredentialStatus.purpose == purpose)
            .where(CredentialStatus.list_index == index)
        )
        found = (await self.session.exec(query)).first()
        if found is None:
            return False
        entry, certification = found
        return bit_on(
            purpose,
            flagged=entry.flagged,
            stored=certification.status,
            suspended_through=certification.suspended_through,
            today=today,
        )
